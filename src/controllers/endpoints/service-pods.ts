/**
 * The event handlers the endpoints and endpointslice controllers share: a Service is synced when
 * it changes, and when a pod it selects (before or after a label change) comes, changes or goes.
 */
import type { KubeObject } from '../../machinery/object.js';
import { objectKey, type Lister, type SharedInformer, type WorkQueue } from '../../client/interface.js';
import { jsonEqual } from '../../machinery/json-equal.js';
import { selectsPod } from './pod-endpoints.js';

export function enqueueServicesOnChanges(queue: WorkQueue, services: SharedInformer, pods: SharedInformer): void {
  const enqueue = (obj: KubeObject): void => queue.add(objectKey(obj));
  const enqueueServicesOf = (pod: KubeObject): void => enqueueSelecting(queue, services.lister, pod);
  services.addEventHandler({ onAdd: enqueue, onUpdate: (_o, s) => enqueue(s), onDelete: enqueue });
  pods.addEventHandler({
    onAdd: enqueueServicesOf,
    onUpdate: (old, p) => {
      enqueueServicesOf(p);
      if (!jsonEqual(old.metadata.labels, p.metadata.labels)) enqueueServicesOf(old);
    },
    onDelete: enqueueServicesOf,
  });
}

function enqueueSelecting(queue: WorkQueue, services: Lister, pod: KubeObject): void {
  for (const svc of services.list(pod.metadata.namespace)) if (selectsPod(svc, pod)) queue.add(objectKey(svc));
}
