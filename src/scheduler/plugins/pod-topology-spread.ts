/**
 * PodTopologySpread: hard constraints (DoNotSchedule) bound the skew of matching pods between
 * topology domains; soft constraints (ScheduleAnyway) — or, when a pod has none, the system
 * defaults (hostname maxSkew 3, zone maxSkew 5) with the selector of its Services and controller
 * — prefer nodes in less crowded domains.
 */
import { labelSelectorFromMeta, newRequirement, type Selector } from '../../machinery/labels.js';
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
import type { NodeInfo, PodMatcher } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { type Status, skip, success, unresolvable, unschedulable } from '../framework/status.js';
import { LABEL_HOSTNAME, LABEL_TOPOLOGY_ZONE, type Pod, type TopologySpreadConstraint } from '../types.js';
import { RequiredNodeAffinity } from './helper/node-affinity.js';
import { doNotScheduleTaints, findMatchingUntoleratedTaint } from './helper/taints.js';

export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = "node(s) didn't match pod topology spread constraints (missing required label)";
const PRE_FILTER_KEY = 'PreFilter' + POD_TOPOLOGY_SPREAD;
const PRE_SCORE_KEY = 'PreScore' + POD_TOPOLOGY_SPREAD;

/** The system default constraints (upstream's defaults when a profile sets none). */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = [
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_TOPOLOGY_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  /** The selected pods, in the pod's namespace. */
  matcher: PodMatcher;
  minDomains: number;
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
}

interface PreFilterState {
  constraints: Constraint[];
  /** "key\0value" → matching pods. */
  tpPairToMatchNum: Map<string, number>;
}

function newPreFilterState(constraints: Constraint[], tpPairToMatchNum: Map<string, number>): PreFilterState & { clone(): PreFilterState } {
  return { constraints, tpPairToMatchNum, clone: () => newPreFilterState(constraints, new Map(tpPairToMatchNum)) };
}

interface PreScoreState {
  constraints: Constraint[];
  ignoredNodes: Set<string>;
  /** Per constraint: topology value → matching pods (not for hostname). */
  tpValueToCount: Map<string, number>[];
  weights: number[];
}

/** One PodMatcher object per namespace and selector, so that NodeInfo's counts are reused across cycles. */
class Matchers {
  static readonly #MAX = 1024;
  readonly #byKey = new Map<string, PodMatcher>();

  get(selector: Selector, namespace: string): PodMatcher {
    const key = `${namespace}\u0000${selector.key}`;
    let m = this.#byKey.get(key);
    if (!m) {
      if (this.#byKey.size >= Matchers.#MAX) this.#byKey.clear();
      this.#byKey.set(key, (m = { selector, namespace }));
    }
    return m;
  }
}

function toConstraints(list: readonly TopologySpreadConstraint[], pod: Pod, action: string, matchers: Matchers): Constraint[] {
  const out: Constraint[] = [];
  const labels = pod.metadata.labels ?? {};
  for (const c of list) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector: Selector;
    try {
      selector = labelSelectorFromMeta(c.labelSelector);
      for (const k of c.matchLabelKeys ?? []) if (labels[k] !== undefined) selector = selector.add(newRequirement(k, 'in', [labels[k]]));
    } catch {
      continue;
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      matcher: matchers.get(selector, pod.metadata.namespace ?? ''),
      minDomains: c.minDomains ?? 1,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorNodeTaints: c.nodeTaintsPolicy === 'Honor',
    });
  }
  return out;
}

function hasAllKeys(labels: Record<string, string>, constraints: readonly Constraint[]): boolean {
  for (const c of constraints) if (labels[c.topologyKey] === undefined) return false;
  return true;
}

function pairKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

export class PodTopologySpread
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, NormalizeScorePlugin, EnqueueExtensions, PreFilterExtensions
{
  readonly name = POD_TOPOLOGY_SPREAD;
  readonly #handle: FrameworkHandle;
  readonly #defaults: readonly TopologySpreadConstraint[];
  readonly #matchers = new Matchers();

  constructor(handle: FrameworkHandle, defaults: readonly TopologySpreadConstraint[] = SYSTEM_DEFAULT_CONSTRAINTS) {
    this.#handle = handle;
    this.#defaults = defaults;
  }

  #eligible(c: Constraint, pod: PodInfo, ni: NodeInfo, required: RequiredNodeAffinity): boolean {
    if (!ni.node) return false;
    if (c.honorNodeAffinity && !required.match(ni.node)) return false;
    if (c.honorNodeTaints && findMatchingUntoleratedTaint(ni.node.spec?.taints, pod.pod.spec.tolerations, doNotScheduleTaints))
      return false;
    return true;
  }

  preFilter(state: CycleState, pod: PodInfo): { status: Status } {
    const spec = pod.pod.spec.topologySpreadConstraints ?? [];
    const constraints = spec.length > 0 ? toConstraints(spec, pod.pod, 'DoNotSchedule', this.#matchers) : [];
    if (constraints.length === 0) return { status: skip() };
    const required = new RequiredNodeAffinity(pod.pod);
    const counts = new Map<string, number>();
    for (const ni of this.#handle.snapshot().list()) {
      if (!hasAllKeys(ni.labels, constraints)) continue;
      for (const c of constraints) {
        if (!this.#eligible(c, pod, ni, required)) continue;
        const k = pairKey(c.topologyKey, ni.labels[c.topologyKey]!);
        counts.set(k, (counts.get(k) ?? 0) + ni.countMatchingPods(c.matcher));
      }
    }
    state.write(PRE_FILTER_KEY, newPreFilterState(constraints, counts));
    return { status: success() };
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

  #update(state: CycleState, pod: PodInfo, other: PodInfo, ni: NodeInfo, by: number): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s || !hasAllKeys(ni.labels, s.constraints)) return success();
    if (other.pod.metadata.namespace !== pod.pod.metadata.namespace) return success();
    const required = new RequiredNodeAffinity(pod.pod);
    for (const c of s.constraints) {
      if (!this.#eligible(c, pod, ni, required) || !c.matcher.selector.matches(other.pod.metadata.labels)) continue;
      const k = pairKey(c.topologyKey, ni.labels[c.topologyKey]!);
      s.tpPairToMatchNum.set(k, (s.tpPairToMatchNum.get(k) ?? 0) + by);
    }
    return success();
  }

  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return success();
    if (!hasAllKeys(nodeInfo.labels, s.constraints)) return unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
    for (const c of s.constraints) {
      const value = nodeInfo.labels[c.topologyKey]!;
      const selfMatch = c.matcher.selector.matches(pod.pod.metadata.labels) ? 1 : 0;
      let min = Number.POSITIVE_INFINITY;
      let domains = 0;
      const prefix = `${c.topologyKey}\u0000`;
      for (const [k, n] of s.tpPairToMatchNum) {
        if (!k.startsWith(prefix)) continue;
        domains++;
        if (n < min) min = n;
      }
      if (domains < c.minDomains || min === Number.POSITIVE_INFINITY) min = 0;
      const matchNum = s.tpPairToMatchNum.get(pairKey(c.topologyKey, value)) ?? 0;
      if (matchNum + selfMatch - min > c.maxSkew) return unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return success();
  }

  preScore(state: CycleState, pod: PodInfo, filteredNodes: readonly NodeInfo[]): Status {
    const all = this.#handle.snapshot().list();
    if (all.length === 0) return skip();
    const spec = pod.pod.spec.topologySpreadConstraints ?? [];
    let constraints: Constraint[];
    if (spec.length > 0) {
      constraints = toConstraints(spec, pod.pod, 'ScheduleAnyway', this.#matchers);
    } else {
      constraints = toConstraints(this.#defaults, pod.pod, 'ScheduleAnyway', this.#matchers);
      if (constraints.length > 0) {
        const selector = this.#handle.defaultSelector(pod.pod);
        if (selector.isEmpty() || selector.nothing) return skip();
        const matcher = this.#matchers.get(selector, pod.pod.metadata.namespace ?? '');
        for (const c of constraints) c.matcher = matcher;
      }
    }
    if (constraints.length === 0) return skip();
    const requireAll = spec.length > 0;
    const s: PreScoreState = { constraints, ignoredNodes: new Set(), tpValueToCount: constraints.map(() => new Map()), weights: [] };
    const sizes = constraints.map(() => 0);
    for (const ni of filteredNodes) {
      if (requireAll && !hasAllKeys(ni.labels, constraints)) {
        s.ignoredNodes.add(ni.name);
        continue;
      }
      constraints.forEach((c, i) => {
        if (c.topologyKey === LABEL_HOSTNAME) return;
        const v = ni.labels[c.topologyKey];
        const m = s.tpValueToCount[i]!;
        if (v !== undefined && !m.has(v)) {
          m.set(v, 0);
          sizes[i]!++;
        }
      });
    }
    s.weights = constraints.map((c, i) =>
      Math.log((c.topologyKey === LABEL_HOSTNAME ? filteredNodes.length - s.ignoredNodes.size : sizes[i]!) + 2),
    );
    const required = new RequiredNodeAffinity(pod.pod);
    // only domains that some filtered node is in are counted; a node without pods adds nothing
    const counted = constraints.flatMap((c, i) =>
      c.topologyKey !== LABEL_HOSTNAME && s.tpValueToCount[i]!.size > 0 ? [{ c, m: s.tpValueToCount[i]! }] : [],
    );
    if (counted.length > 0 && !requireAll && required.isEmpty && counted.every(({ c }) => !c.honorNodeTaints)) {
      // every node is eligible: the cache keeps the sums per domain
      const snapshot = this.#handle.snapshot();
      for (const { c, m } of counted) {
        const totals = snapshot.topologyCounts(c.matcher, c.topologyKey);
        for (const v of m.keys()) m.set(v, totals.get(v) ?? 0);
      }
    } else if (counted.length > 0) {
      for (const ni of all) {
        if (!ni.node || ni.pods.length === 0 || (requireAll && !hasAllKeys(ni.labels, constraints))) continue;
        for (const { c, m } of counted) {
          const v = ni.labels[c.topologyKey];
          const before = v === undefined ? undefined : m.get(v);
          if (before === undefined || !this.#eligible(c, pod, ni, required)) continue;
          m.set(v!, before + ni.countMatchingPods(c.matcher));
        }
      }
    }
    state.write(PRE_SCORE_KEY, s);
    return success();
  }

  score(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): number {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s || (s.ignoredNodes.size > 0 && s.ignoredNodes.has(nodeInfo.name))) return 0;
    const labels = nodeInfo.labels;
    let score = 0;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const v = labels[c.topologyKey];
      if (v === undefined) continue;
      const count = c.topologyKey === LABEL_HOSTNAME ? nodeInfo.countMatchingPods(c.matcher) : (s.tpValueToCount[i]!.get(v) ?? 0);
      score += count * s.weights[i]! + (c.maxSkew - 1);
    }
    return Math.round(score);
  }

  normalizeScore(state: CycleState, _pod: PodInfo, scores: NodeScore[]): Status {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s) return success();
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    for (const sc of scores) {
      if (s.ignoredNodes.has(sc.name)) continue;
      if (sc.score < min) min = sc.score;
      if (sc.score > max) max = sc.score;
    }
    for (const sc of scores) {
      if (s.ignoredNodes.has(sc.name)) sc.score = 0;
      else if (max === 0) sc.score = MAX_NODE_SCORE;
      else sc.score = Math.trunc((MAX_NODE_SCORE * (max + min - sc.score)) / max);
    }
    return success();
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'AssignedPod', actions: ['Add', 'Update', 'Delete'] },
      { resource: 'Node', actions: ['Add', 'Update', 'Delete'] },
    ];
  }
}
