/**
 * TaintToleration: Filter rejects nodes with a NoSchedule or NoExecute taint the pod does not
 * tolerate; Score prefers nodes with fewer untolerated PreferNoSchedule taints.
 */
import type { CycleState } from '../framework/cycle-state.js';
import type {
  ClusterEvent,
  EnqueueExtensions,
  FilterPlugin,
  NodeScore,
  NormalizeScorePlugin,
  PreScorePlugin,
  ScorePlugin,
} from '../framework/interface.js';
import { MAX_NODE_SCORE } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { type Status, success, unresolvable } from '../framework/status.js';
import type { Toleration } from '../types.js';
import { defaultNormalizeScore } from './helper/normalize-score.js';
import { doNotScheduleTaints, findMatchingUntoleratedTaint, tolerationsTolerateTaint } from './helper/taints.js';

export const TAINT_TOLERATION = 'TaintToleration';
const PRE_SCORE_KEY = 'PreScore' + TAINT_TOLERATION;

export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin, NormalizeScorePlugin, EnqueueExtensions {
  readonly name = TAINT_TOLERATION;

  filter(_state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    const taints = nodeInfo.node?.spec?.taints;
    if (!taints || taints.length === 0) return success();
    const taint = findMatchingUntoleratedTaint(taints, pod.pod.spec.tolerations, doNotScheduleTaints);
    if (!taint) return success();
    return unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
  }

  preScore(state: CycleState, pod: PodInfo): Status {
    const tolerations = (pod.pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    state.write(PRE_SCORE_KEY, tolerations);
    return success();
  }

  score(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): number {
    const taints = nodeInfo.node?.spec?.taints;
    if (!taints || taints.length === 0) return 0;
    const tolerations = state.read<Toleration[]>(PRE_SCORE_KEY) ?? [];
    let n = 0;
    for (const t of taints) if (t.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, t)) n++;
    return n;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: NodeScore[]): Status {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
    return success();
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'Node', actions: ['Add', 'Update'] },
      { resource: 'UnscheduledPod', actions: ['Update'] },
    ];
  }
}
