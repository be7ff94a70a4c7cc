/**
 * Readiness held back on purpose, for simulated containers. Their probes run against a simulation
 * that always answers (prober/network.ts); a container is ready once running and its readiness
 * probe passed, unless held back:
 *
 *   k8ts.io/simulate-ready: "false"               no container of the pod becomes ready
 *   k8ts.io/simulate-ready: "10s"                 containers become ready 10 s after they start
 *   k8ts.io/simulate-ready.<container>: "true"    overrides the pod's value for one container
 *
 * Readiness probes themselves (initialDelaySeconds, thresholds) are the prober's (prober/manager.ts).
 */
import type { KubeObject } from '../machinery/object.js';
import { parseGoDuration } from './runtime/fake/simulate.js';

export const SIMULATE_READY_ANNOTATION = 'k8ts.io/simulate-ready';

/** When a container started at `startedAt` becomes ready: a time, or Infinity for never. */
export function readyAt(pod: KubeObject, container: { name: string }, startedAt: number): number {
  const annotations = pod.metadata.annotations ?? {};
  const value = annotations[`${SIMULATE_READY_ANNOTATION}.${container.name}`] ?? annotations[SIMULATE_READY_ANNOTATION];
  if (value !== undefined) {
    const v = value.trim().toLowerCase();
    if (v === 'false') return Number.POSITIVE_INFINITY;
    if (v === 'true' || v === '') return startedAt;
    const delay = parseGoDuration(v);
    return delay === undefined ? Number.POSITIVE_INFINITY : startedAt + delay;
  }
  return startedAt;
}
