/**
 * updateDaemonSetStatus and storeDaemonSetStatus (daemon_controller.go): the counts kubectl
 * shows (DESIRED CURRENT READY UP-TO-DATE AVAILABLE) and `rollout status` waits on, from the
 * oldest pod of each node; written only when something changed, one retry after a fresh read.
 */
import type { ResourceClient } from '../../client/interface.js';
import type { Node } from '../../scheduler/types.js';
import { isPodAvailable, isPodReady } from '../controller-utils/pod-util.js';
import { cloneJson } from '../../machinery/clone.js';
import type { NodeToDaemonPods } from './context.js';
import { isPodUpdated, templateGeneration } from './daemon-pod.js';
import { compareDaemonPods } from './manage.js';
import { nodeShouldRunDaemonPod } from './node-should-run.js';
import type { DaemonSet, DaemonSetStatus } from './types.js';

type Counts = Required<
  Pick<
    DaemonSetStatus,
    | 'desiredNumberScheduled'
    | 'currentNumberScheduled'
    | 'numberMisscheduled'
    | 'numberReady'
    | 'updatedNumberScheduled'
    | 'numberAvailable'
    | 'numberUnavailable'
  >
>;

/** The counts the nodes and their pods imply. */
export function calculateStatus(ds: DaemonSet, nodes: readonly Node[], byNode: NodeToDaemonPods, hash: string, nowMs: number): Counts {
  const c: Counts = {
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    updatedNumberScheduled: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
  };
  const generation = templateGeneration(ds);
  const minReady = ds.spec?.minReadySeconds ?? 0;
  for (const node of nodes) {
    const pods = byNode.get(node.metadata.name ?? '') ?? [];
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) {
      if (pods.length > 0) c.numberMisscheduled++;
      continue;
    }
    c.desiredNumberScheduled++;
    if (pods.length === 0) continue;
    c.currentNumberScheduled++;
    const pod = [...pods].sort(compareDaemonPods)[0]!;
    if (isPodReady(pod)) {
      c.numberReady++;
      if (isPodAvailable(pod, minReady, nowMs)) c.numberAvailable++;
    }
    if (isPodUpdated(pod, hash, generation)) c.updatedNumberScheduled++;
  }
  c.numberUnavailable = c.desiredNumberScheduled - c.numberAvailable;
  return c;
}

/**
 * storeDaemonSetStatus: writes the counts (and observedGeneration when the sync acted on this
 * generation, and the collision count); nothing when they already stand.
 */
export async function storeStatus(
  client: ResourceClient,
  ds: DaemonSet,
  counts: Counts,
  collisionCount: number,
  updateObservedGeneration: boolean,
): Promise<void> {
  const cur = ds.status ?? {};
  const generation = ds.metadata.generation ?? 0;
  const same = (Object.keys(counts) as (keyof Counts)[]).every((k) => (cur[k] ?? 0) === counts[k]);
  if (same && (cur.observedGeneration ?? 0) >= generation && (cur.collisionCount ?? 0) === collisionCount) return;
  let target = cloneJson(ds);
  for (let attempt = 0; ; attempt++) {
    const status: DaemonSetStatus = { ...target.status, ...counts };
    if (updateObservedGeneration) status.observedGeneration = generation;
    if (collisionCount > 0 || status.collisionCount !== undefined)
      status.collisionCount = Math.max(collisionCount, status.collisionCount ?? 0);
    target.status = status;
    try {
      await client.updateStatus(target.metadata.namespace ?? '', target);
      return;
    } catch (err) {
      if (attempt >= 1) throw err;
      target = (await client.get(target.metadata.namespace ?? '', target.metadata.name ?? '')) as DaemonSet;
    }
  }
}
