/** NodeUnschedulable: nodes with spec.unschedulable only take pods tolerating node.kubernetes.io/unschedulable:NoSchedule. */
import type { ClusterEvent, EnqueueExtensions, FilterPlugin } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { type Status, success, unresolvable } from '../framework/status.js';
import { TAINT_NODE_UNSCHEDULABLE } from '../types.js';
import { tolerationsTolerateTaint } from './helper/taints.js';

export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
const UNSCHEDULABLE_TAINT = { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' };

export class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  readonly name = NODE_UNSCHEDULABLE;

  filter(_state: unknown, pod: PodInfo, nodeInfo: NodeInfo): Status {
    if (!nodeInfo.node?.spec?.unschedulable) return success();
    if (tolerationsTolerateTaint(pod.pod.spec.tolerations, UNSCHEDULABLE_TAINT)) return success();
    return unresolvable(ERR_REASON_UNSCHEDULABLE);
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'Node', actions: ['Add', 'Update'] },
      { resource: 'UnscheduledPod', actions: ['Update'] },
    ];
  }
}
