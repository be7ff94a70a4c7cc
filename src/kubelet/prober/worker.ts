/**
 * A probe worker (pkg/kubelet/prober/worker.go): probes one container of one pod with one of
 * its probes. It is a timer on the node engine's clock, armed only while its container runs, so
 * a worker whose container is waiting or exited costs nothing. A new container (a new id) starts
 * over from the probe's initial value: Failure for readiness, Success for liveness, Unknown for
 * startup; the first probe runs initialDelaySeconds after the container started, then every
 * periodSeconds. A result takes effect after successThreshold / failureThreshold equal results
 * in a row; a liveness or startup Failure holds the worker until the container is replaced.
 * Failures record upstream's Unhealthy events.
 */
import { num, type Obj } from '../../api/core/access.js';
import type { Clock } from '../clock.js';
import type { ActionOutcome, ProbeResult, ProbeType } from './interface.js';

/** A probe's timing and thresholds, with the API's defaults. */
export interface ProbeParams {
  initialDelayMs: number;
  periodMs: number;
  timeoutSeconds: number;
  successThreshold: number;
  failureThreshold: number;
}

function probeParams(probe: Obj): ProbeParams {
  const positive = (v: unknown, d: number): number => {
    const n = num(v);
    return n !== undefined && n > 0 ? n : d;
  };
  return {
    initialDelayMs: Math.max(0, num(probe['initialDelaySeconds']) ?? 0) * 1000,
    periodMs: positive(probe['periodSeconds'], 10) * 1000,
    timeoutSeconds: positive(probe['timeoutSeconds'], 1),
    successThreshold: positive(probe['successThreshold'], 1),
    failureThreshold: positive(probe['failureThreshold'], 3),
  };
}

/** What a worker needs from its manager. */
export interface ProbeWorkerHost {
  clock: Clock;
  /** Probe answers never change (ProbeNetwork.steady): stop once the probe succeeded. */
  steady: boolean;
  /** Runs the probe's handler once against the container. */
  run(worker: ProbeWorker): Promise<ActionOutcome>;
  /** Whether the container `containerId` has started (its startup probe succeeded, or it has none). */
  started(worker: ProbeWorker): boolean;
  /** Records an event about the worker's container. */
  event(worker: ProbeWorker, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** The worker's result changed. */
  changed(worker: ProbeWorker): void;
}

/** Runs one probe with retries on errors (prober.go maxProbeRetries). */
const MAX_PROBE_RETRIES = 3;

const INITIAL: Record<ProbeType, ProbeResult> = { Readiness: 'Failure', Liveness: 'Success', Startup: 'Unknown' };

export class ProbeWorker {
  readonly type: ProbeType;
  readonly containerName: string;
  readonly probe: Obj;
  readonly params: ProbeParams;
  readonly #host: ProbeWorkerHost;
  /** The container probed now ('' before one ran). */
  containerId = '';
  /** The result for `containerId`. */
  result: ProbeResult;
  #running = false;
  #lastResult: ProbeResult = 'Unknown';
  #resultRun = 0;
  #onHold = false;
  #busy = false;
  #cancel: (() => void) | undefined;
  #stopped = false;

  constructor(host: ProbeWorkerHost, type: ProbeType, containerName: string, probe: Obj) {
    this.#host = host;
    this.type = type;
    this.containerName = containerName;
    this.probe = probe;
    this.params = probeParams(probe);
    this.result = INITIAL[type];
  }

  /** Tells the worker the container's current state; a new id starts over, a running container is probed. */
  observe(containerId: string, running: boolean, startedAt: number): void {
    if (this.#stopped) return;
    if (containerId !== this.containerId) {
      this.containerId = containerId;
      this.result = INITIAL[this.type];
      this.#lastResult = 'Unknown';
      this.#resultRun = 0;
      this.#onHold = false;
      this.#running = running;
      this.#disarm();
      if (running) this.#arm(Math.max(0, startedAt + this.params.initialDelayMs - this.#host.clock.now()));
      return;
    }
    if (running && !this.#running) this.#arm(Math.max(0, startedAt + this.params.initialDelayMs - this.#host.clock.now()));
    if (!running && this.#running) {
      this.#disarm();
      // a container that stopped fails every probe (worker.go: non-running container probed)
      if (this.result !== 'Failure') {
        this.result = 'Failure';
        this.#host.changed(this);
      }
    }
    this.#running = running;
  }

  /** Stops probing for good. */
  stop(): void {
    this.#stopped = true;
    this.#disarm();
  }

  #arm(afterMs: number): void {
    this.#disarm();
    this.#cancel = this.#host.clock.setTimeout(() => {
      this.#cancel = undefined;
      void this.#tick();
    }, afterMs);
  }

  #disarm(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }

  async #tick(): Promise<void> {
    if (this.#stopped || !this.#running) return;
    this.#arm(this.params.periodMs);
    if (this.#busy || this.#onHold) return;
    const started = this.#host.started(this);
    // startup probes stop once started (until a new container); the others wait for it
    if (this.type === 'Startup' && started) return this.#disarm();
    if (this.type !== 'Startup' && !started) return;
    const id = this.containerId;
    this.#busy = true;
    let outcome: ActionOutcome = { result: 'Unknown', output: '' };
    try {
      for (let i = 0; i < MAX_PROBE_RETRIES; i++) {
        outcome = await this.#host.run(this);
        if (outcome.result !== 'Unknown') break;
      }
    } finally {
      this.#busy = false;
    }
    if (this.#stopped || id !== this.containerId) return;
    this.#record(outcome);
    if (this.#host.steady && this.result === 'Success') this.#disarm();
  }

  #record(outcome: ActionOutcome): void {
    if (outcome.result === 'Unknown') {
      this.#host.event(this, 'Warning', 'Unhealthy', `${this.type} probe errored: ${outcome.output}`);
      return;
    }
    if (outcome.result === 'Failure') this.#host.event(this, 'Warning', 'Unhealthy', `${this.type} probe failed: ${outcome.output}`);
    if (outcome.result === 'Warning') this.#host.event(this, 'Warning', 'ProbeWarning', `${this.type} probe warning: ${outcome.output}`);
    const result: ProbeResult = outcome.result === 'Failure' ? 'Failure' : 'Success';
    if (result === this.#lastResult) this.#resultRun++;
    else {
      this.#lastResult = result;
      this.#resultRun = 1;
    }
    const threshold = result === 'Failure' ? this.params.failureThreshold : this.params.successThreshold;
    if (this.#resultRun < threshold) return;
    const changed = result !== this.result;
    this.result = result;
    if (this.type !== 'Readiness' && result === 'Failure') {
      // the container is going to be killed: no more probes until its replacement runs
      this.#onHold = true;
      this.#resultRun = 0;
    }
    if (changed) this.#host.changed(this);
  }
}
