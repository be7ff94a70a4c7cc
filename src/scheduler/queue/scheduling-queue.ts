/**
 * The scheduling queue (upstream internal/queue.PriorityQueue): activeQ, a heap ordered by the
 * QueueSort plugin, holds pods ready to be tried; backoffQ holds pods waiting out their backoff
 * (1 s doubling per attempt up to 10 s); unschedulablePods holds rejected pods until a cluster event
 * one of their rejecting plugins registered for moves them, or until 5 minutes have passed.
 * It also remembers preemption's nominations (the nominator).
 */
import type { ActionType, ClusterEvent, EventResource, PodNominator } from '../framework/interface.js';
import { newQueuedPodInfo, PodInfo, type QueuedPodInfo } from '../framework/pod-info.js';
import type { Status } from '../framework/status.js';
import { type Pod, podKey } from '../types.js';
import { Heap } from './heap.js';

export interface SchedulingQueueOptions {
  /** QueueSort's less. */
  less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  /** PreEnqueue plugins; a non-success status keeps the pod out of activeQ. */
  preEnqueue?: (pod: Pod) => Status;
  /** The events a plugin registered (EnqueueExtensions). */
  eventsOf?: (plugin: string) => readonly ClusterEvent[];
  now?: () => number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  podMaxInUnschedulablePodsDurationMs?: number;
}

export const DEFAULT_INITIAL_BACKOFF_MS = 1000;
export const DEFAULT_MAX_BACKOFF_MS = 10_000;
export const DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION_MS = 5 * 60_000;

const qkey = (q: QueuedPodInfo) => q.podInfo.key;

const NONE: readonly PodInfo[] = Object.freeze([]);

export class SchedulingQueue implements PodNominator {
  readonly #opts: Required<Omit<SchedulingQueueOptions, 'preEnqueue' | 'eventsOf'>> &
    Pick<SchedulingQueueOptions, 'preEnqueue' | 'eventsOf'>;
  readonly activeQ: Heap<QueuedPodInfo>;
  readonly backoffQ: Heap<QueuedPodInfo>;
  readonly unschedulablePods = new Map<string, QueuedPodInfo>();
  /** Pods popped and not yet done, so an update or delete during their cycle is not lost. */
  readonly #inFlight = new Map<string, QueuedPodInfo>();
  schedulingCycle = 0;
  #moveRequestCycle = -1;
  #waiters: ((q: QueuedPodInfo | undefined) => void)[] = [];
  #closed = false;
  readonly #nominated = new Map<string, Map<string, PodInfo>>();
  readonly #nominatedNodeOf = new Map<string, string>();

  constructor(opts: SchedulingQueueOptions) {
    this.#opts = {
      now: Date.now,
      initialBackoffMs: DEFAULT_INITIAL_BACKOFF_MS,
      maxBackoffMs: DEFAULT_MAX_BACKOFF_MS,
      podMaxInUnschedulablePodsDurationMs: DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION_MS,
      ...opts,
    };
    this.activeQ = new Heap(qkey, opts.less);
    this.backoffQ = new Heap(qkey, (a, b) => this.backoffTime(a) < this.backoffTime(b));
  }

  /** A new unscheduled pod. */
  add(pod: Pod): void {
    const key = podKey(pod);
    if (this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulablePods.has(key)) {
      this.update(pod, pod);
      return;
    }
    const q = newQueuedPodInfo(pod, this.#opts.now());
    this.#toActive(q);
    this.#nominate(q.podInfo, pod.status?.nominatedNodeName);
  }

  /** The pod changed; a rejected pod whose spec or labels changed is retried. */
  update(oldPod: Pod, newPod: Pod): void {
    const key = podKey(newPod);
    const pi = new PodInfo(newPod);
    this.#nominate(pi, newPod.status?.nominatedNodeName);
    const inFlight = this.#inFlight.get(key);
    if (inFlight) {
      inFlight.podInfo = pi;
      return;
    }
    for (const heap of [this.activeQ, this.backoffQ]) {
      const q = heap.get(key);
      if (q) {
        q.podInfo = pi;
        heap.addOrUpdate(q);
        return;
      }
    }
    const q = this.unschedulablePods.get(key);
    if (!q) {
      this.add(newPod);
      return;
    }
    q.podInfo = pi;
    if (!isPodUpdated(oldPod, newPod)) return;
    this.unschedulablePods.delete(key);
    if (q.gated || !this.#isBackingOff(q)) this.#toActive(q);
    else this.backoffQ.addOrUpdate(q);
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulablePods.delete(key);
    if (this.#inFlight.delete(key)) this.#deletedWhileInFlight.add(key);
    this.deleteNominatedPodIfExists(pod);
  }

  /** Resolves with the highest-priority pod in activeQ, waiting for one; undefined once closed. */
  pop(): Promise<QueuedPodInfo | undefined> {
    const q = this.#popNow();
    if (q || this.#closed) return Promise.resolve(q);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Pops without waiting. */
  tryPop(): QueuedPodInfo | undefined {
    return this.#popNow();
  }

  #popNow(): QueuedPodInfo | undefined {
    const q = this.activeQ.pop();
    if (!q) return undefined;
    q.attempts++;
    q.schedulingCycle = ++this.schedulingCycle;
    this.#inFlight.set(q.podInfo.key, q);
    return q;
  }

  /** The pod's scheduling attempt has ended (bound, or requeued). */
  done(key: string): void {
    this.#inFlight.delete(key);
    this.#deletedWhileInFlight.delete(key);
  }

  /**
   * Puts back a pod that failed. With `error` (not a rejection) it waits out its backoff; otherwise
   * it goes to unschedulablePods unless a move request came in while it was being scheduled.
   */
  addUnschedulableIfNotPresent(q: QueuedPodInfo, plugins: Iterable<string>, error = false): void {
    const key = q.podInfo.key;
    const inFlight = this.#inFlight.get(key);
    this.#inFlight.delete(key);
    if (this.#deletedWhileInFlight.delete(key)) return;
    if (this.#known(key)) return;
    if (inFlight) q.podInfo = inFlight.podInfo;
    q.timestamp = this.#opts.now();
    q.unschedulablePlugins = new Set(plugins);
    if (error || this.#moveRequestCycle >= q.schedulingCycle) this.backoffQ.addOrUpdate(q);
    else this.unschedulablePods.set(key, q);
  }

  readonly #deletedWhileInFlight = new Set<string>();

  #known(key: string): boolean {
    return this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulablePods.has(key);
  }

  /** Moves every rejected pod one of whose rejecting plugins registered this event. */
  moveAllToActiveOrBackoffQueue(resource: EventResource, action: ActionType, preCheck?: (q: QueuedPodInfo) => boolean): void {
    for (const [key, q] of this.unschedulablePods) {
      if (q.gated) continue;
      if (!this.#relevant(q, resource, action)) continue;
      if (preCheck && !preCheck(q)) continue;
      this.unschedulablePods.delete(key);
      if (this.#isBackingOff(q)) this.backoffQ.addOrUpdate(q);
      else this.#toActive(q);
    }
    this.#moveRequestCycle = this.schedulingCycle;
  }

  #relevant(q: QueuedPodInfo, resource: EventResource, action: ActionType): boolean {
    if (q.unschedulablePlugins.size === 0 || !this.#opts.eventsOf) return true;
    for (const p of q.unschedulablePlugins) {
      for (const e of this.#opts.eventsOf(p)) if (e.resource === resource && e.actions.includes(action)) return true;
    }
    return false;
  }

  /** Moves pods whose backoff has expired to activeQ (run every second). */
  flushBackoffQCompleted(): void {
    const now = this.#opts.now();
    for (;;) {
      const q = this.backoffQ.peek();
      if (!q || this.backoffTime(q) > now) return;
      this.backoffQ.pop();
      this.#toActive(q);
    }
  }

  /** Retries pods that stayed unschedulable longer than 5 minutes (run every 30 seconds). */
  flushUnschedulablePodsLeftover(): void {
    const now = this.#opts.now();
    for (const [key, q] of this.unschedulablePods) {
      if (q.gated || now - q.timestamp <= this.#opts.podMaxInUnschedulablePodsDurationMs) continue;
      this.unschedulablePods.delete(key);
      if (this.#isBackingOff(q)) this.backoffQ.addOrUpdate(q);
      else this.#toActive(q);
    }
  }

  /** Backoff: 1 s, doubling per attempt, at most 10 s. */
  backoffDuration(q: QueuedPodInfo): number {
    let d = this.#opts.initialBackoffMs;
    for (let i = 1; i < q.attempts; i++) {
      d *= 2;
      if (d >= this.#opts.maxBackoffMs) return this.#opts.maxBackoffMs;
    }
    return d;
  }

  backoffTime(q: QueuedPodInfo): number {
    return q.timestamp + this.backoffDuration(q);
  }

  #isBackingOff(q: QueuedPodInfo): boolean {
    return q.attempts > 0 && this.backoffTime(q) > this.#opts.now();
  }

  #toActive(q: QueuedPodInfo): void {
    const s = this.#opts.preEnqueue?.(q.podInfo.pod);
    if (s && !s.isSuccess()) {
      q.gated = true;
      q.unschedulablePlugins = new Set(s.plugin ? [s.plugin] : []);
      this.unschedulablePods.set(q.podInfo.key, q);
      return;
    }
    q.gated = false;
    this.activeQ.addOrUpdate(q);
    this.#wake();
  }

  #wake(): void {
    while (this.#waiters.length > 0 && this.activeQ.length > 0) this.#waiters.shift()!(this.#popNow());
  }

  /** Opens the queue and runs the periodic flushes until the signal aborts, then closes it (until the next run). */
  run(signal: AbortSignal): void {
    this.#closed = false;
    const backoff = setInterval(() => this.flushBackoffQCompleted(), 1000);
    const leftover = setInterval(() => this.flushUnschedulablePodsLeftover(), 30_000);
    backoff.unref?.();
    leftover.unref?.();
    const stop = () => {
      clearInterval(backoff);
      clearInterval(leftover);
      this.close();
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  }

  close(): void {
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) w(undefined);
  }

  /** Every pod waiting in the queue (for debugging and tests). */
  pendingPods(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.activeQ.length, backoff: this.backoffQ.length, unschedulable: this.unschedulablePods.size };
  }

  // --- nominator ---

  #nominate(pi: PodInfo, nodeName: string | undefined): void {
    this.deleteNominatedPodIfExists(pi.pod);
    if (!nodeName) return;
    let m = this.#nominated.get(nodeName);
    if (!m) this.#nominated.set(nodeName, (m = new Map()));
    m.set(pi.key, pi);
    this.#nominatedNodeOf.set(pi.key, nodeName);
  }

  /** Records that preemption nominated this pod to a node ('' clears it). */
  addNominatedPod(pi: PodInfo, nodeName: string): void {
    this.#nominate(pi, nodeName);
  }

  deleteNominatedPodIfExists(pod: Pod): void {
    const key = podKey(pod);
    const node = this.#nominatedNodeOf.get(key);
    if (node === undefined) return;
    this.#nominatedNodeOf.delete(key);
    const m = this.#nominated.get(node);
    m?.delete(key);
    if (m?.size === 0) this.#nominated.delete(node);
  }

  nominatedPodsForNode(nodeName: string): readonly PodInfo[] {
    if (this.#nominated.size === 0) return NONE;
    const m = this.#nominated.get(nodeName);
    return m ? [...m.values()] : NONE;
  }

  hasNominatedPods(): boolean {
    return this.#nominated.size > 0;
  }
}

/** Upstream isPodUpdated: a change other than status, resourceVersion, generation or managedFields. */
function isPodUpdated(a: Pod, b: Pod): boolean {
  const strip = (p: Pod) => {
    const { resourceVersion: _rv, generation: _g, managedFields: _mf, ...meta } = p.metadata;
    return JSON.stringify({ metadata: meta, spec: p.spec });
  };
  return strip(a) !== strip(b);
}
