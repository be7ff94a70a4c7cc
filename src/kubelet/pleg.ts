/**
 * The generic PLEG (pkg/kubelet/pleg/generic.go): for a runtime that streams no container events
 * (containerd 1.6 answers GetContainerEvents with UNIMPLEMENTED), the kubelet relists the
 * runtime's sandboxes and containers every period and wakes the pod worker of each pod whose
 * sandboxes or containers changed state (a container exited, a sandbox stopped, one vanished).
 *
 *   startGenericPLEG(options: GenericPLEGOptions, signal: AbortSignal): void
 */
import { POD_NAME_LABEL, POD_NAMESPACE_LABEL } from './runtime-view.js';
import type { RuntimeService } from './runtime/interface.js';

export interface GenericPLEGOptions {
  runtime: Pick<RuntimeService, 'listPodSandbox' | 'listContainers'>;
  /** upstream's relist period is 1 s. */
  periodMs: number;
  /** Called with `namespace/name` of a pod whose runtime state changed. */
  onPodChanged(key: string): void;
  onError?(err: unknown): void;
}

/** What the relist compares per pod: each sandbox's and container's id and state. */
export async function relistPodStates(runtime: GenericPLEGOptions['runtime']): Promise<Map<string, string>> {
  const states = new Map<string, string[]>();
  const add = (labels: Record<string, string>, entry: string): void => {
    const key = `${labels[POD_NAMESPACE_LABEL] ?? ''}/${labels[POD_NAME_LABEL] ?? ''}`;
    const list = states.get(key) ?? [];
    list.push(entry);
    states.set(key, list);
  };
  for (const s of await runtime.listPodSandbox()) add(s.labels, `${s.id}=${s.state}`);
  for (const c of await runtime.listContainers()) add(c.labels, `${c.id}=${c.state}`);
  return new Map([...states].map(([key, list]) => [key, list.sort().join(',')]));
}

export function startGenericPLEG(options: GenericPLEGOptions, signal: AbortSignal): void {
  let previous: Map<string, string> | undefined;
  let running = false;
  const relist = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const current = await relistPodStates(options.runtime);
      if (previous) {
        for (const [key, state] of current) if (previous.get(key) !== state) options.onPodChanged(key);
        for (const key of previous.keys()) if (!current.has(key)) options.onPodChanged(key);
      }
      previous = current;
    } catch (err) {
      options.onError?.(err);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void relist(), options.periodMs);
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}
