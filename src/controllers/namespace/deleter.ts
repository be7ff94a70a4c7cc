/**
 * Deletes the content of a terminating namespace (upstream namespacedResourcesDeleter.deleteAllContent):
 * list and delete every namespaced resource, then count what remains and which finalizers hold it.
 */
import type { Clientset, GroupVersionResource } from '../../client/interface.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import type { ContentTotals, NamespaceConditionUpdater } from './conditions.js';

/** Assumed time for finalizers to complete when items pending deletion carry some (upstream). */
export const FINALIZER_ESTIMATE_SECONDS = 15;
const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

export interface ContentDeletion {
  /** Seconds before the remaining content is expected to be gone; 0 when empty. */
  estimate: number;
  totals: ContentTotals;
  /** Some list or delete failed (the sync is retried with backoff). */
  failed: boolean;
}

/** upstream estimateGracefulTerminationForPods: the longest grace period of non-terminal pods. */
export function estimateGracefulTerminationForPods(pods: readonly KubeObject[]): number {
  let estimate = 0;
  for (const pod of pods) {
    const phase = (pod['status'] as { phase?: string } | undefined)?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const spec = pod['spec'] as { terminationGracePeriodSeconds?: number } | undefined;
    const grace =
      pod.metadata.deletionGracePeriodSeconds ?? spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
    estimate = Math.max(estimate, grace);
  }
  return estimate;
}

const groupResource = (gvr: GroupVersionResource): string => `${gvr.resource}.${gvr.group}`;

/** Deletes everything in `namespace` of the given resources; failures go to the condition updater. */
export async function deleteAllContent(
  client: Clientset,
  resources: readonly GroupVersionResource[],
  namespace: string,
  updater: NamespaceConditionUpdater,
): Promise<ContentDeletion> {
  const totals: ContentTotals = { remaining: new Map(), finalizers: new Map() };
  let estimate = 0;
  let failed = false;
  for (const gvr of resources) {
    const rc = client.resource(gvr);
    let items: KubeObject[];
    try {
      items = (await rc.list(namespace)).items;
    } catch (err) {
      // a resource that cannot be listed (any more) holds nothing we can delete
      if (isStatusError(err, 'NotFound') || isStatusError(err, 'MethodNotAllowed')) continue;
      updater.processDeleteContentError(`${groupResource(gvr)}: ${(err as Error).message}`);
      failed = true;
      continue;
    }
    if (items.length === 0) continue;
    if (gvr.group === '' && gvr.resource === 'pods') estimate = Math.max(estimate, estimateGracefulTerminationForPods(items));
    let deleteFailed = false;
    for (const item of items) {
      if (item.metadata.deletionTimestamp) continue;
      try {
        await rc.delete(namespace, item.metadata.name ?? '', { propagationPolicy: 'Background' });
      } catch (err) {
        if (isStatusError(err, 'NotFound')) continue;
        if (!deleteFailed) updater.processDeleteContentError(`${groupResource(gvr)}: ${(err as Error).message}`);
        deleteFailed = failed = true;
      }
    }
    // what is left, and which finalizers keep it
    const left = (await rc.list(namespace)).items;
    if (left.length === 0) continue;
    totals.remaining.set(groupResource(gvr), left.length);
    for (const item of left) {
      for (const f of item.metadata.finalizers ?? []) {
        totals.finalizers.set(f, (totals.finalizers.get(f) ?? 0) + 1);
        estimate = Math.max(estimate, FINALIZER_ESTIMATE_SECONDS);
      }
    }
    // something remains though nothing says how long it takes: look again soon
    estimate = Math.max(estimate, 1);
  }
  updater.processContentTotals(totals);
  return { estimate, totals, failed };
}
