/**
 * InterPodAffinity: required pod affinity and anti-affinity (of the incoming pod, and of pods
 * already placed towards it) per topology domain, and a Score from preferred terms on both sides
 * plus existing pods' required affinity (hard weight 1), min-max normalized to 0–100.
 */
import type { CycleState } from '../framework/cycle-state.js';
import type {
  ClusterEvent,
  EnqueueExtensions,
  FilterPlugin,
  FrameworkHandle,
  NodeScore,
  NormalizeScorePlugin,
  PreFilterExtensions,
  PreFilterPlugin,
  PreScorePlugin,
  ScorePlugin,
} from '../framework/interface.js';
import { MAX_NODE_SCORE } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import { type AffinityTerm, affinityTermMatches, type NamespaceLabels, type PodInfo } from '../framework/pod-info.js';
import { type Status, skip, success, unresolvable, unschedulable } from '../framework/status.js';
import type { Pod } from '../types.js';

export const INTER_POD_AFFINITY = 'InterPodAffinity';
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";
const PRE_FILTER_KEY = 'PreFilter' + INTER_POD_AFFINITY;
const PRE_SCORE_KEY = 'PreScore' + INTER_POD_AFFINITY;
const HARD_POD_AFFINITY_WEIGHT = 1;

/** Counts per topology pair, keyed "key\u0000value". */
type TopologyCounts = Map<string, number>;

class PreFilterState {
  existingAntiAffinityCounts: TopologyCounts = new Map();
  affinityCounts: TopologyCounts = new Map();
  antiAffinityCounts: TopologyCounts = new Map();

  clone(): PreFilterState {
    const c = new PreFilterState();
    c.existingAntiAffinityCounts = new Map(this.existingAntiAffinityCounts);
    c.affinityCounts = new Map(this.affinityCounts);
    c.antiAffinityCounts = new Map(this.antiAffinityCounts);
    return c;
  }
}

function pair(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

function bump(counts: TopologyCounts, terms: readonly AffinityTerm[], labels: Record<string, string>, by: number): void {
  for (const t of terms) {
    const v = labels[t.topologyKey];
    if (v !== undefined) counts.set(pair(t.topologyKey, v), (counts.get(pair(t.topologyKey, v)) ?? 0) + by);
  }
}

function matchesAll(terms: readonly AffinityTerm[], pod: Pod, ns: NamespaceLabels): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!affinityTermMatches(t, pod, ns)) return false;
  return true;
}

export class InterPodAffinity
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, NormalizeScorePlugin, EnqueueExtensions, PreFilterExtensions
{
  readonly name = INTER_POD_AFFINITY;
  readonly #handle: FrameworkHandle;

  constructor(handle: FrameworkHandle) {
    this.#handle = handle;
  }

  preFilter(state: CycleState, pod: PodInfo): { status: Status } {
    const snapshot = this.#handle.snapshot();
    const ns = this.#handle.namespaceLabels;
    const s = new PreFilterState();
    for (const ni of snapshot.havePodsWithRequiredAntiAffinityList()) {
      for (const existing of ni.podsWithRequiredAntiAffinity) this.#countExistingAnti(s, pod, existing, ni, 1);
    }
    const hasTerms = pod.requiredAffinityTerms.length > 0 || pod.requiredAntiAffinityTerms.length > 0;
    if (hasTerms) {
      for (const ni of snapshot.list()) {
        for (const existing of ni.pods) this.#countIncoming(s, pod, existing, ni, 1, ns);
      }
    }
    if (!hasTerms && s.existingAntiAffinityCounts.size === 0) return { status: skip() };
    state.write(PRE_FILTER_KEY, s);
    return { status: success() };
  }

  #countExistingAnti(s: PreFilterState, pod: PodInfo, existing: PodInfo, ni: NodeInfo, by: number): void {
    for (const t of existing.requiredAntiAffinityTerms) {
      if (affinityTermMatches(t, pod.pod, this.#handle.namespaceLabels)) bump(s.existingAntiAffinityCounts, [t], ni.labels, by);
    }
  }

  #countIncoming(s: PreFilterState, pod: PodInfo, existing: PodInfo, ni: NodeInfo, by: number, ns: NamespaceLabels): void {
    if (pod.requiredAffinityTerms.length > 0 && matchesAll(pod.requiredAffinityTerms, existing.pod, ns)) {
      bump(s.affinityCounts, pod.requiredAffinityTerms, ni.labels, by);
    }
    for (const t of pod.requiredAntiAffinityTerms) {
      if (affinityTermMatches(t, existing.pod, ns)) bump(s.antiAffinityCounts, [t], ni.labels, by);
    }
  }

  preFilterExtensions(): PreFilterExtensions {
    return this;
  }

  addPod(state: CycleState, pod: PodInfo, podToAdd: PodInfo, nodeInfo: NodeInfo): Status {
    return this.#update(state, pod, podToAdd, nodeInfo, 1);
  }

  removePod(state: CycleState, pod: PodInfo, podToRemove: PodInfo, nodeInfo: NodeInfo): Status {
    return this.#update(state, pod, podToRemove, nodeInfo, -1);
  }

  #update(state: CycleState, pod: PodInfo, other: PodInfo, nodeInfo: NodeInfo, by: number): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return success();
    this.#countExistingAnti(s, pod, other, nodeInfo, by);
    this.#countIncoming(s, pod, other, nodeInfo, by, this.#handle.namespaceLabels);
    return success();
  }

  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return success();
    const labels = nodeInfo.labels;
    if (pod.requiredAffinityTerms.length > 0) {
      let podsExist = true;
      for (const t of pod.requiredAffinityTerms) {
        const v = labels[t.topologyKey];
        if (v === undefined) return unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
        if ((s.affinityCounts.get(pair(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
      }
      if (!podsExist) {
        const selfMatch = s.affinityCounts.size === 0 && matchesAll(pod.requiredAffinityTerms, pod.pod, this.#handle.namespaceLabels);
        if (!selfMatch) return unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
      }
    }
    if (s.antiAffinityCounts.size > 0) {
      for (const t of pod.requiredAntiAffinityTerms) {
        const v = labels[t.topologyKey];
        if (v !== undefined && (s.antiAffinityCounts.get(pair(t.topologyKey, v)) ?? 0) > 0) {
          return unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
        }
      }
    }
    if (s.existingAntiAffinityCounts.size > 0) {
      for (const [k, v] of Object.entries(labels)) {
        if ((s.existingAntiAffinityCounts.get(pair(k, v)) ?? 0) > 0)
          return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
      }
    }
    return success();
  }

  preScore(state: CycleState, pod: PodInfo): Status {
    const hasConstraints = pod.preferredAffinityTerms.length > 0 || pod.preferredAntiAffinityTerms.length > 0;
    const snapshot = this.#handle.snapshot();
    const nodes = hasConstraints ? snapshot.list() : snapshot.havePodsWithAffinityList();
    const ns = this.#handle.namespaceLabels;
    const topologyScore = new Map<string, Map<string, number>>();
    const add = (t: AffinityTerm, weight: number, target: Pod, labels: Record<string, string>) => {
      if (!affinityTermMatches(t, target, ns)) return;
      const v = labels[t.topologyKey];
      if (v === undefined) return;
      let m = topologyScore.get(t.topologyKey);
      if (!m) topologyScore.set(t.topologyKey, (m = new Map()));
      m.set(v, (m.get(v) ?? 0) + weight);
    };
    for (const ni of nodes) {
      if (!ni.node) continue;
      const labels = ni.labels;
      for (const existing of hasConstraints ? ni.pods : ni.podsWithAffinity) {
        for (const t of pod.preferredAffinityTerms) add(t, t.weight, existing.pod, labels);
        for (const t of pod.preferredAntiAffinityTerms) add(t, -t.weight, existing.pod, labels);
        if (Object.keys(labels).length > 0)
          for (const t of existing.requiredAffinityTerms) add(t, HARD_POD_AFFINITY_WEIGHT, pod.pod, labels);
        for (const t of existing.preferredAffinityTerms) add(t, t.weight, pod.pod, labels);
        for (const t of existing.preferredAntiAffinityTerms) add(t, -t.weight, pod.pod, labels);
      }
    }
    if (topologyScore.size === 0) return skip();
    state.write(PRE_SCORE_KEY, topologyScore);
    return success();
  }

  score(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): number {
    const topologyScore = state.read<Map<string, Map<string, number>>>(PRE_SCORE_KEY);
    if (!topologyScore) return 0;
    let score = 0;
    for (const [key, values] of topologyScore) {
      const v = nodeInfo.labels[key];
      if (v !== undefined) score += values.get(v) ?? 0;
    }
    return score;
  }

  normalizeScore(state: CycleState, _pod: PodInfo, scores: NodeScore[]): Status {
    if (!state.read(PRE_SCORE_KEY)) return success();
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const s of scores) {
      if (s.score > max) max = s.score;
      if (s.score < min) min = s.score;
    }
    const diff = max - min;
    for (const s of scores) s.score = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((s.score - min) / diff)) : 0;
    return success();
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'AssignedPod', actions: ['Add', 'Update', 'Delete'] },
      { resource: 'Node', actions: ['Add', 'Update'] },
      { resource: 'Namespace', actions: ['Add', 'Update'] },
    ];
  }
}
