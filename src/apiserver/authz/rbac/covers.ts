/**
 * Upstream's validation.Covers: whether the owner's rules include every permission of the
 * servant's rules, each broken down to one verb on one group/resource/name (or one URL),
 * and the missing ones compacted back into rules for the escalation message.
 */
import { apiGroupMatches, nonResourceURLMatches, type PolicyRule, verbMatches } from './rules.js';

function resourceCovered(owner: PolicyRule, resource: string): boolean {
  const slash = resource.indexOf('/');
  return (owner.resources ?? []).some((r) => r === '*' || r === resource || (slash > 0 && r === `*/${resource.slice(slash + 1)}`));
}

function nameCovered(owner: PolicyRule, name: string | undefined): boolean {
  const names = owner.resourceNames ?? [];
  return names.length === 0 || (name !== undefined && names.includes(name));
}

/** One-verb, one-target rules (upstream's BreakdownRule). */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs) {
        const names = rule.resourceNames ?? [];
        if (names.length === 0) out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
        for (const name of names) out.push({ apiGroups: [group], resources: [resource], resourceNames: [name], verbs: [verb] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

function ruleCovers(owner: PolicyRule, atom: PolicyRule): boolean {
  const verb = atom.verbs[0] ?? '';
  if (!verbMatches(owner, verb)) return false;
  const url = atom.nonResourceURLs?.[0];
  if (url !== undefined) return nonResourceURLMatches(owner, url);
  return (
    apiGroupMatches(owner, atom.apiGroups?.[0] ?? '') &&
    resourceCovered(owner, atom.resources?.[0] ?? '') &&
    nameCovered(owner, atom.resourceNames?.[0])
  );
}

/** The servant's atoms no owner rule covers (empty: covered). */
export function uncovered(ownerRules: readonly PolicyRule[], servantRules: readonly PolicyRule[]): PolicyRule[] {
  const missing: PolicyRule[] = [];
  for (const rule of servantRules) {
    for (const atom of breakdownRule(rule)) if (!ownerRules.some((o) => ruleCovers(o, atom))) missing.push(atom);
  }
  return missing;
}

/** Merges one-target rules that differ only in verbs (upstream's CompactRules). */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const byTarget = new Map<string, PolicyRule>();
  for (const r of rules) {
    const key = JSON.stringify([r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs]);
    const seen = byTarget.get(key);
    if (seen) {
      for (const v of r.verbs) if (!seen.verbs.includes(v)) seen.verbs.push(v);
    } else {
      byTarget.set(key, { ...r, verbs: [...r.verbs] });
    }
  }
  return [...byTarget.values()];
}
