/**
 * NodeAffinity: Filter requires spec.nodeSelector and the required node affinity to match;
 * Score sums the weights of matching preferred terms, normalized to 0–100.
 */
import type { CycleState } from '../framework/cycle-state.js';
import type {
  ClusterEvent,
  EnqueueExtensions,
  FilterPlugin,
  NodeScore,
  NormalizeScorePlugin,
  PreFilterPlugin,
  PreScorePlugin,
  ScorePlugin,
} from '../framework/interface.js';
import { MAX_NODE_SCORE } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { type Status, skip, success, unresolvable } from '../framework/status.js';
import type { NodeSelectorTerm } from '../types.js';
import { RequiredNodeAffinity, nodeSelectorTermMatches } from './helper/node-affinity.js';
import { defaultNormalizeScore } from './helper/normalize-score.js';

export const NODE_AFFINITY = 'NodeAffinity';
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
const PRE_FILTER_KEY = 'PreFilter' + NODE_AFFINITY;
const PRE_SCORE_KEY = 'PreScore' + NODE_AFFINITY;

type Preferred = { weight: number; preference: NodeSelectorTerm }[];

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, NormalizeScorePlugin, EnqueueExtensions {
  readonly name = NODE_AFFINITY;

  preFilter(state: CycleState, pod: PodInfo): { status: Status } {
    const required = new RequiredNodeAffinity(pod.pod);
    if (required.isEmpty) return { status: skip() };
    state.write(PRE_FILTER_KEY, required);
    return { status: success() };
  }

  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    if (!nodeInfo.node) return success();
    const required = state.read<RequiredNodeAffinity>(PRE_FILTER_KEY) ?? new RequiredNodeAffinity(pod.pod);
    return required.match(nodeInfo.node) ? success() : unresolvable(ERR_REASON_POD);
  }

  preScore(state: CycleState, pod: PodInfo): Status {
    const preferred = pod.pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    const terms = preferred.filter((t) => t.weight !== 0);
    if (terms.length === 0) return skip();
    state.write(PRE_SCORE_KEY, terms);
    return success();
  }

  score(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): number {
    const terms = state.read<Preferred>(PRE_SCORE_KEY) ?? [];
    if (!nodeInfo.node) return 0;
    let sum = 0;
    for (const t of terms) if (nodeSelectorTermMatches(t.preference, nodeInfo.node)) sum += t.weight;
    return sum;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: NodeScore[]): Status {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
    return success();
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'Node', actions: ['Add', 'Update'] },
      { resource: 'UnscheduledPod', actions: ['Update'] },
    ];
  }
}
