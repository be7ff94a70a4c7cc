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
  PreFilterResult,
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
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';
const PRE_FILTER_KEY = 'PreFilter' + NODE_AFFINITY;
const PRE_SCORE_KEY = 'PreScore' + NODE_AFFINITY;

/**
 * The union over the terms of the nodes each names by `metadata.name In` (intersected within a
 * term); undefined when some term names none, as then any node may match it.
 */
function namedNodes(terms: readonly NodeSelectorTerm[]): Set<string> | undefined {
  if (terms.length === 0) return undefined;
  const union = new Set<string>();
  for (const term of terms) {
    let names: Set<string> | undefined;
    for (const r of term.matchFields ?? []) {
      if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
      const values = new Set(r.values ?? []);
      names = names ? new Set([...names].filter((n) => values.has(n))) : values;
    }
    if (!names) return undefined;
    for (const n of names) union.add(n);
  }
  return union;
}

type Preferred = { weight: number; preference: NodeSelectorTerm }[];

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, NormalizeScorePlugin, EnqueueExtensions {
  readonly name = NODE_AFFINITY;

  /**
   * Also narrows the nodes to those a `metadata.name In` matchFields requirement names in every
   * term (a DaemonSet's pods name one node), so Filter runs on them alone.
   */
  preFilter(state: CycleState, pod: PodInfo): { status: Status; result?: PreFilterResult } {
    const required = new RequiredNodeAffinity(pod.pod);
    if (required.isEmpty) return { status: skip() };
    state.write(PRE_FILTER_KEY, required);
    const terms = pod.pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
    const nodeNames = namedNodes(terms);
    if (nodeNames === undefined) return { status: success() };
    if (nodeNames.size === 0) return { status: unresolvable(ERR_REASON_CONFLICT) };
    return { status: success(), result: { nodeNames } };
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
