/**
 * Progress of a run, from the API: one watch on a namespace's pods with a field selector
 * (e.g. `spec.nodeName!=` or `status.phase=Running`) counts the distinct pods that matched.
 * The server sends ADDED when a pod starts to match, so each pod is counted once, at the moment
 * it got bound or Running. A closed watch is reopened without a resourceVersion (its initial
 * ADDED events are de-duplicated by name); reopening is bounded.
 */
import { performance } from 'node:perf_hooks';
import type { Target } from './operations.js';
import { openWatcher, type Watcher } from './watchers.js';

export interface PodProgress {
  /** Distinct pods that matched the selector so far. */
  readonly count: number;
  /** performance.now() when the first pod matched (0 before). */
  readonly firstAt: number;
  /** performance.now() when the count last grew. */
  readonly lastAt: number;
  /** Resolves with true once `count` ≥ `target`, false at the deadline (performance.now() ms). */
  waitFor(target: number, deadline: number, onTick?: (count: number) => void): Promise<boolean>;
  close(): void;
}

const MAX_REOPENS = 20;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The watch path of a namespace's pods matching `fieldSelector`. */
export function podWatchPath(namespace: string, fieldSelector: string): string {
  return `/api/v1/namespaces/${namespace}/pods?watch=1&timeoutSeconds=1800&fieldSelector=${encodeURIComponent(fieldSelector)}`;
}

export async function watchPodProgress(target: Target, namespace: string, fieldSelector: string): Promise<PodProgress> {
  const url = new URL(target.url);
  const seen = new Set<string>();
  let lastAt = performance.now();
  let firstAt = 0;
  let closed = false;
  let reopens = 0;
  let watcher: Watcher | undefined;
  const open = async (): Promise<void> => {
    watcher = await openWatcher({
      host: url.hostname,
      port: Number(url.port),
      path: podWatchPath(namespace, fieldSelector),
      tls: target.tls,
      exact: true,
      onEvent: (ev) => {
        if ((ev.type === 'ADDED' || ev.type === 'MODIFIED') && !seen.has(ev.name)) {
          seen.add(ev.name);
          lastAt = performance.now();
          if (firstAt === 0) firstAt = lastAt;
        }
      },
      onEnd: () => {
        if (closed || reopens >= MAX_REOPENS) return;
        reopens++;
        sleep(100)
          .then(open)
          .catch(() => undefined);
      },
    });
  };
  await open();
  return {
    get count() {
      return seen.size;
    },
    get firstAt() {
      return firstAt;
    },
    get lastAt() {
      return lastAt;
    },
    async waitFor(targetCount, deadline, onTick) {
      let nextTick = performance.now() + 5000;
      while (seen.size < targetCount) {
        const now = performance.now();
        if (now > deadline) return false;
        if (onTick && now >= nextTick) {
          onTick(seen.size);
          nextTick = now + 5000;
        }
        await sleep(10);
      }
      return true;
    },
    close() {
      closed = true;
      watcher?.close();
    },
  };
}
