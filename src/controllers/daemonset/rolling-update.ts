/**
 * rollingUpdate (daemon/update.go). Without surge: delete just enough old pods to stay within
 * maxUnavailable (an unavailable old pod may always go) and let manage create the new ones.
 * With surge: create a new pod beside an old one on up to maxSurge nodes (at once where the old
 * pod is unavailable) and delete the old pod once the new one is available; an available pod on
 * a node the template no longer fits goes only while the others keep every node served.
 */
import type { Node } from '../../scheduler/types.js';
import { isPodAvailable } from '../controller-utils/pod-util.js';
import type { Pod } from '../controller-utils/types.js';
import type { DaemonSetContext, NodeToDaemonPods } from './context.js';
import { isPodUpdated, templateGeneration } from './daemon-pod.js';
import { syncNodes } from './manage.js';
import { nodeShouldRunDaemonPod } from './node-should-run.js';
import { surgeCount, unavailableCount } from './update-strategy.js';
import type { DaemonSet } from './types.js';

/** findUpdatedPodsOnNode: at most one new and one old live pod; `ok` false when there are more. */
export function findUpdatedPodsOnNode(
  pods: readonly Pod[],
  hash: string,
  generation: number | undefined,
): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { ...(newPod ? { newPod } : {}), ...(oldPod ? { oldPod } : {}), ok: true };
}

/**
 * updatedDesiredNodeCounts: maxSurge, maxUnavailable and the desired count; every node that should
 * run a pod gets an entry in `byNode`. Neither surge nor unavailability allowed means 1 unavailable.
 */
function updatedDesiredNodeCounts(ds: DaemonSet, nodes: readonly Node[], byNode: NodeToDaemonPods) {
  let desired = 0;
  for (const node of nodes) {
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
    desired++;
    const name = node.metadata.name ?? '';
    if (!byNode.has(name)) byNode.set(name, []);
  }
  let maxUnavailable = unavailableCount(ds, desired);
  const maxSurge = surgeCount(ds, desired);
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable, desired };
}

export async function rollingUpdate(
  ctx: DaemonSetContext,
  ds: DaemonSet,
  nodes: readonly Node[],
  byNode: NodeToDaemonPods,
  hash: string,
): Promise<void> {
  const { maxSurge, maxUnavailable, desired } = updatedDesiredNodeCounts(ds, nodes, byNode);
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const generation = templateGeneration(ds);
  const now = ctx.now();
  const available = (pod: Pod | undefined) => pod !== undefined && isPodAvailable(pod, minReady, now);

  if (maxSurge === 0) {
    let numUnavailable = 0;
    const replacements: Pod[] = [];
    const candidates: Pod[] = [];
    for (const pods of byNode.values()) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(pods, hash, generation);
      if (!ok || (oldPod === undefined) === (newPod === undefined)) numUnavailable++;
      else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (!available(oldPod)) replacements.push(oldPod as Pod);
      else if (numUnavailable < maxUnavailable) candidates.push(oldPod as Pod);
    }
    const remaining = Math.min(Math.max(maxUnavailable - numUnavailable, 0), candidates.length);
    await syncNodes(ctx, ds, [...replacements, ...candidates.slice(0, remaining)], [], hash);
    return;
  }

  const oldPodsToDelete: Pod[] = [];
  const shouldNotRunPodsToDelete: Pod[] = [];
  const candidateNewNodes: string[] = [];
  const allowedNewNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  const shouldRun = (nodeName: string): boolean => {
    const node = ctx.nodes.get('', nodeName) as Node | undefined;
    return node !== undefined && nodeShouldRunDaemonPod(node, ds).shouldRun;
  };
  for (const [nodeName, pods] of byNode) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(pods, hash, generation);
    if (!ok) {
      numSurge++;
      continue;
    }
    // availability counts on every node, even those the pod is leaving
    if (oldPod ? available(oldPod) : available(newPod)) numAvailable++;
    if (oldPod === undefined) continue;
    if (newPod === undefined) {
      if (!available(oldPod)) {
        if (shouldRun(nodeName)) allowedNewNodes.push(nodeName);
        else oldPodsToDelete.push(oldPod);
      } else if (!shouldRun(nodeName)) shouldNotRunPodsToDelete.push(oldPod);
      else if (numSurge < maxSurge) candidateNewNodes.push(nodeName);
      continue;
    }
    if (!available(newPod)) numSurge++;
    else oldPodsToDelete.push(oldPod);
  }
  // full availability is the point of surging: a pod leaves a node its template no longer
  // fits only while more pods are available than nodes want one
  const deletable = Math.min(numAvailable - desired, shouldNotRunPodsToDelete.length);
  if (deletable > 0) oldPodsToDelete.push(...shouldNotRunPodsToDelete.slice(0, deletable));
  const remaining = Math.min(Math.max(maxSurge - numSurge, 0), candidateNewNodes.length);
  await syncNodes(ctx, ds, oldPodsToDelete, [...allowedNewNodes, ...candidateNewNodes.slice(0, remaining)], hash);
}
