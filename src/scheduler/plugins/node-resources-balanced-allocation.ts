/**
 * NodeResourcesBalancedAllocation: prefers nodes where cpu and memory would be used in similar
 * fractions after placing the pod: (1 - standard deviation of the fractions) × 100. Best-effort
 * pods (no cpu or memory requests) are not scored.
 */
import type { CycleState } from '../framework/cycle-state.js';
import type { PreScorePlugin, ScorePlugin } from '../framework/interface.js';
import { MAX_NODE_SCORE } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { type Status, skip, success } from '../framework/status.js';

export const NODE_RESOURCES_BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';

/** Upstream balancedResourceScorer over parallel requested/allocatable lists. */
export function balancedResourceScore(requested: readonly number[], allocatable: readonly number[]): number {
  const fractions: number[] = [];
  let total = 0;
  for (let i = 0; i < requested.length; i++) {
    const a = allocatable[i] ?? 0;
    if (a === 0) continue;
    const f = Math.min((requested[i] ?? 0) / a, 1);
    total += f;
    fractions.push(f);
  }
  let std = 0;
  if (fractions.length === 2) {
    std = Math.abs((fractions[0]! - fractions[1]!) / 2);
  } else if (fractions.length > 2) {
    const mean = total / fractions.length;
    let sum = 0;
    for (const f of fractions) sum += (f - mean) * (f - mean);
    std = Math.sqrt(sum / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = NODE_RESOURCES_BALANCED_ALLOCATION;

  preScore(_state: CycleState, pod: PodInfo): Status {
    return pod.requests.milliCPU === 0 && pod.requests.memory === 0 ? skip() : success();
  }

  score(_state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number {
    const a = nodeInfo.allocatable;
    const r = nodeInfo.requested;
    const p = pod.requests;
    return balancedResourceScore([r.milliCPU + p.milliCPU, r.memory + p.memory], [a.milliCPU, a.memory]);
  }
}
