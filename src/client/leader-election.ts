/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection package:
 * acquire when the Lease is absent, released or expired; renew every retry period; give up
 * leadership when renewals keep failing past the renew deadline; release on abort.
 *
 * A Lease counts as expired when it has not changed for leaseDurationSeconds by *our* clock
 * since we last saw it change (upstream's observedTime), so clock skew between candidates does
 * not matter. Writes carry the resourceVersion last read; a 409 just fails this attempt.
 */
import type { EventRecorder, LeaderElection, ResourceClient } from './interface.js';
import { type LeaderElectionRecord, LeaseLock } from './leader-election-lease-lock.js';
import { type Clock, realClock, sleep } from './rate-limiter.js';
import { isStatusError } from '../machinery/errors.js';
import { rfc3339Micro } from '../machinery/time.js';

/** wait.Jitter's factor for the acquire loop (client-go's leaderelection.JitterFactor). */
export const JITTER_FACTOR = 1.2;

export interface LeaderElectorOptions {
  /** A client for coordination.k8s.io/v1 leases. */
  client: ResourceClient;
  /** Defaults to 'kube-system'. */
  namespace?: string;
  /** The Lease name, e.g. 'kube-controller-manager'. */
  name: string;
  /** This candidate, unique among candidates (e.g. `${hostname}_${uuid}`). */
  identity: string;
  /** How long a Lease is honoured without renewal; default 15. */
  leaseDurationSeconds?: number;
  /** How long the leader retries a failing renewal before giving up; default 10. */
  renewDeadlineSeconds?: number;
  /** How often to try to acquire or renew; default 2. */
  retryPeriodSeconds?: number;
  /** Clear the Lease's holder when run()'s signal aborts (ReleaseOnCancel); default true. */
  releaseOnCancel?: boolean;
  /** Started (not awaited) on becoming leader; `signal` aborts when leadership ends. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called when run() returns, whether or not this candidate ever led (as upstream). */
  onStoppedLeading?(): void;
  /** Called whenever the observed leader changes (including to this candidate). */
  onNewLeader?(identity: string): void;
  clock?: Clock;
  /** Records `<identity> became leader` / `stopped leading` Events on the Lease. */
  recorder?: EventRecorder;
  /** Where progress and failures are logged; defaults to console.error. */
  log?: (message: string) => void;
}

/** Thrown by the constructor for inconsistent timings, as NewLeaderElector validates them. */
export class LeaderElectionConfigError extends Error {
  readonly code = 'InvalidLeaderElectionConfig';

  constructor(message: string) {
    super(message);
    this.name = 'LeaderElectionConfigError';
  }
}

const EMPTY_RECORD: LeaderElectionRecord = {
  holderIdentity: '',
  leaseDurationSeconds: 0,
  acquireTime: '',
  renewTime: '',
  leaderTransitions: 0,
};

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class LeaderElector implements LeaderElection {
  readonly #options: LeaderElectorOptions;
  readonly #lock: LeaseLock;
  readonly #clock: Clock;
  readonly #log: (message: string) => void;
  readonly #leaseMs: number;
  readonly #renewDeadlineMs: number;
  readonly #retryMs: number;
  #observed: LeaderElectionRecord = EMPTY_RECORD;
  #observedRaw = '';
  /** Our clock's time when #observed last changed. */
  #observedTime = 0;
  #reportedLeader = '';
  /** Bumped when renewal gives up, so a late answer to an abandoned attempt is ignored. */
  #generation = 0;
  #running = false;
  /** Between acquiring the Lease and the end of renewal. */
  #leading = false;

  constructor(options: LeaderElectorOptions) {
    const lease = options.leaseDurationSeconds ?? 15;
    const renew = options.renewDeadlineSeconds ?? 10;
    const retry = options.retryPeriodSeconds ?? 2;
    if (lease <= renew) throw new LeaderElectionConfigError('leaseDuration must be greater than renewDeadline');
    if (renew <= JITTER_FACTOR * retry) throw new LeaderElectionConfigError('renewDeadline must be greater than retryPeriod*JitterFactor');
    if (lease < 1) throw new LeaderElectionConfigError('leaseDuration must be greater than zero');
    if (renew < 1) throw new LeaderElectionConfigError('renewDeadline must be greater than zero');
    if (retry <= 0) throw new LeaderElectionConfigError('retryPeriod must be greater than zero');
    if (!options.identity) throw new LeaderElectionConfigError('Lock identity is empty');
    if (!options.name) throw new LeaderElectionConfigError('Lease name is empty');
    this.#options = options;
    this.#clock = options.clock ?? realClock;
    this.#log = options.log ?? ((message) => console.error(message));
    this.#leaseMs = lease * 1000;
    this.#renewDeadlineMs = renew * 1000;
    this.#retryMs = retry * 1000;
    this.#lock = new LeaseLock({
      client: options.client,
      namespace: options.namespace ?? 'kube-system',
      name: options.name,
      identity: options.identity,
      recorder: options.recorder,
    });
  }

  /** True from acquiring the Lease until leadership ends (renewal failed or run() aborted). */
  isLeader(): boolean {
    return this.#leading && this.#holds();
  }

  /** Whether the last observed record names this candidate (upstream's IsLeader). */
  #holds(): boolean {
    return this.#observed.holderIdentity === this.#lock.identity;
  }

  /** The last observed leader's identity, or '' when none was observed. */
  getLeader(): string {
    return this.#observed.holderIdentity;
  }

  /** For a healthz check: an error when we lead but have not renewed for lease + tolerance. */
  check(maxTolerableExpiredLeaseMs: number): Error | undefined {
    if (!this.#holds()) return undefined;
    if (this.#clock.now() - this.#observedTime > this.#leaseMs + maxTolerableExpiredLeaseMs) {
      return new Error(`failed election to renew leadership on lease ${this.#options.name}`);
    }
    return undefined;
  }

  async run(signal: AbortSignal): Promise<void> {
    if (this.#running) throw new Error('LeaderElector.run is already running');
    this.#running = true;
    try {
      if (!(await this.#acquire(signal))) return;
      this.#leading = true;
      const leading = new AbortController();
      const started = Promise.resolve()
        .then(() => this.#options.onStartedLeading(leading.signal))
        .catch((err: unknown) => this.#log(`leader election ${this.#lock.describe()}: onStartedLeading failed: ${errorMessage(err)}`));
      await this.#renew(signal);
      this.#leading = false;
      leading.abort();
      // Give the leader's work up to a renew deadline to wind down before the Lease is handed over.
      const windDown = new AbortController();
      await Promise.race([started, sleep(this.#clock, this.#renewDeadlineMs, windDown.signal)]);
      windDown.abort();
      if (this.#options.releaseOnCancel ?? true) await this.#release();
    } finally {
      this.#leading = false;
      this.#running = false;
      this.#options.onStoppedLeading?.();
    }
  }

  /**
   * Runs the election until `signal` aborts: a candidate that loses leadership campaigns again.
   * Upstream's components exit when they lose their Lease and are started again by their
   * supervisor; this loop is that supervisor for components that share a process.
   */
  async campaign(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.run(signal);
      if (!signal.aborted) this.#log(`leader election ${this.#lock.describe()}: leadership lost, campaigning again`);
    }
  }

  async #acquire(signal: AbortSignal): Promise<boolean> {
    const desc = this.#lock.describe();
    this.#log(`attempting to acquire leader lease ${desc}...`);
    while (!signal.aborted) {
      // Not raced with the signal: an attempt that wins after an abort is released by run().
      const ok = await this.#tryAcquireOrRenew(this.#generation);
      this.#maybeReportTransition();
      if (ok) {
        this.#lock.recordEvent('became leader');
        this.#log(`successfully acquired lease ${desc}`);
        return true;
      }
      await sleep(this.#clock, this.#retryMs * (1 + Math.random() * JITTER_FACTOR), signal);
    }
    return false;
  }

  async #renew(signal: AbortSignal): Promise<void> {
    const desc = this.#lock.describe();
    while (!signal.aborted) {
      const ok = await this.#renewUntilDeadline(signal);
      this.#maybeReportTransition();
      if (!ok) {
        this.#generation++;
        if (!signal.aborted) this.#log(`failed to renew lease ${desc}: timed out waiting for the condition`);
        break;
      }
      await sleep(this.#clock, this.#retryMs, signal);
    }
    this.#lock.recordEvent('stopped leading');
  }

  /** wait.PollImmediateUntil(retryPeriod, tryAcquireOrRenew) bounded by the renew deadline. */
  async #renewUntilDeadline(signal: AbortSignal): Promise<boolean> {
    const deadline = this.#clock.now() + this.#renewDeadlineMs;
    const timeout = new AbortController();
    const cancelTimer = this.#clock.setTimeout(() => timeout.abort(), this.#renewDeadlineMs);
    const stop = AbortSignal.any([signal, timeout.signal]);
    // An attempt is raced with the deadline only, so an abort never leaves a write in flight.
    const expired = new Promise<false>((resolve) => timeout.signal.addEventListener('abort', () => resolve(false), { once: true }));
    try {
      while (!stop.aborted) {
        if (await Promise.race([this.#tryAcquireOrRenew(this.#generation), expired])) return true;
        const remaining = deadline - this.#clock.now();
        if (remaining <= 0) break;
        await sleep(this.#clock, Math.min(this.#retryMs, remaining), stop);
      }
      return false;
    } finally {
      cancelTimer();
    }
  }

  /** One attempt; true when this candidate holds the Lease afterwards. */
  async #tryAcquireOrRenew(generation: number): Promise<boolean> {
    const now = this.#clock.now();
    const nowTime = rfc3339Micro(now);
    const record: LeaderElectionRecord = {
      holderIdentity: this.#lock.identity,
      leaseDurationSeconds: this.#leaseMs / 1000,
      acquireTime: nowTime,
      renewTime: nowTime,
      leaderTransitions: 0,
    };
    const current = (): boolean => generation === this.#generation;

    // 1. Fast path: the leader renews optimistically over the Lease it last wrote.
    if (this.#holds() && this.#isLeaseValid(now)) {
      record.acquireTime = this.#observed.acquireTime;
      record.leaderTransitions = this.#observed.leaderTransitions;
      try {
        await this.#lock.update(record);
        if (!current()) return false;
        this.#setObserved(record);
        return true;
      } catch (err) {
        this.#log(`Failed to update lock optimistically: ${errorMessage(err)}, falling back to slow path`);
      }
    }

    // 2. Read the Lease, creating it when absent.
    let old: { record: LeaderElectionRecord; raw: string };
    try {
      old = await this.#lock.get();
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) {
        this.#log(`error retrieving resource lock ${this.#lock.describe()}: ${errorMessage(err)}`);
        return false;
      }
      try {
        await this.#lock.create(record);
      } catch (createErr) {
        this.#log(`error initially creating leader election record: ${errorMessage(createErr)}`);
        return false;
      }
      if (!current()) return false;
      this.#setObserved(record);
      return true;
    }
    if (!current()) return false;

    // 3. Someone else's unexpired Lease: wait.
    if (this.#observedRaw !== old.raw) {
      this.#setObserved(old.record);
      this.#observedRaw = old.raw;
    }
    if (old.record.holderIdentity !== '' && this.#isLeaseValid(now) && !this.#holds()) return false;

    // 4. Take over (a transition) or renew (keep acquireTime and the transition count).
    if (this.#holds()) {
      record.acquireTime = old.record.acquireTime;
      record.leaderTransitions = old.record.leaderTransitions;
    } else {
      record.leaderTransitions = old.record.leaderTransitions + 1;
    }
    try {
      await this.#lock.update(record);
    } catch (err) {
      this.#log(`Failed to update lock: ${errorMessage(err)}`);
      return false;
    }
    if (!current()) return false;
    this.#setObserved(record);
    return true;
  }

  /** Gives the Lease up: no holder, a 1 s duration, so others take over at once. */
  async #release(): Promise<void> {
    if (!this.#holds()) return;
    try {
      const fresh = await this.#lock.get();
      if (fresh.record.holderIdentity !== this.#lock.identity) {
        this.#setObserved(fresh.record);
        return;
      }
      const nowTime = rfc3339Micro(this.#clock.now());
      const record: LeaderElectionRecord = {
        holderIdentity: '',
        leaseDurationSeconds: 1,
        acquireTime: nowTime,
        renewTime: nowTime,
        leaderTransitions: fresh.record.leaderTransitions,
      };
      await this.#lock.update(record);
      this.#setObserved(record);
    } catch (err) {
      this.#log(`Failed to release lock: ${errorMessage(err)}`);
    }
  }

  #isLeaseValid(now: number): boolean {
    return this.#observedTime + this.#observed.leaseDurationSeconds * 1000 > now;
  }

  #setObserved(record: LeaderElectionRecord): void {
    this.#observed = record;
    this.#observedTime = this.#clock.now();
  }

  #maybeReportTransition(): void {
    const leader = this.#observed.holderIdentity;
    if (leader === this.#reportedLeader) return;
    this.#reportedLeader = leader;
    const onNewLeader = this.#options.onNewLeader;
    if (onNewLeader) queueMicrotask(() => onNewLeader(leader));
  }
}
