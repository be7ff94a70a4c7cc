/** Container restart rules: restartPolicy and the crash-loop back-off (10 s doubling to 5 min). */

export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;

/** Whether an exited container is restarted under the pod's (or a sidecar's) restart policy. */
export function shouldRestart(restartPolicy: string, exitCode: number): boolean {
  if (restartPolicy === 'Never') return false;
  if (restartPolicy === 'OnFailure') return exitCode !== 0;
  return true;
}

/** How long after the exit of `attempt` the next attempt starts: the first restart is immediate. */
export function restartDelayMs(attempt: number): number {
  if (attempt <= 0) return 0;
  return Math.min(BACKOFF_INITIAL_MS * 2 ** (attempt - 1), BACKOFF_MAX_MS);
}

/** A container's crash-loop back-off: it restarts at `until`; `delayMs` is the back-off shown (0: none). */
export interface BackOffState {
  until: number;
  delayMs: number;
}

/**
 * The kubelet's restart back-off per container (flowcontrol.Backoff keyed by pod and container,
 * as kuberuntime's doBackOff uses it): the first restart is immediate, each next one waits
 * twice as long from 10 s up to 5 min after the exit, and a container that ran for more than
 * 10 min (twice the maximum) since the last restart starts over. Kept in memory, as upstream's.
 */
export class RestartBackOff {
  readonly #pods = new Map<string, Map<string, { delayMs: number; lastUpdate: number }>>();

  /** The back-off of container `name` of pod `uid` that exited at `finishedAt`. */
  of(uid: string, name: string, finishedAt: number): BackOffState {
    const e = this.#pods.get(uid)?.get(name);
    if (!e || finishedAt - e.lastUpdate > 2 * BACKOFF_MAX_MS) return { until: finishedAt, delayMs: 0 };
    return { until: finishedAt + e.delayMs, delayMs: e.delayMs };
  }

  /** Records a restart after the exit at `finishedAt` (Backoff.Next): the next exit waits longer. */
  next(uid: string, name: string, finishedAt: number): void {
    let pod = this.#pods.get(uid);
    if (!pod) this.#pods.set(uid, (pod = new Map()));
    const e = pod.get(name);
    const expired = !e || finishedAt - e.lastUpdate > 2 * BACKOFF_MAX_MS;
    pod.set(name, { delayMs: expired ? BACKOFF_INITIAL_MS : Math.min(e.delayMs * 2, BACKOFF_MAX_MS), lastUpdate: finishedAt });
  }

  /** Forgets a pod's containers. */
  forget(uid: string): void {
    this.#pods.delete(uid);
  }
}
