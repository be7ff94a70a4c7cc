/** PrioritySort: activeQ ordered by pod priority, then by when the pod entered the queue. */
import type { QueueSortPlugin } from '../framework/interface.js';
import type { QueuedPodInfo } from '../framework/pod-info.js';

export const PRIORITY_SORT = 'PrioritySort';

export class PrioritySort implements QueueSortPlugin {
  readonly name = PRIORITY_SORT;

  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    const pa = a.podInfo.priority;
    const pb = b.podInfo.priority;
    return pa > pb || (pa === pb && a.timestamp < b.timestamp);
  }
}
