/**
 * The audit Policy (audit.k8s.io/v1, upstream pkg/audit/policy): loaded from YAML or JSON,
 * validated, and evaluated per request — the first rule that matches gives the level, the
 * stages to omit (the policy's and the rule's) and whether managedFields are left out.
 * No matching rule: level None.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { Attributes } from '../authz/interface.js';
import { LEVELS, STAGES, type Policy, type PolicyRule, type RequestAuditConfig, type Stage } from './interface.js';

const API_VERSIONS = new Set(['audit.k8s.io/v1', 'audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1']);

function stringList(value: unknown, path: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new Error(`${path}: must be a list of strings`);
  return value as string[];
}

function stages(value: unknown, path: string): Stage[] | undefined {
  const list = stringList(value, path);
  list?.forEach((s, i) => {
    if (!STAGES.includes(s as Stage))
      throw new Error(`${path}[${i}]: Unsupported value: "${s}": supported values: "${STAGES.join('", "')}"`);
  });
  return list as Stage[] | undefined;
}

function rule(value: unknown, path: string): PolicyRule {
  if (typeof value !== 'object' || value === null) throw new Error(`${path}: must be an object`);
  const r = value as Record<string, unknown>;
  if (!LEVELS.includes(r.level as PolicyRule['level'])) {
    throw new Error(`${path}.level: Unsupported value: "${String(r.level ?? '')}": supported values: "${LEVELS.join('", "')}"`);
  }
  const out: PolicyRule = { level: r.level as PolicyRule['level'] };
  for (const key of ['users', 'userGroups', 'verbs', 'namespaces', 'nonResourceURLs'] as const) {
    const list = stringList(r[key], `${path}.${key}`);
    if (list) out[key] = list;
  }
  if (r.resources !== undefined && r.resources !== null) {
    if (!Array.isArray(r.resources)) throw new Error(`${path}.resources: must be a list`);
    out.resources = r.resources.map((g: unknown, i) => {
      const gr = (g ?? {}) as Record<string, unknown>;
      const p = `${path}.resources[${i}]`;
      if (gr.group !== undefined && typeof gr.group !== 'string') throw new Error(`${p}.group: must be a string`);
      const resources = stringList(gr.resources, `${p}.resources`);
      const resourceNames = stringList(gr.resourceNames, `${p}.resourceNames`);
      if (resourceNames?.length && resources?.some((res) => res.includes('*'))) {
        throw new Error(`${p}.resourceNames: Invalid value: resourceNames require specific resources, not wildcards`);
      }
      return {
        group: (gr.group as string | undefined) ?? '',
        ...(resources ? { resources } : {}),
        ...(resourceNames ? { resourceNames } : {}),
      };
    });
  }
  if (out.nonResourceURLs?.length && (out.resources?.length || out.namespaces?.length)) {
    throw new Error(`${path}.nonResourceURLs: Invalid value: rules cannot apply to both regular resources and non-resource URLs`);
  }
  const omit = stages(r.omitStages, `${path}.omitStages`);
  if (omit) out.omitStages = omit;
  if (typeof r.omitManagedFields === 'boolean') out.omitManagedFields = r.omitManagedFields;
  return out;
}

/** Parses and validates a Policy document (YAML is a superset of JSON). */
export function parsePolicy(text: string): Policy {
  const doc = parseYaml(text) as Record<string, unknown> | null;
  if (typeof doc !== 'object' || doc === null) throw new Error('audit policy: not an object');
  if (doc.kind !== 'Policy' || !API_VERSIONS.has(String(doc.apiVersion))) {
    throw new Error(`audit policy: want kind Policy of audit.k8s.io/v1, got ${String(doc.kind)} of ${String(doc.apiVersion)}`);
  }
  if (!Array.isArray(doc.rules) || doc.rules.length === 0)
    throw new Error('audit policy: rules: Required value: a policy has at least one rule');
  const policy: Policy = {
    apiVersion: String(doc.apiVersion),
    kind: 'Policy',
    rules: doc.rules.map((r: unknown, i) => rule(r, `rules[${i}]`)),
  };
  const omit = stages(doc.omitStages, 'omitStages');
  if (omit) policy.omitStages = omit;
  if (typeof doc.omitManagedFields === 'boolean') policy.omitManagedFields = doc.omitManagedFields;
  return policy;
}

export async function loadPolicy(file: string): Promise<Policy> {
  try {
    return parsePolicy(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`--audit-policy-file ${file}: ${(err as Error).message}`);
  }
}

function matchesResource(r: PolicyRule, a: Attributes): boolean {
  if (!a.isResourceRequest) return false;
  if (r.namespaces?.length && !r.namespaces.includes(a.namespace)) return false;
  if (!r.resources?.length) return true;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return r.resources.some((gr) => {
    if ((gr.group ?? '') !== a.group) return false;
    if (!gr.resources?.length) return true;
    if (gr.resourceNames?.length && !gr.resourceNames.includes(a.name)) return false;
    return gr.resources.some(
      (res) =>
        res === combined ||
        res === '*' ||
        (a.subresource !== '' && res.startsWith('*/') && res.slice(2) === a.subresource) ||
        (res.endsWith('/*') && res.slice(0, -2) === a.resource),
    );
  });
}

function matchesNonResource(r: PolicyRule, a: Attributes): boolean {
  if (a.isResourceRequest) return false;
  return (r.nonResourceURLs ?? []).some((u) => u === '*' || u === a.path || (u.endsWith('*') && a.path.startsWith(u.slice(0, -1))));
}

export function ruleMatches(r: PolicyRule, a: Attributes): boolean {
  if (r.users?.length && !r.users.includes(a.user.name)) return false;
  if (r.userGroups?.length && !a.user.groups.some((g) => r.userGroups?.includes(g))) return false;
  if (r.verbs?.length && !r.verbs.includes(a.verb)) return false;
  if (r.nonResourceURLs?.length && !matchesNonResource(r, a)) return false;
  if (r.namespaces?.length || r.resources?.length) return matchesResource(r, a);
  return true;
}

/** The first matching rule's level; no match: None. */
export function evaluatePolicy(policy: Policy, a: Attributes): RequestAuditConfig {
  const r = policy.rules.find((rule) => ruleMatches(rule, a));
  if (!r) return { level: 'None', omitStages: [], omitManagedFields: false };
  return {
    level: r.level,
    omitStages: [...new Set([...(policy.omitStages ?? []), ...(r.omitStages ?? [])])],
    omitManagedFields: r.omitManagedFields ?? policy.omitManagedFields ?? false,
  };
}
