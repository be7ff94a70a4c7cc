/**
 * client-go's EventCorrelator (tools/record/events_cache.go): before an Event is written it is
 *  1. aggregated — once 10 events with the same source, object, type and reason but different
 *     messages occur within 10 minutes, further ones become one
 *     "(combined from similar events): <message>" Event (EventAggregator);
 *  2. observed — an Event identical to one already written (same source, object, type, reason,
 *     message) becomes a patch of that Event's count and lastTimestamp (eventLogger);
 *  3. spam filtered — a token bucket per source and object, burst 25, one token every 5 minutes
 *     (EventSourceObjectSpamFilter); events over it are dropped.
 */
import type { KubeObject } from '../machinery/object.js';
import { type Clock, realClock, TokenBucket } from './rate-limiter.js';
import { rfc3339 } from '../machinery/time.js';

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EventSource {
  component?: string;
  host?: string;
}

/** A core/v1 Event as JSON. */
export interface CoreEvent extends KubeObject {
  involvedObject: ObjectReference;
  reason?: string;
  message?: string;
  source?: EventSource;
  firstTimestamp?: string;
  lastTimestamp?: string;
  count?: number;
  type?: string;
  reportingComponent?: string;
  reportingInstance?: string;
}

/**
 * Unique, increasing nanosecond timestamps for Event names (`<object>.<UnixNano in hex>`). The
 * milliseconds come from the clock; the sub-millisecond digits from the monotonic high-resolution
 * clock, as Go's UnixNano has them: two components (or processes) naming an Event for the same
 * object in the same millisecond do not collide (a collision is an AlreadyExists, and the event is lost).
 */
export class NanoTimestamps {
  #last = 0n;

  next(ms: number): bigint {
    let nanos = BigInt(Math.floor(ms)) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
    if (nanos <= this.#last) nanos = this.#last + 1n;
    this.#last = nanos;
    return nanos;
  }
}

/** The thread's timestamps: every broadcaster of a thread draws from it unless given its own. */
export const threadNanoTimestamps = new NanoTimestamps();

/** A bounded map that forgets the least recently used entry (groupcache's lru.Cache). */
export class LruCache<V> {
  readonly #max: number;
  readonly #map = new Map<string, V>();

  constructor(max: number) {
    this.#max = max;
  }

  get(key: string): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }

  set(key: string, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value as string);
  }

  get size(): number {
    return this.#map.size;
  }
}

const SEP = '\u0000';

function refKey(e: CoreEvent, withFieldPath: boolean): string[] {
  const o = e.involvedObject;
  return [
    e.source?.component ?? '',
    e.source?.host ?? '',
    o.kind ?? '',
    o.namespace ?? '',
    o.name ?? '',
    ...(withFieldPath ? [o.fieldPath ?? ''] : []),
    o.uid ?? '',
    o.apiVersion ?? '',
  ];
}

/** Identical events: source, involved object, type, reason, message (getEventKey). */
export function eventKey(e: CoreEvent): string {
  return [...refKey(e, true), e.type ?? '', e.reason ?? '', e.message ?? ''].join(SEP);
}

/** Rate limiting scope: source and involved object (getSpamKey). */
export function spamKey(e: CoreEvent): string {
  return refKey(e, false).join(SEP);
}

/** Similar events: everything but the message (EventAggregatorByReasonFunc). */
export function aggregateKey(e: CoreEvent): string {
  return [...refKey(e, false), e.type ?? '', e.reason ?? '', e.reportingComponent ?? '', e.reportingInstance ?? ''].join(SEP);
}

export const COMBINED_PREFIX = '(combined from similar events): ';

export interface EventCorrelatorOptions {
  clock?: Clock;
  /** Entries per cache; default 4096 (maxLruCacheEntries). */
  lruCacheSize?: number;
  /** Distinct messages before aggregation; default 10. */
  maxEvents?: number;
  /** Window for aggregation; default 600 s. */
  maxIntervalSeconds?: number;
  /** Spam filter burst; default 25. */
  spamBurst?: number;
  /** Spam filter refill; default 1/300 qps. */
  spamQps?: number;
  /** Shared with the recorder so names never collide. */
  nanos?: NanoTimestamps;
}

export interface CorrelateResult {
  /** The Event to create, or (when `patch` is set) the existing Event to patch. */
  event: CoreEvent;
  /** Strategic merge patch of count, lastTimestamp and message, when the Event exists. */
  patch?: { count: number; lastTimestamp?: string; message?: string };
  /** The cache entry to update with the server's answer. */
  key: string;
  skip: boolean;
}

interface AggregateRecord {
  localKeys: Set<string>;
  lastTimestamp: number;
}

interface EventLog {
  count: number;
  firstTimestamp?: string;
  name: string;
  resourceVersion?: string;
}

export class EventCorrelator {
  readonly #clock: Clock;
  readonly #maxEvents: number;
  readonly #maxIntervalMs: number;
  readonly #spamBurst: number;
  readonly #spamQps: number;
  readonly #nanos: NanoTimestamps;
  readonly #aggregates: LruCache<AggregateRecord>;
  readonly #logs: LruCache<EventLog>;
  readonly #spam: LruCache<TokenBucket>;

  constructor(options: EventCorrelatorOptions = {}) {
    const size = options.lruCacheSize ?? 4096;
    this.#clock = options.clock ?? realClock;
    this.#maxEvents = options.maxEvents ?? 10;
    this.#maxIntervalMs = (options.maxIntervalSeconds ?? 600) * 1000;
    this.#spamBurst = options.spamBurst ?? 25;
    this.#spamQps = options.spamQps ?? 1 / 300;
    this.#nanos = options.nanos ?? threadNanoTimestamps;
    this.#aggregates = new LruCache(size);
    this.#logs = new LruCache(size);
    this.#spam = new LruCache(size);
  }

  correlate(newEvent: CoreEvent): CorrelateResult {
    const { event: aggregated, key } = this.#aggregate(newEvent);
    const { event, patch } = this.#observe(aggregated, key);
    return { event, ...(patch ? { patch } : {}), key, skip: this.#filter(event) };
  }

  /** Remembers the server's copy (name, resourceVersion, count) after a successful write. */
  updateState(key: string, written: CoreEvent): void {
    this.#logs.set(key, {
      count: written.count ?? 1,
      firstTimestamp: written.firstTimestamp,
      name: written.metadata.name ?? '',
      resourceVersion: written.metadata.resourceVersion,
    });
  }

  #aggregate(newEvent: CoreEvent): { event: CoreEvent; key: string } {
    const now = this.#clock.now();
    const aggKey = aggregateKey(newEvent);
    let record = this.#aggregates.get(aggKey);
    if (!record || now - record.lastTimestamp > this.#maxIntervalMs) record = { localKeys: new Set(), lastTimestamp: 0 };
    record.localKeys.add(newEvent.message ?? '');
    record.lastTimestamp = now;
    this.#aggregates.set(aggKey, record);
    if (record.localKeys.size < this.#maxEvents) return { event: newEvent, key: eventKey(newEvent) };
    // Do not grow the set past the maximum.
    const any = record.localKeys.values().next().value;
    if (any !== undefined) record.localKeys.delete(any);
    const ts = rfc3339(now);
    const combined: CoreEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${newEvent.involvedObject.name ?? ''}.${this.#nanos.next(now).toString(16)}`,
        namespace: newEvent.metadata.namespace,
      },
      involvedObject: newEvent.involvedObject,
      reason: newEvent.reason,
      message: COMBINED_PREFIX + (newEvent.message ?? ''),
      source: newEvent.source,
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type: newEvent.type,
      reportingComponent: newEvent.reportingComponent,
      reportingInstance: newEvent.reportingInstance,
    };
    return { event: combined, key: aggKey };
  }

  #observe(newEvent: CoreEvent, key: string): { event: CoreEvent; patch?: CorrelateResult['patch'] } {
    const event: CoreEvent = { ...newEvent, metadata: { ...newEvent.metadata } };
    const last = this.#logs.get(key);
    let patch: CorrelateResult['patch'];
    if (last && last.count > 0) {
      event.metadata.name = last.name;
      event.metadata.resourceVersion = last.resourceVersion;
      event.firstTimestamp = last.firstTimestamp;
      event.count = last.count + 1;
      patch = { count: event.count, lastTimestamp: event.lastTimestamp };
      if (event.message) patch.message = event.message;
    }
    this.#logs.set(key, {
      count: event.count ?? 1,
      firstTimestamp: event.firstTimestamp,
      name: event.metadata.name ?? '',
      resourceVersion: event.metadata.resourceVersion,
    });
    return patch ? { event, patch } : { event };
  }

  /** True when the event must be dropped (over the source+object token bucket). */
  #filter(event: CoreEvent): boolean {
    const key = spamKey(event);
    let bucket = this.#spam.get(key);
    if (!bucket) bucket = new TokenBucket({ qps: this.#spamQps, burst: this.#spamBurst, clock: this.#clock });
    this.#spam.set(key, bucket);
    return !bucket.tryAccept();
  }
}
