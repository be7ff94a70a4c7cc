/**
 * Runs the node's own containerd, as k3s does: starts it with the config written under the
 * agent's data dir, waits until its socket answers, restarts it with exponential backoff when it
 * dies, and stops it by its PID. Containers survive a containerd restart (their shims run on);
 * stop() removes them too unless told to keep them for the next start to adopt.
 *
 *   new ContainerdSupervisor(options: ContainerdSupervisorOptions)
 *   start(): Promise<void>            // resolves when the socket answers; rejects with the log's tail if containerd dies first
 *   ready(): Promise<void>            // resolves when a containerd answers (again, after a restart)
 *   pid: number | undefined
 *   stop(options?: { keepContainers?: boolean }): Promise<void>
 *   canConnect(socket: string): Promise<boolean>
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContainerdLayout } from './config.js';
import { killStrayContainerd, teardownContainerd } from './teardown.js';

export interface ContainerdSupervisorOptions {
  /** Where the config, socket, log, PID file, root and state are (see containerdLayout). */
  layout: ContainerdLayout;
  /** The containerd binary (default `containerd` on PATH). */
  binary?: string;
  /** Aborting stops containerd as stop() does. */
  signal?: AbortSignal;
  /** Where exits and restarts are told (default stderr). */
  log?: (message: string) => void;
  /** Restart delays: initialMs doubling up to maxMs (default 500 ms … 30 s); reset after a minute of running. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** How long a start may take before it counts as failed (default 30 s). */
  readyTimeoutMs?: number;
  /** How long containerd has after SIGTERM before SIGKILL (default 10 s). */
  stopTimeoutMs?: number;
}

export class ContainerdError extends Error {
  readonly code: 'ContainerdNotReady' | 'ContainerdStopped';
  constructor(code: ContainerdError['code'], message: string) {
    super(message);
    this.name = 'ContainerdError';
    this.code = code;
  }
}

const STEADY_MS = 60_000;

/** A promise with its resolvers, and no unhandled rejection when nobody waits on it. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Whether something accepts connections on the unix socket. */
export function canConnect(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = connect(socket);
    conn.once('connect', () => {
      conn.destroy();
      resolve(true);
    });
    conn.once('error', () => resolve(false));
  });
}

function running(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

export class ContainerdSupervisor {
  readonly #options: ContainerdSupervisorOptions;
  readonly #log: (message: string) => void;
  #child: ChildProcess | undefined;
  #startedAt = 0;
  #delay: number;
  #restartTimer: NodeJS.Timeout | undefined;
  #ready = deferred();
  #stopping: Promise<void> | undefined;

  constructor(options: ContainerdSupervisorOptions) {
    this.#options = options;
    this.#log = options.log ?? ((m) => process.stderr.write(`containerd supervisor: ${m}\n`));
    this.#delay = options.backoff?.initialMs ?? 500;
    options.signal?.addEventListener('abort', () => void this.stop().catch((e: Error) => this.#log(`stopping: ${e.message}`)), {
      once: true,
    });
  }

  /** The PID of the running containerd. */
  get pid(): number | undefined {
    return this.#child && running(this.#child) ? this.#child.pid : undefined;
  }

  async start(): Promise<void> {
    if (this.#child || this.#stopping) throw new Error('the containerd supervisor starts once');
    this.#options.signal?.throwIfAborted();
    const stray = await killStrayContainerd(this.#options.layout);
    if (stray) this.#log(`killed containerd (pid ${stray}) left running by an earlier agent`);
    const child = this.#spawn();
    try {
      await this.#waitReady(child);
    } catch (err) {
      await this.stop({ keepContainers: true });
      throw err;
    }
  }

  ready(): Promise<void> {
    return this.#ready.promise;
  }

  stop(options: { keepContainers?: boolean } = {}): Promise<void> {
    this.#stopping ??= this.#stop(options.keepContainers ?? false);
    return this.#stopping;
  }

  async #stop(keepContainers: boolean): Promise<void> {
    clearTimeout(this.#restartTimer);
    const stopped = new ContainerdError('ContainerdStopped', 'containerd was stopped');
    this.#ready.reject(stopped);
    this.#ready = deferred();
    this.#ready.reject(stopped);
    const child = this.#child;
    if (child && running(child)) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const grace = new AbortController();
      const timeout = sleep(this.#options.stopTimeoutMs ?? 10_000, 'timeout' as const, { signal: grace.signal }).catch(() => undefined);
      const outcome = await Promise.race([exited, timeout]);
      grace.abort();
      if (outcome === 'timeout') {
        this.#log(`containerd (pid ${child.pid}) did not stop within its grace period; killing it`);
        child.kill('SIGKILL');
        await exited;
      }
    }
    await rm(this.#options.layout.pidFile, { force: true });
    if (!keepContainers) await teardownContainerd(this.#options.layout);
  }

  #spawn(): ChildProcess {
    const { layout } = this.#options;
    const out = openSync(layout.log, 'a');
    let child: ChildProcess;
    try {
      // Its own session: a Ctrl-C at the agent's terminal is the agent's to handle, not containerd's.
      child = spawn(this.#options.binary ?? 'containerd', ['--config', layout.config], { detached: true, stdio: ['ignore', out, out] });
    } finally {
      closeSync(out);
    }
    this.#child = child;
    this.#startedAt = Date.now();
    child.once('error', (err) => {
      this.#log(`containerd could not start: ${err.message}`);
      if (child.pid === undefined) this.#exited(child, null, null);
    });
    child.once('exit', (code, signal) => this.#exited(child, code, signal));
    if (child.pid)
      void writeFile(layout.pidFile, `${child.pid}\n`).catch((e: Error) => this.#log(`writing ${layout.pidFile}: ${e.message}`));
    return child;
  }

  #exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#stopping || child !== this.#child) return;
    const { backoff } = this.#options;
    if (Date.now() - this.#startedAt >= STEADY_MS) this.#delay = backoff?.initialMs ?? 500;
    const delay = this.#delay;
    this.#delay = Math.min(delay * 2, backoff?.maxMs ?? 30_000);
    const how = signal ?? (code === null ? 'did not start' : `code ${code}`);
    this.#log(`containerd (pid ${child.pid}) exited (${how}); restarting in ${delay} ms`);
    this.#ready = deferred();
    this.#restartTimer = setTimeout(() => {
      const next = this.#spawn();
      this.#waitReady(next).then(
        () => this.#log(`containerd (pid ${next.pid}) is ready again`),
        () => {
          // Dead again: its exit schedules the next try. Hung: kill it, and its exit does.
          if (next !== this.#child || this.#stopping || !running(next)) return;
          this.#log(`containerd (pid ${next.pid}) did not answer in time; killing it`);
          next.kill('SIGKILL');
        },
      );
    }, delay);
  }

  /** Polls the socket until it accepts a connection; fails when this child exits first or the time is up. */
  async #waitReady(child: ChildProcess): Promise<void> {
    const { layout } = this.#options;
    const deadline = Date.now() + (this.#options.readyTimeoutMs ?? 30_000);
    while (running(child)) {
      if (await canConnect(layout.socket)) {
        if (child === this.#child && !this.#stopping) this.#ready.resolve();
        return;
      }
      if (Date.now() > deadline) throw new ContainerdError('ContainerdNotReady', `containerd did not answer on ${layout.socket} in time`);
      await sleep(50);
    }
    const tail = (await readFile(layout.log, 'utf8').catch(() => '')).trim().split('\n').slice(-5).join('\n');
    throw new ContainerdError('ContainerdNotReady', `containerd exited before it answered on ${layout.socket}; its log ends:\n${tail}`);
  }
}
