/**
 * In-process fan-out of committed changes to watchers.
 *
 * Writers publish each change right after its commit. Delivery is synchronous and in commit
 * order, also when a handler writes (its change is queued and delivered after the current
 * one has reached every watcher). A watcher never receives a revision at or below the one
 * it was registered after, so history replay and live delivery never overlap.
 */

import type { WatchEvent, WatchHandler } from '../interface.js';

export interface HubWatcher {
  readonly prefix: string;
  readonly signal: AbortSignal;
  readonly handler: WatchHandler;
  /** Changes at or below this revision were already delivered (as history). */
  readonly afterRevision: number;
}

export class WatchHub {
  readonly #watchers = new Set<HubWatcher>();
  readonly #queue: WatchEvent[] = [];
  #delivering = false;

  /** Number of live watchers. */
  get size(): number {
    return this.#watchers.size;
  }

  /** Registers a watcher until its signal aborts (or the hub closes). */
  add(watcher: HubWatcher): void {
    if (watcher.signal.aborted) return;
    this.#watchers.add(watcher);
    watcher.signal.addEventListener('abort', () => this.#watchers.delete(watcher), { once: true });
  }

  /** Delivers a committed change to every matching watcher. */
  publish(event: WatchEvent): void {
    this.#queue.push(event);
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      for (let i = 0; i < this.#queue.length; i++) {
        this.#deliver(this.#queue[i] as WatchEvent);
      }
    } finally {
      this.#queue.length = 0;
      this.#delivering = false;
    }
  }

  /** Drops every watcher; nothing is delivered afterwards. */
  close(): void {
    this.#watchers.clear();
    this.#queue.length = 0;
  }

  #deliver(event: WatchEvent): void {
    for (const watcher of this.#watchers) {
      if (watcher.signal.aborted || event.revision <= watcher.afterRevision) continue;
      if (!event.kv.key.startsWith(watcher.prefix)) continue;
      try {
        watcher.handler([event]);
      } catch (err) {
        // A failing handler must not fail the write that was already committed, nor starve
        // the other watchers; surface it without throwing.
        process.emitWarning(`storage watch handler failed: ${String(err)}`, { code: 'K8TS_WATCH_HANDLER' });
      }
    }
  }
}
