/** Pod predicates and the deletion ranking of ActivePodsWithRanks (controller_utils.go). */
import type { Pod } from './types.js';

export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

/** IsPodActive: not Succeeded/Failed and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && pod.metadata.deletionTimestamp === undefined;
}

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** When the Ready condition last turned True, as epoch ms (undefined when not ready). */
export function podReadyTime(pod: Pod): number | undefined {
  const c = pod.status?.conditions?.find((x) => x.type === 'Ready' && x.status === 'True');
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : undefined;
}

/** IsPodAvailable: ready for at least minReadySeconds. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const t = podReadyTime(pod);
  return t !== undefined && t + minReadySeconds * 1000 <= nowMs;
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(pod: Pod): number {
  const v = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

function maxRestarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

/** logarithmicRankDiff: compares ages on a log2 scale, so pods of similar age rank equal. */
function logRankDiff(t1: number, t2: number, nowMs: number): number {
  const rank = (t: number) => {
    const d = (nowMs - t) * 1e6;
    return d > 0 ? Math.floor(Math.log2(d)) : -1;
  };
  return rank(t1) - rank(t2);
}

/** Compares two times with "newer first" (LogarithmicScaleDown); undefined when equal. */
function newerFirst(t1: number | undefined, t2: number | undefined, a: Pod, b: Pod, nowMs: number): number | undefined {
  if (t1 === t2) return undefined;
  if (t1 === undefined) return -1;
  if (t2 === undefined) return 1;
  const diff = logRankDiff(t1, t2, nowMs);
  if (diff === 0) {
    const ua = a.metadata.uid ?? '';
    const ub = b.metadata.uid ?? '';
    return ua < ub ? -1 : ua > ub ? 1 : 0;
  }
  return diff;
}

export interface RankedPod {
  pod: Pod;
  /** How many active related pods share this pod's node (more = deleted first). */
  rank: number;
}

/**
 * ActivePodsWithRanks.Less as a comparator: pods that should be deleted first sort first.
 * 1 unassigned < assigned; 2 Pending < Unknown < Running; 3 not ready < ready; 4 lower
 * pod-deletion-cost; 5 more co-located pods; 6 ready more recently; 7 more restarts; 8 newer.
 */
export function compareForDeletion(a: RankedPod, b: RankedPod, nowMs: number): number {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const oa = PHASE_ORDINAL[pa.status?.phase ?? ''] ?? 0;
  const ob = PHASE_ORDINAL[pb.status?.phase ?? ''] ?? 0;
  if (oa !== ob) return oa - ob;
  const ra = isPodReady(pa);
  const rb = isPodReady(pb);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(pa);
  const cb = deletionCost(pb);
  if (ca !== cb) return ca - cb;
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (ra && rb) {
    const c = newerFirst(podReadyTime(pa), podReadyTime(pb), pa, pb, nowMs);
    if (c !== undefined && c !== 0) return c;
  }
  const ma = maxRestarts(pa);
  const mb = maxRestarts(pb);
  if (ma !== mb) return mb - ma;
  const created = (p: Pod) => (p.metadata.creationTimestamp ? Date.parse(p.metadata.creationTimestamp) : undefined);
  return newerFirst(created(pa), created(pb), pa, pb, nowMs) ?? 0;
}

/**
 * getPodsToDelete: ranks `pods` by how many of `related` (active) share their node and returns
 * the `count` that should go first.
 */
export function podsToDelete(pods: readonly Pod[], related: readonly Pod[], count: number, nowMs: number): Pod[] {
  if (count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const n = p.spec?.nodeName ?? '';
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((a, b) => compareForDeletion(a, b, nowMs));
  return ranked.slice(0, count).map((r) => r.pod);
}
