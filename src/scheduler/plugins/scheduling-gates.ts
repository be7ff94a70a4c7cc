/** SchedulingGates: a pod with spec.schedulingGates stays out of activeQ until they are removed. */
import type { ClusterEvent, EnqueueExtensions, PreEnqueuePlugin } from '../framework/interface.js';
import { type Status, success, unresolvable } from '../framework/status.js';
import type { Pod } from '../types.js';

export const SCHEDULING_GATES = 'SchedulingGates';

export class SchedulingGates implements PreEnqueuePlugin, EnqueueExtensions {
  readonly name = SCHEDULING_GATES;

  preEnqueue(pod: Pod): Status {
    const gates = pod.spec.schedulingGates ?? [];
    if (gates.length === 0) return success();
    return unresolvable(`waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`);
  }

  eventsToRegister(): ClusterEvent[] {
    return [{ resource: 'UnscheduledPod', actions: ['Update'] }];
  }
}
