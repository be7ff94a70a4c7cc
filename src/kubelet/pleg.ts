/**
 * The pod lifecycle event generator of a real node (pleg/generic.go, reduced): every second it
 * relists the runtime's sandboxes and containers, and asks for a sync of every pod whose
 * sandbox or container changed state, appeared or vanished since the last relist — a container
 * that exited, one that died while containerd was down and came back EXITED after its restart.
 * containerd 1.6 has no GetContainerEvents, so without this nothing would notice. A relist the
 * runtime does not answer (it is restarting) is skipped; the next one compares with the last
 * good one. The first relist only records: the pod informer's initial list syncs every pod.
 *
 *   new GenericPLEG(options: GenericPLEGOptions)
 *   relist(): Promise<void>
 *   run(signal: AbortSignal): void
 */
import type { Clock } from './clock.js';
import { POD_NAME_LABEL, POD_NAMESPACE_LABEL } from './runtime-view.js';
import type { Runtime, StringMap } from './runtime/interface.js';

export interface GenericPLEGOptions {
  runtime: Pick<Runtime, 'listPodSandbox' | 'listContainers'>;
  clock: Clock;
  /** Asks for a sync of the pod `namespace/name`. */
  onPodChanged: (key: string) => void;
  /** Default 1 s (upstream's relist period). */
  relistPeriodMs?: number;
}

const podKey = (labels: StringMap): string | undefined => {
  const ns = labels[POD_NAMESPACE_LABEL];
  const name = labels[POD_NAME_LABEL];
  return ns && name ? `${ns}/${name}` : undefined;
};

export class GenericPLEG {
  readonly #o: GenericPLEGOptions;
  /** `kind/id` → `state podKey` as of the last good relist; undefined before the first. */
  #last: Map<string, string> | undefined;

  constructor(options: GenericPLEGOptions) {
    this.#o = options;
  }

  async relist(): Promise<void> {
    let sandboxes: Awaited<ReturnType<Runtime['listPodSandbox']>>;
    let containers: Awaited<ReturnType<Runtime['listContainers']>>;
    try {
      [sandboxes, containers] = await Promise.all([this.#o.runtime.listPodSandbox(), this.#o.runtime.listContainers()]);
    } catch {
      return;
    }
    const now = new Map<string, string>();
    for (const s of sandboxes) now.set(`s/${s.id}`, `${s.state} ${podKey(s.labels) ?? ''}`);
    for (const c of containers) now.set(`c/${c.id}`, `${c.state} ${podKey(c.labels) ?? ''}`);
    const last = this.#last;
    this.#last = now;
    if (!last) return;
    const changed = new Set<string>();
    const keyOf = (entry: string): string => entry.slice(entry.indexOf(' ') + 1);
    for (const [id, entry] of now) if (last.get(id) !== entry) changed.add(keyOf(entry));
    for (const [id, entry] of last) if (!now.has(id)) changed.add(keyOf(entry));
    changed.delete('');
    for (const key of changed) this.#o.onPodChanged(key);
  }

  /** Relists every period until the signal aborts. */
  run(signal: AbortSignal): void {
    const period = this.#o.relistPeriodMs ?? 1000;
    let cancel: (() => void) | undefined;
    const tick = (): void => {
      if (signal.aborted) return;
      void this.relist().finally(() => {
        if (!signal.aborted) cancel = this.#o.clock.setTimeout(tick, period);
      });
    };
    signal.addEventListener('abort', () => cancel?.(), { once: true });
    tick();
  }
}
