/**
 * What a simulated container "wrote": the fake runtime runs no processes, so its log is made
 * from the container's status — a line when it started and one when it exited — in CRI format,
 * so --tail, --since, --timestamps and --limit-bytes work on simulated nodes as on real ones.
 */
import type { ContainerStatus } from '../runtime/interface.js';
import { criLogLine } from './cri-log.js';

export function simulatedContainerLog(c: ContainerStatus): string {
  let text = '';
  if (c.startedAt)
    text += criLogLine(c.startedAt, 'stdout', `simulated container ${c.metadata.name} started (attempt ${c.metadata.attempt})`);
  if (c.state === 'CONTAINER_EXITED' && c.finishedAt) {
    text += criLogLine(c.finishedAt, 'stdout', `simulated container ${c.metadata.name} exited with code ${c.exitCode}`);
  }
  return text;
}
