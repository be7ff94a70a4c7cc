/**
 * How many pods a PodDisruptionBudget expects, and how many must stay healthy
 * (getExpectedPodCount / getExpectedScale in pkg/controller/disruption): an integer minAvailable
 * counts the selected pods; a percentage or maxUnavailable sums the scale of the pods'
 * controllers (ReplicationController, Deployment, ReplicaSet, StatefulSet, or any custom
 * resource with the scale subresource).
 */
import type { Lister, ResourceClient } from '../../client/interface.js';
import { isStatusError } from '../../machinery/errors.js';
import { getScaledValueFromIntOrPercent } from '../../machinery/intstr.js';
import type { KubeObject, OwnerReference } from '../../machinery/object.js';
import type { PodDisruptionBudget } from '../../api/policy/disruption-budget.js';
import type { GCResource } from '../garbage-collector/graph.js';
import { getControllerOf } from '../controller-utils/controller-ref.js';
import type { Pod } from '../controller-utils/types.js';

/** The listers and clients the controller finders read. */
export interface ScaleSources {
  replicationControllers: Lister;
  replicaSets: Lister;
  deployments: Lister;
  statefulSets: Lister;
  customResourceDefinitions: Lister;
  /** The built-in kinds this server serves (the REST mapping of kinds to resources). */
  resources: readonly GCResource[];
  /** A client of a custom resource, for the uncached read of its scale. */
  client: (group: string, version: string, resource: string) => ResourceClient;
}

interface ControllerAndScale {
  uid: string;
  scale: number;
}

export interface ExpectedPodCount {
  expectedCount: number;
  desiredHealthy: number;
  unmanagedPods: string[];
}

/** The built-in kinds whose scale the listers give (the finders before the scale subresource's). */
const LISTED_KINDS = new Set(['/ReplicationController', 'apps/ReplicaSet', 'extensions/ReplicaSet', 'apps/StatefulSet']);

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

function versionOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? apiVersion : apiVersion.slice(i + 1);
}

function replicasOf(obj: KubeObject): number {
  const spec = obj['spec'] as { replicas?: number } | undefined;
  return spec?.replicas ?? 1;
}

/** The cached object a controllerRef names, when it still exists with that UID. */
function resolve(lister: Lister, namespace: string, ref: OwnerReference): KubeObject | undefined {
  const obj = lister.get(namespace, ref.name);
  return obj && obj.metadata.uid === ref.uid ? obj : undefined;
}

function isKind(ref: OwnerReference, kind: string, groups: readonly string[]): boolean {
  return ref.kind === kind && groups.includes(groupOf(ref.apiVersion));
}

function findReplicationController(s: ScaleSources, ref: OwnerReference, ns: string): ControllerAndScale | undefined {
  if (!isKind(ref, 'ReplicationController', [''])) return undefined;
  const rc = resolve(s.replicationControllers, ns, ref);
  return rc ? { uid: rc.metadata.uid ?? '', scale: replicasOf(rc) } : undefined;
}

/** A ReplicaSet owned by a Deployment counts as its Deployment. */
function findDeployment(s: ScaleSources, ref: OwnerReference, ns: string): ControllerAndScale | undefined {
  if (!isKind(ref, 'ReplicaSet', ['apps', 'extensions'])) return undefined;
  const rs = resolve(s.replicaSets, ns, ref);
  const owner = rs && getControllerOf(rs);
  if (!owner || !isKind(owner, 'Deployment', ['apps', 'extensions'])) return undefined;
  const d = resolve(s.deployments, ns, owner);
  return d ? { uid: d.metadata.uid ?? '', scale: replicasOf(d) } : undefined;
}

function findReplicaSet(s: ScaleSources, ref: OwnerReference, ns: string): ControllerAndScale | undefined {
  if (!isKind(ref, 'ReplicaSet', ['apps', 'extensions'])) return undefined;
  const rs = resolve(s.replicaSets, ns, ref);
  if (!rs || getControllerOf(rs)?.kind === 'Deployment') return undefined;
  return { uid: rs.metadata.uid ?? '', scale: replicasOf(rs) };
}

function findStatefulSet(s: ScaleSources, ref: OwnerReference, ns: string): ControllerAndScale | undefined {
  if (!isKind(ref, 'StatefulSet', ['apps'])) return undefined;
  const ss = resolve(s.statefulSets, ns, ref);
  return ss ? { uid: ss.metadata.uid ?? '', scale: replicasOf(ss) } : undefined;
}

interface CRDVersion {
  name: string;
  subresources?: { scale?: { specReplicasPath?: string } };
}

/** The value at a dotted JSON path such as `.spec.replicas`. */
function valueAt(obj: KubeObject, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.replace(/^\./, '').split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** getScaleController: the scale of any other kind, through its scale subresource's replicas path. */
async function findScaleController(s: ScaleSources, ref: OwnerReference, ns: string): Promise<ControllerAndScale | undefined> {
  const group = groupOf(ref.apiVersion);
  const version = versionOf(ref.apiVersion);
  if (LISTED_KINDS.has(`${group}/${ref.kind}`) || (group === 'apps' && ref.kind === 'Deployment')) return undefined;
  const builtin = s.resources.find((r) => r.gvr.group === group && r.kind === ref.kind);
  if (builtin) {
    const gr = group ? `${builtin.gvr.resource}.${group}` : builtin.gvr.resource;
    throw new Error(`${gr} does not implement the scale subresource`);
  }
  const crd = s.customResourceDefinitions.list().find((c) => {
    const spec = c['spec'] as { group?: string; names?: { kind?: string } } | undefined;
    return spec?.group === group && spec.names?.kind === ref.kind;
  });
  const spec = crd?.['spec'] as { names?: { plural?: string }; versions?: CRDVersion[] } | undefined;
  const served = spec?.versions?.find((v) => v.name === version);
  if (!spec || !served) throw new Error(`no matches for kind "${ref.kind}" in version "${ref.apiVersion}"`);
  const plural = spec.names?.plural ?? '';
  const replicasPath = served.subresources?.scale?.specReplicasPath;
  if (!replicasPath) throw new Error(`${plural}.${group} does not implement the scale subresource`);
  let obj: KubeObject;
  try {
    obj = await s.client(group, version, plural).get(ns, ref.name);
  } catch (err) {
    if (isStatusError(err, 'NotFound')) return undefined;
    throw err;
  }
  if (obj.metadata.uid !== ref.uid) return undefined;
  const replicas = valueAt(obj, replicasPath);
  return { uid: obj.metadata.uid ?? '', scale: typeof replicas === 'number' ? replicas : 0 };
}

/** getExpectedScale: the sum of the scales of the pods' controllers; pods without one are unmanaged. */
export async function getExpectedScale(s: ScaleSources, pods: readonly Pod[]): Promise<{ expectedCount: number; unmanagedPods: string[] }> {
  const scales = new Map<string, number>();
  const unmanagedPods: string[] = [];
  for (const pod of pods) {
    const ref = getControllerOf(pod);
    if (!ref) {
      unmanagedPods.push(pod.metadata.name ?? '');
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const ns = pod.metadata.namespace ?? '';
    const found =
      findReplicationController(s, ref, ns) ??
      findDeployment(s, ref, ns) ??
      findReplicaSet(s, ref, ns) ??
      findStatefulSet(s, ref, ns) ??
      (await findScaleController(s, ref, ns));
    if (!found) throw new Error(`found no controllers for pod "${pod.metadata.name ?? ''}"`);
    scales.set(found.uid, found.scale);
  }
  let expectedCount = 0;
  for (const n of scales.values()) expectedCount += n;
  return { expectedCount, unmanagedPods };
}

/** getExpectedPodCount. */
export async function getExpectedPodCount(s: ScaleSources, pdb: PodDisruptionBudget, pods: readonly Pod[]): Promise<ExpectedPodCount> {
  const spec = pdb.spec ?? {};
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const { expectedCount, unmanagedPods } = await getExpectedScale(s, pods);
    const maxUnavailable = getScaledValueFromIntOrPercent(spec.maxUnavailable, expectedCount, true);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - maxUnavailable), unmanagedPods };
  }
  if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number') {
      return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanagedPods: [] };
    }
    const { expectedCount, unmanagedPods } = await getExpectedScale(s, pods);
    return { expectedCount, desiredHealthy: getScaledValueFromIntOrPercent(spec.minAvailable, expectedCount, true), unmanagedPods };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}
