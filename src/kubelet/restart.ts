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
