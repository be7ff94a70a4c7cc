/**
 * Reconciles the bootstrap policy at apiserver start (upstream's rbac/rest PostStartHook and
 * reconciliation package): missing roles and bindings are created; existing ones marked
 * `rbac.authorization.kubernetes.io/autoupdate: "true"` (or unmarked) gain the rules, labels,
 * annotations and subjects they lack; those set to "false" are left alone.
 */
import { isStatusError } from '../../../machinery/errors.js';
import type { KubeObject } from '../../../machinery/object.js';
import { cloneJson } from '../../../machinery/clone.js';
import type { WriteOptions } from '../../registry/context.js';
import type { ResourceStore } from '../../registry/store.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap-policy.js';
import { AUTOUPDATE_ANNOTATION } from './policy-builders.js';
import { compactRules, uncovered } from './covers.js';
import type { PolicyRule, Subject } from './rules.js';

export interface ReconcileOptions {
  clusterRoles: ResourceStore;
  clusterRoleBindings: ResourceStore;
}

const WRITE: WriteOptions = {
  user: { name: 'system:apiserver', groups: ['system:masters'] },
  dryRun: false,
  fieldManager: 'kube-apiserver',
  fieldValidation: 'Ignore',
  warnings: [],
};

/** The existing object with what `desired` adds; undefined when nothing is missing. */
export function reconcileRole(existing: KubeObject, desired: KubeObject): KubeObject | undefined {
  const out = cloneJson(existing);
  const changed = mergeMetadata(out, desired);
  const rules = (out['rules'] as PolicyRule[] | undefined) ?? [];
  const missing = desired['aggregationRule'] ? [] : uncovered(rules, (desired['rules'] as PolicyRule[] | undefined) ?? []);
  if (missing.length > 0) out['rules'] = [...rules, ...compactRules(missing)];
  let aggregationChanged = false;
  if (desired['aggregationRule'] && JSON.stringify(out['aggregationRule']) !== JSON.stringify(desired['aggregationRule'])) {
    const have = ((out['aggregationRule'] as { clusterRoleSelectors?: unknown[] } | undefined)?.clusterRoleSelectors ?? []) as unknown[];
    const want = (desired['aggregationRule'] as { clusterRoleSelectors: unknown[] }).clusterRoleSelectors;
    const add = want.filter((w) => !have.some((h) => JSON.stringify(h) === JSON.stringify(w)));
    if (add.length > 0) {
      out['aggregationRule'] = { clusterRoleSelectors: [...have, ...add] };
      aggregationChanged = true;
    }
  }
  return changed || missing.length > 0 || aggregationChanged ? out : undefined;
}

/** The existing binding with the subjects `desired` adds; undefined when nothing is missing. */
export function reconcileBinding(existing: KubeObject, desired: KubeObject): KubeObject | undefined {
  const out = cloneJson(existing);
  const changed = mergeMetadata(out, desired);
  const subjects = (out['subjects'] as Subject[] | undefined) ?? [];
  const add = ((desired['subjects'] as Subject[] | undefined) ?? []).filter(
    (d) => !subjects.some((s) => s.kind === d.kind && s.name === d.name && (s.namespace ?? '') === (d.namespace ?? '')),
  );
  if (add.length > 0) out['subjects'] = [...subjects, ...add];
  return changed || add.length > 0 ? out : undefined;
}

function mergeMetadata(out: KubeObject, desired: KubeObject): boolean {
  let changed = false;
  for (const field of ['labels', 'annotations'] as const) {
    const have = { ...(out.metadata[field] ?? {}) };
    for (const [k, v] of Object.entries(desired.metadata[field] ?? {})) {
      if (!(k in have)) {
        have[k] = v;
        changed = true;
      }
    }
    out.metadata[field] = have;
  }
  return changed;
}

async function ensureOne(store: ResourceStore, want: KubeObject, merge: typeof reconcileRole): Promise<void> {
  const name = want.metadata.name as string;
  const current = await store.read('', name);
  if (!current) {
    try {
      await store.create('', cloneJson(want), { ...WRITE, warnings: [] });
    } catch (err) {
      if (!isStatusError(err, 'AlreadyExists')) throw err;
    }
    return;
  }
  if (current.obj.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === 'false') return;
  if (!merge(current.obj, want)) return;
  await store.update({ namespace: '', name, tryUpdate: (cur) => merge(cur, want) ?? cur }, { ...WRITE, warnings: [] });
}

/** Creates or completes the bootstrap ClusterRoles and ClusterRoleBindings. */
export async function reconcileBootstrapPolicy(options: ReconcileOptions): Promise<void> {
  await Promise.all([
    ...bootstrapClusterRoles().map((r) => ensureOne(options.clusterRoles, r, reconcileRole)),
    ...bootstrapClusterRoleBindings().map((b) => ensureOne(options.clusterRoleBindings, b, reconcileBinding)),
  ]);
}
