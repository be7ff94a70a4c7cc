/** NodePorts: the pod's host ports must be free on the node (0.0.0.0 conflicts with any IP). */
import type { CycleState } from '../framework/cycle-state.js';
import type { ClusterEvent, EnqueueExtensions, FilterPlugin, PreFilterPlugin } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { type Status, skip, success, unschedulable } from '../framework/status.js';

export const NODE_PORTS = 'NodePorts';
export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

export class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = NODE_PORTS;

  preFilter(_state: CycleState, pod: PodInfo): { status: Status } {
    return { status: pod.hostPorts.length === 0 ? skip() : success() };
  }

  filter(_state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    if (pod.hostPorts.length === 0 || nodeInfo.usedPorts.size === 0) return success();
    return nodeInfo.portsConflict(pod.hostPorts) ? unschedulable(ERR_REASON_NODE_PORTS) : success();
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'AssignedPod', actions: ['Delete'] },
      { resource: 'Node', actions: ['Add', 'Update'] },
    ];
  }
}
