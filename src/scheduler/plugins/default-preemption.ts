/**
 * DefaultPreemption (PostFilter): when no node fits, find on each node the lower-priority pods
 * whose removal would let the pod fit (keeping as many as possible: first those whose eviction
 * would violate a PodDisruptionBudget, then the rest, most important first), pick the node as
 * upstream does (fewest PDB violations, lowest highest-victim priority, lowest priority sum,
 * fewest victims, latest start of the highest-priority victims), delete the victims and
 * nominate the node.
 */
import { isStatusError } from '../../machinery/errors.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { FrameworkHandle, NodeToStatus, PostFilterPlugin, PostFilterResult } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { asStatus, Status, success, unresolvable, unschedulable } from '../framework/status.js';
import { formatFitError } from '../framework/fit-error.js';
import { labelSelectorFromMeta } from '../../machinery/labels.js';
import type { Pod, PodDisruptionBudget } from '../types.js';
import { PODS } from './default-binder.js';
import { rfc3339 } from '../../machinery/time.js';

export const DEFAULT_PREEMPTION = 'DefaultPreemption';
export const MSG_PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const MSG_NO_VICTIMS = 'No preemption victims found for incoming pod';
const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
const MIN_CANDIDATE_NODES_ABSOLUTE = 100;

export interface Candidate {
  nodeName: string;
  victims: PodInfo[];
  /** Victims whose eviction violates a PodDisruptionBudget. */
  numPDBViolations?: number;
}

function startTime(pod: Pod): number {
  const t = pod.status?.startTime ?? pod.metadata.creationTimestamp;
  return t ? Date.parse(t) : Date.now();
}

/** Upstream util.MoreImportantPod: higher priority first, then the one that started earlier. */
export function moreImportantPod(a: PodInfo, b: PodInfo): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return startTime(a.pod) < startTime(b.pod);
}

/**
 * Upstream filterPodsWithPDBViolation: walking `pods` (most important first), each budget's
 * disruptionsAllowed is spent on the pods it selects; a pod that overdraws one is violating.
 * Pods a budget already counts as disrupted spend nothing; empty selectors select nothing.
 */
export function filterPodsWithPDBViolation(
  pods: readonly PodInfo[],
  pdbs: readonly PodDisruptionBudget[],
): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const budgets = pdbs.flatMap((pdb) => {
    try {
      const selector = labelSelectorFromMeta(pdb.spec?.selector);
      return selector.isEmpty() || selector.nothing ? [] : [{ pdb, selector, allowed: pdb.status?.disruptionsAllowed ?? 0 }];
    } catch {
      return [];
    }
  });
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const p of pods) {
    const m = p.pod.metadata;
    let violated = false;
    if (m.labels && Object.keys(m.labels).length > 0) {
      for (const b of budgets) {
        if (b.pdb.metadata.namespace !== m.namespace || !b.selector.matches(m.labels)) continue;
        if (b.pdb.status?.disruptedPods?.[m.name ?? ''] !== undefined) continue;
        b.allowed--;
        if (b.allowed < 0) violated = true;
      }
    }
    (violated ? violating : nonViolating).push(p);
  }
  return { violating, nonViolating };
}

/** Upstream pickOneNodeForPreemption. */
export function pickOneNodeForPreemption(candidates: readonly Candidate[]): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  for (const c of candidates) if (c.victims.length === 0) return c;
  const criteria: ((c: Candidate) => number)[] = [
    (c) => -(c.numPDBViolations ?? 0),
    (c) => -Math.max(...c.victims.map((v) => v.priority)),
    (c) => -c.victims.reduce((sum, v) => sum + v.priority + 2 ** 31, 0),
    (c) => -c.victims.length,
    (c) => {
      const top = Math.max(...c.victims.map((v) => v.priority));
      return Math.min(...c.victims.filter((v) => v.priority === top).map((v) => startTime(v.pod)));
    },
  ];
  let pool = [...candidates];
  for (const score of criteria) {
    let best = Number.NEGATIVE_INFINITY;
    for (const c of pool) best = Math.max(best, score(c));
    pool = pool.filter((c) => score(c) === best);
    if (pool.length === 1) break;
  }
  return pool[0];
}

export class DefaultPreemption implements PostFilterPlugin {
  readonly name = DEFAULT_PREEMPTION;
  readonly #handle: FrameworkHandle;
  readonly #random: () => number;

  constructor(handle: FrameworkHandle, random: () => number = Math.random) {
    this.#handle = handle;
    this.#random = random;
  }

  async postFilter(state: CycleState, pod: PodInfo, m: NodeToStatus): Promise<{ result?: PostFilterResult; status: Status }> {
    const { result, status } = await this.preempt(state, pod, m);
    const msg = status.message();
    return { result, status: msg ? new Status(status.code, [`preemption: ${msg}`], status.error) : status };
  }

  /** Whether the pod may preempt at all; the reason when not. */
  podEligibleToPreemptOthers(pod: PodInfo, nominatedNodeStatus: Status | undefined): string | undefined {
    if (pod.pod.spec.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
    const nominated = pod.pod.status?.nominatedNodeName;
    if (nominated) {
      if (nominatedNodeStatus?.code === 'UnschedulableAndUnresolvable') return undefined;
      const ni = this.#handle.snapshot().get(nominated);
      for (const p of ni?.pods ?? []) {
        if (p.priority < pod.priority && p.pod.metadata.deletionTimestamp) {
          return 'not eligible due to a terminating pod on the nominated node.';
        }
      }
    }
    return undefined;
  }

  async preempt(state: CycleState, pod: PodInfo, m: NodeToStatus): Promise<{ result?: PostFilterResult; status: Status }> {
    const nominated = pod.pod.status?.nominatedNodeName;
    const notEligible = this.podEligibleToPreemptOthers(pod, nominated ? m.get(nominated) : undefined);
    if (notEligible) return { status: unschedulable(notEligible) };
    const all = this.#handle.snapshot().list();
    if (all.length === 0) return { status: asStatus(new Error('no nodes available')) };
    const statuses: NodeToStatus = new Map();
    const potential: NodeInfo[] = [];
    const notHelpful = unresolvable(MSG_PREEMPTION_NOT_HELPFUL);
    for (const ni of all) {
      const s = m.get(ni.name);
      if (!s || s.code === 'UnschedulableAndUnresolvable') statuses.set(ni.name, notHelpful);
      else potential.push(ni);
    }
    const candidates: Candidate[] = [];
    const pdbs = this.#handle.podDisruptionBudgets();
    if (potential.length > 0) {
      const want = Math.min(
        potential.length,
        Math.max(Math.trunc((potential.length * MIN_CANDIDATE_NODES_PERCENTAGE) / 100), MIN_CANDIDATE_NODES_ABSOLUTE),
      );
      const offset = Math.floor(this.#random() * potential.length);
      for (let i = 0; i < potential.length && candidates.length < want; i++) {
        const ni = potential[(offset + i) % potential.length]!;
        const { victims, numPDBViolations, status } = this.selectVictimsOnNode(state.clone(), pod, ni.clone(), pdbs);
        if (status.isSuccess()) candidates.push({ nodeName: ni.name, victims, numPDBViolations });
        else statuses.set(ni.name, status);
      }
    } else if (nominated) {
      await this.#setNominatedNodeName([pod.pod], '');
    }
    if (candidates.length === 0) {
      const message = formatFitError(statuses.size, statuses);
      return { result: { nominatedNodeName: '' }, status: unschedulable(message) };
    }
    const best = pickOneNodeForPreemption(candidates)!;
    try {
      await this.prepareCandidate(best, pod);
    } catch (err) {
      return { status: asStatus(err) };
    }
    return { result: { nominatedNodeName: best.nodeName }, status: success() };
  }

  /**
   * Upstream SelectVictimsOnNode: the fewest lower-priority pods to remove. Pods are reprieved
   * most important first, those whose eviction would violate a PodDisruptionBudget before the rest.
   */
  selectVictimsOnNode(
    state: CycleState,
    pod: PodInfo,
    ni: NodeInfo,
    pdbs: readonly PodDisruptionBudget[] = [],
  ): { victims: PodInfo[]; numPDBViolations: number; status: Status } {
    const h = this.#handle;
    const remove = (p: PodInfo) => {
      ni.removePod(p.key);
      h.runPreFilterExtensionRemovePod(state, pod, p, ni);
    };
    const add = (p: PodInfo) => {
      ni.addPod(p);
      h.runPreFilterExtensionAddPod(state, pod, p, ni);
    };
    const potential = ni.pods.filter((p) => p.priority < pod.priority);
    if (potential.length === 0) return { victims: [], numPDBViolations: 0, status: unresolvable(MSG_NO_VICTIMS) };
    for (const p of potential) remove(p);
    const fits = h.runFilterPluginsWithNominatedPods(state, pod, ni);
    if (!fits.isSuccess()) return { victims: [], numPDBViolations: 0, status: fits };
    potential.sort((a, b) => (moreImportantPod(a, b) ? -1 : moreImportantPod(b, a) ? 1 : 0));
    const { violating, nonViolating } = filterPodsWithPDBViolation(potential, pdbs);
    const victims: PodInfo[] = [];
    /** Puts the pod back; it stays a victim when the preemptor then no longer fits. */
    const reprieve = (p: PodInfo): boolean => {
      add(p);
      if (h.runFilterPluginsWithNominatedPods(state, pod, ni).isSuccess()) return true;
      remove(p);
      victims.push(p);
      return false;
    };
    let numPDBViolations = 0;
    for (const p of violating) if (!reprieve(p)) numPDBViolations++;
    for (const p of nonViolating) reprieve(p);
    return { victims, numPDBViolations, status: success() };
  }

  /** Marks and deletes the victims, and clears lower-priority nominations to the node. */
  async prepareCandidate(c: Candidate, pod: PodInfo): Promise<void> {
    const cs = this.#handle.clientset;
    const schedulerName = pod.pod.spec.schedulerName || this.#handle.schedulerName;
    for (const v of c.victims) {
      const m = v.pod.metadata;
      if (cs) {
        const condition = {
          type: 'DisruptionTarget',
          status: 'True',
          reason: 'PreemptionByScheduler',
          message: `${schedulerName}: preempting to accommodate a higher priority pod`,
          lastTransitionTime: rfc3339(this.#handle.now()),
        };
        try {
          await cs
            .resource(PODS)
            .patch(m.namespace ?? '', m.name ?? '', 'strategic', { status: { conditions: [condition] } }, { subresource: 'status' });
        } catch {
          // the condition is informative; deletion below is what frees the node
        }
        try {
          await cs.resource(PODS).delete(m.namespace ?? '', m.name ?? '', { preconditions: m.uid ? { uid: m.uid } : undefined });
        } catch (err) {
          if (!isStatusError(err, 'NotFound')) throw err;
        }
      }
      this.#handle.recorder?.eventf(
        v.pod,
        pod.pod,
        'Normal',
        'Preempted',
        'Preempting',
        `Preempted by pod ${pod.pod.metadata.uid ?? ''} on node ${c.nodeName}`,
      );
    }
    const lower = this.#handle.nominator.nominatedPodsForNode(c.nodeName).filter((p) => p.priority < pod.priority);
    await this.#setNominatedNodeName(
      lower.map((p) => p.pod),
      '',
    );
  }

  async #setNominatedNodeName(pods: Pod[], nodeName: string): Promise<void> {
    const cs = this.#handle.clientset;
    if (!cs) return;
    for (const p of pods) {
      if ((p.status?.nominatedNodeName ?? '') === nodeName) continue;
      try {
        await cs
          .resource(PODS)
          .patch(
            p.metadata.namespace ?? '',
            p.metadata.name ?? '',
            'merge',
            { status: { nominatedNodeName: nodeName || null } },
            { subresource: 'status' },
          );
      } catch {
        // best effort, as upstream
      }
    }
  }
}
