/**
 * Choosing a node for one pod (upstream schedule_one.go schedulePod): PreFilter, Filter over
 * the nodes — all of them in small clusters, else until enough feasible nodes are found
 * (percentageOfNodesToScore, adaptive: 50% − nodes/125, at least 5%, at least 100 nodes),
 * resuming where the last cycle stopped — then PreScore, Score and a random pick among the best.
 */
import { CycleState } from './framework/cycle-state.js';
import { type Diagnosis, ERR_NO_NODES_AVAILABLE, FitError } from './framework/fit-error.js';
import type { NodeInfoLister, NodeToStatus } from './framework/interface.js';
import type { NodeInfo } from './framework/node-info.js';
import type { PodInfo } from './framework/pod-info.js';
import type { Framework } from './framework/runtime.js';

export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** Upstream numFeasibleNodesToFind; `percentage` 0 means adaptive. */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let p = percentage;
  if (p === 0) {
    p = 50 - Math.trunc(numAllNodes / 125);
    if (p < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) p = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * p) / 100);
  return Math.max(n, MIN_FEASIBLE_NODES_TO_FIND);
}

export interface ScheduleResult {
  suggestedHost: string;
  evaluatedNodes: number;
  feasibleNodes: number;
}

/** A scheduling failure that is not a FitError (plugin error, no nodes). */
export class SchedulingError extends Error {
  readonly code = 'SchedulingError';
}

export interface PodSchedulerOptions {
  percentageOfNodesToScore?: number;
  random?: () => number;
}

export class PodScheduler {
  #nextStartNodeIndex = 0;
  readonly #percentage: number;
  readonly #random: () => number;

  constructor(opts: PodSchedulerOptions = {}) {
    this.#percentage = opts.percentageOfNodesToScore ?? 0;
    this.#random = opts.random ?? Math.random;
  }

  /** Picks a node, or throws FitError (no node fits; PostFilter not yet run) or SchedulingError. */
  schedulePod(fwk: Framework, state: CycleState, pod: PodInfo, snapshot: NodeInfoLister): ScheduleResult {
    const all = snapshot.list();
    if (all.length === 0) throw new SchedulingError(ERR_NO_NODES_AVAILABLE);
    const { feasible, diagnosis } = this.findNodesThatFitPod(fwk, state, pod, snapshot);
    if (feasible.length === 0) throw new FitError(all.length, diagnosis);
    const evaluated = feasible.length + diagnosis.nodeToStatus.size;
    if (feasible.length === 1) return { suggestedHost: feasible[0]!.name, evaluatedNodes: evaluated, feasibleNodes: 1 };
    const pre = fwk.runPreScorePlugins(state, pod, feasible);
    if (!pre.isSuccess()) throw new SchedulingError(`running PreScore plugin "${pre.plugin}": ${pre.message()}`);
    const totals = fwk.runScorePlugins(state, pod, feasible);
    return { suggestedHost: this.selectHost(feasible, totals), evaluatedNodes: evaluated, feasibleNodes: feasible.length };
  }

  findNodesThatFitPod(
    fwk: Framework,
    state: CycleState,
    pod: PodInfo,
    snapshot: NodeInfoLister,
  ): { feasible: NodeInfo[]; diagnosis: Diagnosis } {
    const all = snapshot.list();
    const diagnosis: Diagnosis = { nodeToStatus: new Map(), unschedulablePlugins: new Set() };
    const pre = fwk.runPreFilterPlugins(state, pod, all);
    if (!pre.status.isSuccess()) {
      if (pre.status.code === 'Error')
        throw new SchedulingError(`running PreFilter plugin "${pre.status.plugin}": ${pre.status.message()}`);
      for (const ni of all) diagnosis.nodeToStatus.set(ni.name, pre.status);
      diagnosis.preFilterMsg = pre.status.message();
      if (pre.status.plugin) diagnosis.unschedulablePlugins.add(pre.status.plugin);
      return { feasible: [], diagnosis };
    }
    const nominated = pod.pod.status?.nominatedNodeName;
    if (nominated) {
      const ni = snapshot.get(nominated);
      if (ni && (!pre.result?.nodeNames || pre.result.nodeNames.has(nominated))) {
        const s = fwk.runFilterPluginsWithNominatedPods(state, pod, ni);
        if (s.isSuccess()) return { feasible: [ni], diagnosis };
        if (s.code === 'Error') throw new SchedulingError(s.message());
      }
    }
    let nodes = all;
    if (pre.result?.nodeNames) {
      const names = pre.result.nodeNames;
      nodes = all.filter((n) => names.has(n.name));
    }
    const feasible = this.#findNodesThatPassFilters(fwk, state, pod, nodes, diagnosis, all.length);
    return { feasible, diagnosis };
  }

  #findNodesThatPassFilters(
    fwk: Framework,
    state: CycleState,
    pod: PodInfo,
    nodes: readonly NodeInfo[],
    d: Diagnosis,
    numAll: number,
  ): NodeInfo[] {
    const want = numFeasibleNodesToFind(nodes.length, this.#percentage);
    const feasible: NodeInfo[] = [];
    if (nodes.length === 0) return feasible;
    const start = this.#nextStartNodeIndex % nodes.length;
    let processed = 0;
    const statuses: NodeToStatus = d.nodeToStatus;
    for (let i = 0; i < nodes.length; i++) {
      const ni = nodes[(start + i) % nodes.length]!;
      processed++;
      if (!fwk.hasFilterPlugins()) {
        feasible.push(ni);
      } else {
        const s = fwk.runFilterPluginsWithNominatedPods(state, pod, ni);
        if (s.isSuccess()) {
          feasible.push(ni);
        } else if (s.code === 'Error') {
          throw new SchedulingError(`running "${s.plugin}" filter plugin: ${s.message()}`);
        } else {
          statuses.set(ni.name, s);
          if (s.plugin) d.unschedulablePlugins.add(s.plugin);
        }
      }
      if (feasible.length >= want) break;
    }
    this.#nextStartNodeIndex = (this.#nextStartNodeIndex + processed) % Math.max(numAll, 1);
    return feasible;
  }

  /** The highest total; ties broken uniformly at random (reservoir sampling, as upstream). */
  selectHost(nodes: readonly NodeInfo[], totals: readonly number[]): string {
    let best = Number.NEGATIVE_INFINITY;
    let host = '';
    let ties = 0;
    for (let i = 0; i < nodes.length; i++) {
      const s = totals[i]!;
      if (s > best) {
        best = s;
        host = nodes[i]!.name;
        ties = 1;
      } else if (s === best) {
        ties++;
        if (Math.floor(this.#random() * ties) === 0) host = nodes[i]!.name;
      }
    }
    return host;
  }
}

export { CycleState };
