/**
 * manage and syncNodes (daemon_controller.go): which nodes need a daemon pod and which pods must
 * go (failed ones with a back-off per node, surplus ones, those on nodes that may no longer run
 * them, unscheduled ones aimed at vanished nodes); then the creates, in slow-start batches of
 * pods pinned to their node, and the deletes, under expectations.
 */
import { objectKey } from '../../client/interface.js';
import { hasStatusCause, isStatusError } from '../../machinery/errors.js';
import type { Node } from '../../scheduler/types.js';
import { newControllerRef } from '../controller-utils/controller-ref.js';
import { isPodAvailable, isPodReady } from '../controller-utils/pod-util.js';
import type { Pod, ReplicaSet } from '../controller-utils/types.js';
import { podFromTemplate, podKey, SLOW_START_INITIAL_BATCH_SIZE, slowStartBatch } from '../replicaset/manage-replicas.js';
import { createPodTemplate, replaceNodeNameNodeAffinity, templateGeneration } from './daemon-pod.js';
import type { DaemonSetContext, NodeToDaemonPods } from './context.js';
import { failedPodsBackoffKey } from './failed-pods-backoff.js';
import { DAEMON_SET_KIND } from './history.js';
import { nodeShouldRunDaemonPod, type NodeVerdict } from './node-should-run.js';
import { allowsSurge } from './update-strategy.js';
import { type DaemonSet, DAEMON_SET_UNIQUE_LABEL } from './types.js';

/** podByCreationTimestampAndPhase: scheduled pods first, then oldest first, then by name. */
export function compareDaemonPods(a: Pod, b: Pod): number {
  const sa = Boolean(a.spec?.nodeName);
  const sb = Boolean(b.spec?.nodeName);
  if (sa !== sb) return sa ? -1 : 1;
  const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** What one node needs: a new pod, and the pods to delete. */
export interface NodeWork {
  create: boolean;
  delete: Pod[];
}

/** A failed daemon pod is deleted, at most once per back-off period per node, with a FailedDaemonPod event. */
function failedPodMayGo(ctx: DaemonSetContext, ds: DaemonSet, nodeName: string, pod: Pod): boolean {
  const key = failedPodsBackoffKey(ds.metadata.uid ?? '', ds.status?.observedGeneration ?? 0, nodeName);
  const now = ctx.now();
  if (ctx.failedPodsBackoff.inBackOffSinceUpdate(key, now)) {
    ctx.enqueueAfter(ds, ctx.failedPodsBackoff.get(key));
    return false;
  }
  ctx.failedPodsBackoff.next(key, now);
  const msg = `Found failed daemon pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''} on node ${nodeName}, will try to kill it`;
  ctx.recorder.event(ds, 'Warning', 'FailedDaemonPod', msg);
  return true;
}

/**
 * With surge, two pods may share a node only while the new one (the oldest with the current
 * hash) is not yet available and the old one is ready; any other extra pod goes.
 */
function surplusWithSurge(ctx: DaemonSetContext, ds: DaemonSet, running: Pod[], hash: string): Pod[] {
  const out: Pod[] = [];
  let oldestNew: Pod | undefined;
  let oldestOld: Pod | undefined;
  for (const pod of running) {
    if (pod.metadata.labels?.[DAEMON_SET_UNIQUE_LABEL] === hash) {
      if (!oldestNew) {
        oldestNew = pod;
        continue;
      }
    } else if (!oldestOld) {
      oldestOld = pod;
      continue;
    }
    out.push(pod);
  }
  if (oldestNew && oldestOld) {
    if (!isPodReady(oldestOld) || isPodAvailable(oldestNew, ds.spec?.minReadySeconds ?? 0, ctx.now())) out.push(oldestOld);
  }
  return out;
}

/** podsShouldBeOnNode. */
export function podsShouldBeOnNode(
  ctx: DaemonSetContext,
  ds: DaemonSet,
  nodeName: string,
  verdict: NodeVerdict,
  daemonPods: readonly Pod[] | undefined,
  hash: string,
): NodeWork {
  if (verdict.shouldRun && daemonPods === undefined) return { create: true, delete: [] };
  if (verdict.shouldContinueRunning) {
    const toDelete: Pod[] = [];
    const running: Pod[] = [];
    for (const pod of daemonPods ?? []) {
      if (pod.metadata.deletionTimestamp) continue;
      const phase = pod.status?.phase;
      if (phase === 'Failed') {
        if (failedPodMayGo(ctx, ds, nodeName, pod)) toDelete.push(pod);
      } else if (phase === 'Succeeded') toDelete.push(pod);
      else running.push(pod);
    }
    if (running.length <= 1) return { create: false, delete: toDelete };
    running.sort(compareDaemonPods);
    const surplus = allowsSurge(ds) ? surplusWithSurge(ctx, ds, running, hash) : running.slice(1);
    return { create: false, delete: [...toDelete, ...surplus] };
  }
  if (daemonPods !== undefined) return { create: false, delete: daemonPods.filter((p) => !p.metadata.deletionTimestamp) };
  return { create: false, delete: [] };
}

/** manage: brings every node to one daemon pod (or none), then deletes what is left over. */
export async function manage(
  ctx: DaemonSetContext,
  ds: DaemonSet,
  nodes: readonly Node[],
  byNode: NodeToDaemonPods,
  hash: string,
): Promise<void> {
  const nodesNeedingPods: string[] = [];
  const podsToDelete: Pod[] = [];
  const known = new Set<string>();
  for (const node of nodes) {
    const name = node.metadata.name ?? '';
    known.add(name);
    const work = podsShouldBeOnNode(ctx, ds, name, nodeShouldRunDaemonPod(node, ds), byNode.get(name), hash);
    if (work.create) nodesNeedingPods.push(name);
    podsToDelete.push(...work.delete);
  }
  // getUnscheduledPodsWithoutNode: pending pods aimed at a node that is gone are never scheduled
  for (const [name, pods] of byNode) {
    if (known.has(name)) continue;
    for (const pod of pods) if (!pod.spec?.nodeName && !pod.metadata.deletionTimestamp) podsToDelete.push(pod);
  }
  await syncNodes(ctx, ds, podsToDelete, nodesNeedingPods, hash);
}

/** syncNodes: creates a pod for each node (pinned to it), deletes the given pods; burst-limited. */
export async function syncNodes(
  ctx: DaemonSetContext,
  ds: DaemonSet,
  podsToDelete: readonly Pod[],
  nodesNeedingPods: readonly string[],
  hash: string,
): Promise<void> {
  const key = objectKey(ds);
  const ns = ds.metadata.namespace ?? '';
  const creates = nodesNeedingPods.slice(0, ctx.burstReplicas);
  const deletes = podsToDelete.slice(0, ctx.burstReplicas);
  ctx.expectations.setExpectations(key, creates.length, deletes.map(podKey));
  const ref = newControllerRef(ds, 'apps/v1', DAEMON_SET_KIND);
  const template = createPodTemplate(ds.spec?.template, templateGeneration(ds), hash);
  const errors: unknown[] = [];
  let next = 0;
  const { successes, error } = await slowStartBatch(creates.length, SLOW_START_INITIAL_BATCH_SIZE, async () => {
    const nodeName = creates[next++] as string;
    const podTemplate = {
      ...template,
      spec: { ...template.spec, affinity: replaceNodeNameNodeAffinity(template.spec?.['affinity'] as never, nodeName) },
    };
    const pod = podFromTemplate({ metadata: ds.metadata, spec: { template: podTemplate } } as ReplicaSet, ref);
    try {
      const created = await ctx.pods.create(ns, pod);
      ctx.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
    } catch (err) {
      if (hasStatusCause(err, 'NamespaceTerminating')) return;
      ctx.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
      throw err;
    }
  });
  // failed creates and the batches never tried are not awaited
  for (let i = successes; i < creates.length; i++) ctx.expectations.creationObserved(key);
  if (error !== undefined) errors.push(error);
  await Promise.all(
    deletes.map(async (pod) => {
      const name = pod.metadata.name ?? '';
      try {
        await ctx.pods.delete(ns, name);
        ctx.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
      } catch (err) {
        ctx.expectations.deletionObserved(key, podKey(pod));
        if (isStatusError(err, 'NotFound')) return;
        ctx.recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
        errors.push(err);
      }
    }),
  );
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new Error(`[${errors.map((e) => (e as Error).message).join(', ')}]`);
}
