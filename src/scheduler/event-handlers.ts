/**
 * Informer events into the cache and the queue (upstream eventhandlers.go): bound pods go to
 * the cache, unbound pods this scheduler is responsible for go to the queue, and node and pod
 * changes move rejected pods back to be tried again.
 */
import type { KubeObject } from '../machinery/object.js';
import type { SchedulerCache } from './cache/cache.js';
import type { SchedulingQueue } from './queue/scheduling-queue.js';
import type { Node, Pod } from './types.js';

export interface EventHandlerDeps {
  cache: SchedulerCache;
  queue: SchedulingQueue;
  /** Whether a profile of this scheduler handles the pod's schedulerName. */
  responsibleFor: (pod: Pod) => boolean;
  /** The pod with spec.priority resolved from its PriorityClass. */
  withPriority: (pod: Pod) => Pod;
}

function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

const assigned = (pod: Pod) => Boolean(pod.spec?.nodeName);

export function podEventHandler(d: EventHandlerDeps) {
  const { cache, queue } = d;
  return {
    onAdd(obj: KubeObject): void {
      const pod = obj as Pod;
      if (isTerminal(pod)) return;
      if (assigned(pod)) {
        cache.addPod(d.withPriority(pod));
        queue.moveAllToActiveOrBackoffQueue('AssignedPod', 'Add');
      } else if (d.responsibleFor(pod)) {
        queue.add(d.withPriority(pod));
      }
    },
    onUpdate(oldObj: KubeObject, newObj: KubeObject): void {
      const oldPod = oldObj as Pod;
      const pod = newObj as Pod;
      if (assigned(pod)) {
        if (!assigned(oldPod)) queue.delete(oldPod);
        if (isTerminal(pod)) {
          cache.removePod(pod);
          queue.moveAllToActiveOrBackoffQueue('AssignedPod', 'Delete');
          return;
        }
        cache.updatePod(oldPod, d.withPriority(pod));
        queue.moveAllToActiveOrBackoffQueue('AssignedPod', assigned(oldPod) ? 'Update' : 'Add');
        return;
      }
      if (!d.responsibleFor(pod)) {
        if (d.responsibleFor(oldPod)) queue.delete(oldPod);
        return;
      }
      if (cache.isAssumedPod(pod)) return;
      if (isTerminal(pod)) queue.delete(pod);
      else queue.update(d.withPriority(oldPod), d.withPriority(pod));
    },
    onDelete(obj: KubeObject): void {
      const pod = obj as Pod;
      if (assigned(pod)) {
        cache.removePod(pod);
        queue.moveAllToActiveOrBackoffQueue('AssignedPod', 'Delete');
      } else {
        queue.delete(pod);
      }
    },
  };
}

/** Whether a node change can affect scheduling (upstream nodeSchedulingPropertiesChange). */
export function nodeSchedulingPropertiesChanged(a: Node, b: Node): boolean {
  const j = JSON.stringify;
  return (
    Boolean(a.spec?.unschedulable) !== Boolean(b.spec?.unschedulable) ||
    j(a.metadata.labels ?? {}) !== j(b.metadata.labels ?? {}) ||
    j(a.spec?.taints ?? []) !== j(b.spec?.taints ?? []) ||
    j(a.status?.allocatable ?? {}) !== j(b.status?.allocatable ?? {}) ||
    j(a.metadata.annotations ?? {}) !== j(b.metadata.annotations ?? {})
  );
}

export function nodeEventHandler(d: Pick<EventHandlerDeps, 'cache' | 'queue'>) {
  const { cache, queue } = d;
  return {
    onAdd(obj: KubeObject): void {
      cache.addNode(obj as Node);
      queue.moveAllToActiveOrBackoffQueue('Node', 'Add');
    },
    onUpdate(oldObj: KubeObject, newObj: KubeObject): void {
      cache.updateNode(oldObj as Node, newObj as Node);
      if (nodeSchedulingPropertiesChanged(oldObj as Node, newObj as Node)) queue.moveAllToActiveOrBackoffQueue('Node', 'Update');
    },
    onDelete(obj: KubeObject): void {
      cache.removeNode(obj as Node);
      queue.moveAllToActiveOrBackoffQueue('Node', 'Delete');
    },
  };
}
