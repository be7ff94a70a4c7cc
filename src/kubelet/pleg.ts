/**
 * The generic pod lifecycle event generator (pkg/kubelet/pleg/generic.go): relists the runtime's
 * containers every period and reports each pod whose containers appeared, changed state or went
 * away, so the pod worker syncs it (a container that exited gets restarted or ends the pod). For
 * runtimes that stream no container events — containerd before 1.7 answers GetContainerEvents
 * with UNIMPLEMENTED — this is how the kubelet learns that a container exited. One ListContainers
 * call per period for the whole node.
 *
 *   runRelist({ runtime, clock, periodMs: 1000, onPodChanged: (key) => queue.add(key) }, signal)
 */
import type { Clock } from './clock.js';
import { POD_NAME_LABEL, POD_NAMESPACE_LABEL } from './runtime-view.js';
import type { ContainerState, Runtime } from './runtime/interface.js';

export interface RelistOptions {
  runtime: Runtime;
  clock: Clock;
  periodMs: number;
  /** A pod (`namespace/name`) whose containers changed. */
  onPodChanged(key: string): void;
  onError?(err: unknown): void;
}

/** Relists until the signal aborts. */
export function runRelist(options: RelistOptions, signal: AbortSignal): void {
  let known: Map<string, { state: ContainerState; key: string }> | undefined;
  let cancel: (() => void) | undefined;
  const relist = async (): Promise<void> => {
    const now = new Map<string, { state: ContainerState; key: string }>();
    for (const c of await options.runtime.listContainers()) {
      const namespace = c.labels[POD_NAMESPACE_LABEL];
      const name = c.labels[POD_NAME_LABEL];
      if (namespace === undefined || name === undefined) continue;
      now.set(c.id, { state: c.state, key: `${namespace}/${name}` });
    }
    if (known) {
      const changed = new Set<string>();
      for (const [id, c] of now) if (known.get(id)?.state !== c.state) changed.add(c.key);
      for (const [id, c] of known) if (!now.has(id)) changed.add(c.key);
      for (const key of changed) options.onPodChanged(key);
    }
    known = now;
  };
  const tick = (): void => {
    cancel = undefined;
    if (signal.aborted) return;
    relist()
      .catch((err: unknown) => options.onError?.(err))
      .finally(() => {
        if (!signal.aborted) cancel = options.clock.setTimeout(tick, options.periodMs);
      });
  };
  signal.addEventListener('abort', () => cancel?.(), { once: true });
  tick();
}
