/**
 * client-go's Reflector: lists a resource (paged), hands the snapshot to a store, then watches
 * from the list's resourceVersion with bookmarks. A clean close re-watches from the last
 * resourceVersion seen; a 410 (HTTP or an ERROR event) relists; other failures back off
 * exponentially (capped) and retry until the signal aborts.
 */
import { isStatusError, type Status, StatusError } from '../machinery/errors.js';
import type { KubeObject } from '../machinery/object.js';
import type { ResourceClient, WatchEvent } from './interface.js';

/** Where a reflector delivers what it observes. */
export interface ReflectorStore {
  /** The full state after a list: the store delivers the differences to what it held. */
  replace(items: KubeObject[], resourceVersion: string): void;
  /** One ADDED, MODIFIED or DELETED watch event. */
  apply(event: WatchEvent): void;
}

export interface BackoffOptions {
  /** First delay after a failure. Default 800 ms (client-go). */
  initialMs?: number;
  /** Cap of the exponential delay. Default 30 s. */
  maxMs?: number;
}

export interface ReflectorOptions {
  client: ResourceClient;
  /** '' or undefined: all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size of lists. Default 500. */
  pageSize?: number;
  backoff?: BackoffOptions;
  /** Watches end after a random 5–10 minutes (timeoutSeconds) and resume, as client-go does. */
  minWatchTimeoutSeconds?: number;
  /** Reports list and watch failures (they are retried). */
  onError?: (err: unknown) => void;
}

type WatchOutcome = 'closed' | 'short' | 'expired';

/** A 410 Gone/Expired, from an HTTP response or a watch ERROR event. */
export function isResourceExpired(err: unknown): boolean {
  return err instanceof StatusError && err.code === 410;
}

/** Waits `ms`, or less if the signal aborts first (never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export class Reflector {
  readonly #o: ReflectorOptions;
  #lastResourceVersion = '';

  constructor(options: ReflectorOptions) {
    this.#o = options;
  }

  /** The resourceVersion of the last list, watch event or bookmark. */
  get lastSyncResourceVersion(): string {
    return this.#lastResourceVersion;
  }

  /** Lists and watches into `store` until the signal aborts. */
  async run(store: ReflectorStore, signal: AbortSignal): Promise<void> {
    let needList = true;
    let failures = 0;
    let expiredInARow = 0;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.#list(store, signal);
          if (signal.aborted) return;
          needList = false;
          failures = 0;
        }
        const outcome = await this.#watch(store, signal);
        if (signal.aborted) return;
        if (outcome === 'expired') {
          needList = true;
          // a relist that is at once too old again is not retried in a hot loop
          if (++expiredInARow > 1) await sleep(this.#delay(++failures), signal);
          continue;
        }
        expiredInARow = 0;
        if (outcome === 'closed') {
          failures = 0;
          continue;
        }
        failures++;
      } catch (err) {
        if (signal.aborted) return;
        if (isResourceExpired(err)) {
          needList = true;
          if (++expiredInARow <= 1) continue;
        } else {
          this.#o.onError?.(err);
        }
        failures++;
      }
      await sleep(this.#delay(failures), signal);
    }
  }

  #delay(failures: number): number {
    const initial = this.#o.backoff?.initialMs ?? 800;
    const max = this.#o.backoff?.maxMs ?? 30_000;
    const base = Math.min(max, initial * 2 ** Math.max(0, failures - 1));
    return Math.min(max, base * (1 + Math.random() * 0.2));
  }

  async #list(store: ReflectorStore, signal: AbortSignal): Promise<void> {
    const { client, namespace = '', labelSelector, fieldSelector } = this.#o;
    let limit: number | undefined = this.#o.pageSize ?? 500;
    let token: string | undefined;
    let items: KubeObject[] = [];
    let resourceVersion = '';
    for (;;) {
      let page: Awaited<ReturnType<ResourceClient['list']>>;
      try {
        page = await client.list(namespace, { labelSelector, fieldSelector, limit, continue: token });
      } catch (err) {
        // an expired continue token: list everything in one request, as client-go falls back
        if (token === undefined || !isResourceExpired(err)) throw err;
        limit = undefined;
        token = undefined;
        items = [];
        continue;
      }
      if (signal.aborted) return;
      const kind = page.kind?.endsWith('List') ? page.kind.slice(0, -4) : undefined;
      for (const item of page.items ?? []) {
        // list items carry no kind; informers' consumers (owner references, events) want it
        if (kind && !item.kind) item.kind = kind;
        if (page.apiVersion && !item.apiVersion) item.apiVersion = page.apiVersion;
        items.push(item);
      }
      resourceVersion = page.metadata?.resourceVersion ?? '';
      token = page.metadata?.continue || undefined;
      if (!token) break;
    }
    store.replace(items, resourceVersion);
    this.#lastResourceVersion = resourceVersion;
  }

  async #watch(store: ReflectorStore, signal: AbortSignal): Promise<WatchOutcome> {
    const { client, namespace = '', labelSelector, fieldSelector } = this.#o;
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const min = this.#o.minWatchTimeoutSeconds ?? 300;
    const timeoutSeconds = Math.floor(min * (1 + Math.random()));
    let expired = false;
    let failure: unknown;
    let events = 0;
    const started = Date.now();
    const onEvent = (event: WatchEvent): void => {
      if (event.type === 'ERROR') {
        const status = event.object as unknown as Status;
        if (status.code === 410) expired = true;
        else failure = new StatusError(status);
        stop.abort();
        return;
      }
      events++;
      if (event.type !== 'BOOKMARK') store.apply(event);
      const rv = event.object.metadata?.resourceVersion;
      if (rv) this.#lastResourceVersion = rv;
    };
    try {
      const watch = client.watch(
        namespace,
        { labelSelector, fieldSelector, resourceVersion: this.#lastResourceVersion, allowWatchBookmarks: true, timeoutSeconds },
        onEvent,
        stop.signal,
      );
      await watch.done;
    } catch (err) {
      if (isStatusError(err) && err.code === 410) expired = true;
      else if (!signal.aborted) throw err;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    if (expired) return 'expired';
    if (failure) throw failure;
    // a watch that ends at once with nothing in it is a failure in disguise (client-go: "very short watch")
    return events === 0 && Date.now() - started < 1000 ? 'short' : 'closed';
  }
}
