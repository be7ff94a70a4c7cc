/**
 * One pod through the scheduler (upstream schedule_one.go): pop it from the queue, run the
 * scheduling cycle (filter, score, PostFilter on failure), assume it in the cache, reserve and
 * permit, then bind in an asynchronous binding cycle while the next pod is being scheduled.
 * Failures requeue the pod, record a FailedScheduling event and set its PodScheduled condition.
 */
import type { Clientset, EventsV1Recorder } from '../client/interface.js';
import type { SchedulerCache } from './cache/cache.js';
import { CycleState } from './framework/cycle-state.js';
import { FitError } from './framework/fit-error.js';
import { PodInfo, type QueuedPodInfo } from './framework/pod-info.js';
import type { Framework } from './framework/runtime.js';
import type { Status } from './framework/status.js';
import { PODS } from './plugins/default-binder.js';
import type { SchedulingQueue } from './queue/scheduling-queue.js';
import type { PodScheduler } from './schedule-pod.js';
import { DEFAULT_SCHEDULER_NAME, type Pod, podRef } from './types.js';
import { rfc3339 } from '../machinery/time.js';

const MAX_MESSAGE_LENGTH = 1024;

/** Upstream truncateMessage: events and conditions keep at most 1024 characters. */
export function truncateMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_LENGTH) return message;
  const suffix = ' ...';
  return message.slice(0, MAX_MESSAGE_LENGTH - suffix.length) + suffix;
}

export interface SchedulingLoopOptions {
  queue: SchedulingQueue;
  cache: SchedulerCache;
  profiles: ReadonlyMap<string, Framework>;
  podScheduler: PodScheduler;
  clientset?: Clientset;
  recorder?: EventsV1Recorder;
  /** The pod as the informer has it now (undefined = deleted); defaults to "still there". */
  currentPod?: (pod: Pod) => Pod | undefined;
  now?: () => number;
}

export class SchedulingLoop {
  readonly #o: SchedulingLoopOptions;
  readonly #bindings = new Set<Promise<void>>();
  scheduled = 0;
  failed = 0;

  constructor(opts: SchedulingLoopOptions) {
    this.#o = opts;
  }

  /** Schedules the next pod; false once the queue is closed. */
  async scheduleOne(): Promise<boolean> {
    const q = await this.#o.queue.pop();
    if (!q) return false;
    await this.scheduleQueued(q);
    return true;
  }

  /** Binding cycles still running. */
  async waitForBindings(): Promise<void> {
    while (this.#bindings.size > 0) await Promise.all([...this.#bindings]);
  }

  async scheduleQueued(q: QueuedPodInfo): Promise<void> {
    const { queue, cache } = this.#o;
    const pod = q.podInfo.pod;
    const fwk = this.#o.profiles.get(pod.spec.schedulerName || DEFAULT_SCHEDULER_NAME);
    if (!fwk || pod.metadata.deletionTimestamp || cache.isAssumedPod(pod)) {
      queue.done(q.podInfo.key);
      return;
    }
    const state = new CycleState();
    let host: string;
    try {
      host = this.#o.podScheduler.schedulePod(fwk, state, q.podInfo, cache).suggestedHost;
    } catch (err) {
      if (err instanceof FitError) {
        let nominated: string | undefined;
        if (fwk.postFilterPlugins.length > 0) {
          const { result, status } = await fwk.runPostFilterPlugins(state, q.podInfo, err.diagnosis.nodeToStatus);
          err.diagnosis.postFilterMsg = status.message();
          nominated = result?.nominatedNodeName;
        }
        const fit = new FitError(err.numAllNodes, err.diagnosis);
        await this.handleSchedulingFailure(fwk, q, fit.message, 'Unschedulable', err.diagnosis.unschedulablePlugins, nominated);
      } else {
        await this.handleSchedulingFailure(fwk, q, (err as Error).message, 'SchedulerError', [], undefined);
      }
      return;
    }
    const assumed: Pod = { ...pod, spec: { ...pod.spec, nodeName: host } };
    const assumedInfo = new PodInfo(assumed);
    try {
      cache.assumePod(assumed);
    } catch (err) {
      await this.handleSchedulingFailure(fwk, q, (err as Error).message, 'SchedulerError', [], undefined);
      return;
    }
    queue.deleteNominatedPodIfExists(pod);
    const reserve = fwk.runReservePluginsReserve(state, assumedInfo, host);
    const permit = reserve.isSuccess() ? fwk.runPermitPlugins(state, assumedInfo, host) : reserve;
    if (!permit.isSuccess()) {
      fwk.runReservePluginsUnreserve(state, assumedInfo, host);
      cache.forgetPod(assumed);
      queue.moveAllToActiveOrBackoffQueue('AssignedPod', 'Delete');
      await this.#failWithStatus(fwk, q, permit);
      return;
    }
    const binding = this.#bindingCycle(fwk, state, q, assumedInfo, host);
    this.#bindings.add(binding);
    void binding.finally(() => this.#bindings.delete(binding));
  }

  async #bindingCycle(fwk: Framework, state: CycleState, q: QueuedPodInfo, assumed: PodInfo, host: string): Promise<void> {
    const { queue, cache } = this.#o;
    let status = await fwk.runPreBindPlugins(state, assumed, host);
    if (status.isSuccess()) status = await fwk.runBindPlugins(state, assumed, host);
    if (!status.isSuccess()) {
      fwk.runReservePluginsUnreserve(state, assumed, host);
      cache.forgetPod(assumed.pod);
      queue.moveAllToActiveOrBackoffQueue('AssignedPod', 'Delete');
      await this.#failWithStatus(fwk, q, status);
      return;
    }
    cache.finishBinding(assumed.pod);
    this.scheduled++;
    const m = assumed.pod.metadata;
    this.#o.recorder?.eventf(
      assumed.pod,
      undefined,
      'Normal',
      'Scheduled',
      'Binding',
      `Successfully assigned ${m.namespace ?? ''}/${m.name ?? ''} to ${host}`,
    );
    fwk.runPostBindPlugins(state, assumed, host);
    queue.done(q.podInfo.key);
  }

  async #failWithStatus(fwk: Framework, q: QueuedPodInfo, s: Status): Promise<void> {
    const rejected = s.isRejected();
    await this.handleSchedulingFailure(
      fwk,
      q,
      s.message(),
      rejected ? 'Unschedulable' : 'SchedulerError',
      s.plugin ? [s.plugin] : [],
      undefined,
    );
  }

  /** Requeues the pod, records FailedScheduling and updates its PodScheduled condition (and nomination). */
  async handleSchedulingFailure(
    fwk: Framework,
    q: QueuedPodInfo,
    message: string,
    reason: 'Unschedulable' | 'SchedulerError',
    plugins: Iterable<string>,
    nominatedNodeName: string | undefined,
  ): Promise<void> {
    const { queue } = this.#o;
    this.failed++;
    const pod = q.podInfo.pod;
    const current = this.#o.currentPod ? this.#o.currentPod(pod) : pod;
    if (!current || current.spec.nodeName) {
      queue.done(q.podInfo.key);
    } else {
      queue.addUnschedulableIfNotPresent(q, plugins, reason === 'SchedulerError');
      if (nominatedNodeName !== undefined) {
        const withNomination: Pod = { ...pod, status: { ...pod.status, nominatedNodeName: nominatedNodeName || undefined } };
        queue.addNominatedPod(new PodInfo(withNomination), nominatedNodeName);
      }
    }
    const msg = truncateMessage(message);
    fwk.recorder?.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', msg);
    if (current && !current.spec.nodeName) await this.#updatePodStatus(current, reason, msg, nominatedNodeName);
  }

  async #updatePodStatus(pod: Pod, reason: string, message: string, nominatedNodeName: string | undefined): Promise<void> {
    const cs = this.#o.clientset;
    if (!cs) return;
    const prev = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const conditionChanged = prev === undefined || prev.status !== 'False' || prev.reason !== reason || prev.message !== message;
    const nnnChanged = nominatedNodeName !== undefined && (pod.status?.nominatedNodeName ?? '') !== nominatedNodeName;
    if (!conditionChanged && !nnnChanged) return;
    const now = rfc3339(this.#o.now?.() ?? Date.now());
    const status: Record<string, unknown> = {};
    if (conditionChanged) {
      const lastTransitionTime = prev && prev.status === 'False' ? (prev.lastTransitionTime ?? now) : now;
      status['conditions'] = [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime, reason, message }];
    }
    if (nnnChanged) status['nominatedNodeName'] = nominatedNodeName || null;
    try {
      await cs
        .resource(PODS)
        .patch(pod.metadata.namespace ?? '', pod.metadata.name ?? '', 'strategic', { status }, { subresource: 'status' });
    } catch {
      // the pod may be gone or changed; the next attempt updates it again
    }
  }
}

export { podRef };
