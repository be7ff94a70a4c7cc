/**
 * Pods by the UID of the controller that owns them, orphans by namespace (upstream's
 * AddPodControllerUIDIndexer and FilterPodsByOwner): a controller syncing one owner reads that
 * owner's pods and the adoptable ones, not every pod of the namespace.
 */
import type { Lister, SharedInformer } from '../../client/interface.js';
import type { KubeObject } from '../../machinery/object.js';
import { getControllerOf } from './controller-ref.js';

export const POD_CONTROLLER_UID_INDEX = 'podControllerUID';

/** Orphans are indexed under their namespace, in a form no UID takes. */
function orphanKey(namespace: string): string {
  return `orphan/${namespace}`;
}

/** Adds the index to a pod informer (idempotent; before the informer starts). */
export function addPodControllerIndex(pods: SharedInformer): void {
  pods.addIndexer(POD_CONTROLLER_UID_INDEX, (pod) => {
    const ref = getControllerOf(pod);
    return [ref?.uid ? ref.uid : orphanKey(pod.metadata.namespace ?? '')];
  });
}

/** The pods a controller with this UID owns. */
export function podsOwnedBy(pods: Lister, uid: string): KubeObject[] {
  return uid ? pods.byIndex(POD_CONTROLLER_UID_INDEX, uid) : [];
}

/** The pods `owner` owns plus the orphans of its namespace (candidates for adoption). */
export function podsOwnedOrOrphaned(pods: Lister, owner: KubeObject): KubeObject[] {
  return [
    ...podsOwnedBy(pods, owner.metadata.uid ?? ''),
    ...pods.byIndex(POD_CONTROLLER_UID_INDEX, orphanKey(owner.metadata.namespace ?? '')),
  ];
}
