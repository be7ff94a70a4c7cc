/**
 * NodeResourcesFit: Filter checks the pod's requests (containers, init containers, sidecars,
 * overhead) and the pod count against allocatable minus what is requested on the node; Score is
 * LeastAllocated over cpu and memory (weight 1 each), using requests with 100m/200Mi defaults.
 */
import type { CycleState } from '../framework/cycle-state.js';
import type { ClusterEvent, EnqueueExtensions, FilterPlugin, PreFilterPlugin, ScorePlugin } from '../framework/interface.js';
import { MAX_NODE_SCORE } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { type Status, success, unschedulable } from '../framework/status.js';

export const NODE_RESOURCES_FIT = 'NodeResourcesFit';

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

/** Upstream noderesources.Fits: every resource the pod cannot get on the node. */
export function fitsRequest(pod: PodInfo, nodeInfo: NodeInfo): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  if (nodeInfo.pods.length + 1 > alloc.allowedPodNumber) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: nodeInfo.pods.length, capacity: alloc.allowedPodNumber });
  }
  const req = pod.requests;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) {
    out.push({ resourceName: 'cpu', reason: 'Insufficient cpu', requested: req.milliCPU, used: used.milliCPU, capacity: alloc.milliCPU });
  }
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
    out.push({ resourceName: 'memory', reason: 'Insufficient memory', requested: req.memory, used: used.memory, capacity: alloc.memory });
  }
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    out.push({
      resourceName: 'ephemeral-storage',
      reason: 'Insufficient ephemeral-storage',
      requested: req.ephemeralStorage,
      used: used.ephemeralStorage,
      capacity: alloc.ephemeralStorage,
    });
  }
  if (req.scalar) {
    for (const [name, q] of req.scalar) {
      if (q === 0) continue;
      const have = alloc.get(name) - used.get(name);
      if (q > have)
        out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: q, used: used.get(name), capacity: alloc.get(name) });
    }
  }
  return out;
}

/** ((capacity - requested) * 100) / capacity, 0 when over capacity (integer arithmetic). */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NODE_RESOURCES_FIT;

  preFilter(): { status: Status } {
    return { status: success() };
  }

  filter(_state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    const insufficient = fitsRequest(pod, nodeInfo);
    if (insufficient.length === 0) return success();
    return unschedulable(...insufficient.map((r) => r.reason));
  }

  score(_state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number {
    const alloc = nodeInfo.allocatable;
    const used = nodeInfo.nonZeroRequested;
    const req = pod.nonZeroRequests;
    let sum = 0;
    let weights = 0;
    if (alloc.milliCPU !== 0) {
      sum += leastRequestedScore(used.milliCPU + req.milliCPU, alloc.milliCPU);
      weights++;
    }
    if (alloc.memory !== 0) {
      sum += leastRequestedScore(used.memory + req.memory, alloc.memory);
      weights++;
    }
    return weights === 0 ? 0 : Math.trunc(sum / weights);
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'AssignedPod', actions: ['Delete', 'Update'] },
      { resource: 'Node', actions: ['Add', 'Update'] },
      { resource: 'UnscheduledPod', actions: ['Update'] },
    ];
  }
}
