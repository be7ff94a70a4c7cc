/**
 * The denial matrix (issue 13): every verb × resource (every served resource and subresource, and
 * every one upstream's roles name) × namespace for users bound to `view`, `edit` and `admin` in
 * one namespace and for a plain authenticated user, decided by our RBAC authorizer over our
 * bootstrap policy, against decisions computed from upstream's role definitions
 * (testdata/upstream-roles.yaml) by plain set lookups.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { builtinResources } from '../../../api/catalog.js';
import type { KubeObject } from '../../../machinery/object.js';
import { aggregatedRules } from '../../../controllers/clusterroleaggregation/clusterrole-aggregation-controller.js';
import type { UserInfo } from '../../registry/context.js';
import { RbacAuthorizer } from './authorizer.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap-policy.js';
import { RuleResolver } from './resolver.js';
import { arrayObjects, resourceAttrs } from './testing.js';

interface UpstreamRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}
interface UpstreamRole {
  name: string;
  labels?: Record<string, string>;
  aggregationRule?: { clusterRoleSelectors: { matchLabels: Record<string, string> }[] };
  rules?: UpstreamRule[];
}
const upstream = parse(readFileSync(new URL('./testdata/upstream-roles.yaml', import.meta.url), 'utf8')) as {
  clusterRoles: UpstreamRole[];
  authenticatedRoles: string[];
};

/** A role's rules with aggregation followed (matchLabels only, as upstream's roles use). */
function upstreamRules(name: string, seen = new Set<string>()): UpstreamRule[] {
  const role = upstream.clusterRoles.find((r) => r.name === name);
  if (!role || seen.has(name)) return [];
  seen.add(name);
  if (!role.aggregationRule) return role.rules ?? [];
  const selected = upstream.clusterRoles.filter((r) =>
    role.aggregationRule?.clusterRoleSelectors.some((s) => Object.entries(s.matchLabels).every(([k, v]) => r.labels?.[k] === v)),
  );
  return selected.flatMap((r) => upstreamRules(r.name, seen));
}

/** `group|resource|verb` and `url|verb` keys a set of upstream rules grants; wildcards are not expected. */
function grants(rules: UpstreamRule[]): Set<string> {
  const out = new Set<string>();
  for (const r of rules) {
    for (const verb of r.verbs) {
      assert.notEqual(verb, '*', 'these roles have no wildcards');
      for (const url of r.nonResourceURLs ?? []) out.add(`${url}|${verb}`);
      for (const g of r.apiGroups ?? []) for (const res of r.resources ?? []) out.add(`${g}|${res}|${verb}`);
    }
  }
  return out;
}

function upstreamAllowsURL(granted: Set<string>, url: string, verb: string): boolean {
  if (granted.has(`${url}|${verb}`)) return true;
  for (let i = url.indexOf('/', 1); i > 0; i = url.indexOf('/', i + 1)) if (granted.has(`${url.slice(0, i + 1)}*|${verb}`)) return true;
  return false;
}

/** Our bootstrap roles once the aggregation controller has converged. */
function ourRoles(): KubeObject[] {
  let roles = bootstrapClusterRoles();
  for (let round = 0; round < 5; round++) {
    roles = roles.map((r) => (r['aggregationRule'] ? { ...r, rules: aggregatedRules(r, roles) } : r));
  }
  return roles;
}

const NS = 'team';
const SUBJECTS = ['view', 'edit', 'admin', 'plain'] as const;
const VERBS = [
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
  'impersonate',
  'bind',
  'escalate',
  'use',
  'proxy',
];
const URLS = [
  '/api',
  '/api/v1',
  '/apis',
  '/apis/apps/v1',
  '/healthz',
  '/healthz/etcd',
  '/livez',
  '/readyz',
  '/version',
  '/version/',
  '/openapi/v2',
  '/openapi/v3/apis/apps/v1',
  '/metrics',
  '/logs',
  '/.well-known/openid-configuration',
  '/openid/v1/jwks',
];

function matrixResources(): [string, string][] {
  const out = new Map<string, [string, string]>();
  const add = (g: string, r: string): void => void out.set(`${g}|${r}`, [g, r]);
  for (const t of builtinResources) {
    add(t.group, t.plural);
    if (t.status) add(t.group, `${t.plural}/status`);
    if (t.scale) add(t.group, `${t.plural}/scale`);
    for (const s of t.extraSubresources ?? []) add(t.group, `${t.plural}/${s.name}`);
  }
  for (const role of upstream.clusterRoles)
    for (const r of role.rules ?? []) for (const g of r.apiGroups ?? []) for (const res of r.resources ?? []) add(g, res);
  for (const [g, r] of [
    ['authorization.k8s.io', 'selfsubjectaccessreviews'],
    ['authentication.k8s.io', 'tokenreviews'],
    ['', 'serviceaccounts/token'],
    ['', 'pods/ephemeralcontainers'],
  ] as const)
    add(g, r);
  return [...out.values()];
}

describe('denial matrix: view, edit, admin and a plain user against upstream', () => {
  const users: Record<(typeof SUBJECTS)[number], UserInfo> = {
    view: { name: 'viewer', groups: ['system:authenticated'] },
    edit: { name: 'editor', groups: ['system:authenticated'] },
    admin: { name: 'administrator', groups: ['system:authenticated'] },
    plain: { name: 'plain', groups: ['system:authenticated'] },
  };
  const roleBindings: KubeObject[] = (['view', 'edit', 'admin'] as const).map((role) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `${role}-binding`, namespace: NS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: users[role].name }],
  }));
  const authorizer = new RbacAuthorizer({
    resolver: new RuleResolver({ objects: arrayObjects([...ourRoles(), ...bootstrapClusterRoleBindings(), ...roleBindings]) }),
  });
  const everyone = grants(upstream.authenticatedRoles.flatMap((r) => upstreamRules(r)));
  const expected = (subject: (typeof SUBJECTS)[number], namespace: string): Set<string> =>
    subject !== 'plain' && namespace === NS ? new Set([...everyone, ...grants(upstreamRules(subject))]) : everyone;

  it('resource requests: the same decision for every verb × resource × namespace', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const subject of SUBJECTS) {
      for (const namespace of [NS, 'elsewhere', '']) {
        const want = expected(subject, namespace);
        for (const [group, resource] of matrixResources()) {
          for (const verb of VERBS) {
            const got = (await authorizer.authorize(resourceAttrs(users[subject], verb, resource, { group, namespace }))).allowed;
            checked++;
            if (got !== want.has(`${group}|${resource}|${verb}`)) {
              mismatches.push(`${subject} ${verb} ${group || 'core'}/${resource} in "${namespace}": want ${!got}, got ${got}`);
            }
          }
        }
      }
    }
    assert.ok(checked > 10_000, `checked ${checked}`);
    assert.deepEqual(mismatches, []);
  });

  it('non-resource URLs: the same decision for every verb × path', async () => {
    const mismatches: string[] = [];
    for (const subject of SUBJECTS) {
      for (const path of URLS) {
        for (const verb of ['get', 'post', 'put', 'delete']) {
          const attrs = { ...resourceAttrs(users[subject], verb, ''), isResourceRequest: false, path };
          const got = (await authorizer.authorize(attrs)).allowed;
          if (got !== upstreamAllowsURL(everyone, path, verb)) mismatches.push(`${subject} ${verb} ${path}: want ${!got}, got ${got}`);
        }
      }
    }
    assert.deepEqual(mismatches, []);
  });
});
