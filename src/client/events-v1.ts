/**
 * The events.k8s.io/v1 broadcaster (client-go's tools/events), which kube-scheduler records
 * with. An Event names its reporting controller and instance, an action and a note; a repeat
 * of one (same type, action, reason, controller, regarding and related object) becomes a
 * series instead of a new Event:
 *  - the second occurrence patches `series: {count: 2, lastObservedTime}` onto the first Event;
 *  - later ones only count up in memory, and are written when the series is refreshed (every
 *    30 minutes) or finished (no repeat for 6 minutes);
 *  - a singleton is forgotten 6 minutes after it happened.
 * Writing goes through the shared EventWriter (queue, retries, drops).
 */
import { hostname } from 'node:os';
import { type EventWritingOptions, WritingBroadcaster, type WriteOutcome } from './event-writer.js';
import { type NanoTimestamps, type ObjectReference, threadNanoTimestamps } from './events-correlator.js';
import { objectReference } from './events.js';
import type { EventsV1Recorder, ResourceClient } from './interface.js';
import { cloneJson } from '../machinery/clone.js';
import { isStatusError } from '../machinery/errors.js';
import type { KubeObject } from '../machinery/object.js';
import { rfc3339Micro } from '../machinery/time.js';

export interface EventSeries {
  count: number;
  lastObservedTime: string;
}

/** An events.k8s.io/v1 Event as the recorder makes it. */
export interface EventV1 extends KubeObject {
  eventTime: string;
  series?: EventSeries;
  reportingController: string;
  reportingInstance: string;
  action: string;
  reason: string;
  regarding: ObjectReference;
  related?: ObjectReference;
  note: string;
  type: string;
}

export interface EventsV1BroadcasterOptions extends EventWritingOptions {
  /** A client for events.k8s.io/v1 events. */
  client: ResourceClient;
  nanos?: NanoTimestamps;
}

/** A series that saw no repeat for this long is written one last time and forgotten (finishTime). */
export const SERIES_FINISH_MS = 6 * 60_000;
/** Open series are written this often, so their Events outlive the apiserver's event TTL (refreshTime). */
export const SERIES_REFRESH_MS = 30 * 60_000;

/** Upstream's eventKey: what makes two Events the same series (the note is not part of it). */
function seriesKey(e: EventV1): string {
  return JSON.stringify([e.type, e.action, e.reason, e.reportingController, refKey(e.regarding), refKey(e.related)]);
}

function refKey(r: ObjectReference | undefined): unknown[] {
  return r ? [r.kind, r.namespace, r.name, r.uid, r.apiVersion, r.resourceVersion, r.fieldPath] : [];
}

function describe(e: EventV1): string {
  const r = e.regarding;
  return `${e.metadata.namespace}/${e.metadata.name} (${r.kind ?? ''} ${r.name ?? ''}: ${e.type} ${e.reason} ${JSON.stringify(e.note)})`;
}

export class EventsV1Broadcaster extends WritingBroadcaster<EventV1> {
  readonly #client: ResourceClient;
  readonly #nanos: NanoTimestamps;
  /** The first Event of each series (or singleton) still remembered, by series key. */
  readonly #cache = new Map<string, EventV1>();
  /** The pending timer of each periodic task, to cancel on shutdown. */
  readonly #timers = new Map<() => Promise<void>, () => void>();

  constructor(options: EventsV1BroadcasterOptions) {
    super(options);
    this.#client = options.client;
    this.#nanos = options.nanos ?? threadNanoTimestamps;
    this.#every(SERIES_FINISH_MS, () => this.#finishSeries());
    this.#every(SERIES_REFRESH_MS, () => this.#refreshSeries());
  }

  /** A recorder for `reportingController`; the instance defaults to `<controller>-<hostname>` as upstream. */
  newRecorder(reportingController: string, reportingInstance = `${reportingController}-${hostname()}`): EventsV1Recorder {
    return {
      eventf: (regarding, related, type, reason, action, note) =>
        this.#observe(this.#makeEvent(regarding, related, type, reason, action, note, reportingController, reportingInstance)),
    };
  }

  /** Stops writing and the series timers; later events are ignored. */
  override shutdown(): void {
    super.shutdown();
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
    this.#cache.clear();
  }

  protected async attempt(event: EventV1): Promise<WriteOutcome> {
    return (await this.#recordEvent(event)).retry ? 'retry' : 'done';
  }

  protected describe(event: EventV1): string {
    return describe(event);
  }

  /** Runs `fn` every `ms` (wait.Until): the next run is timed from the end of the last. */
  #every(ms: number, fn: () => Promise<void>): void {
    const schedule = (): void => {
      if (!this.writer.stopped) this.#timers.set(fn, this.clock.setTimeout(tick, ms));
    };
    const tick = (): void => {
      fn()
        .catch((err: unknown) => this.log(`event series: ${(err as Error).message}`))
        .finally(schedule);
    };
    schedule();
  }

  #makeEvent(
    regarding: KubeObject,
    related: KubeObject | undefined,
    type: string,
    reason: string,
    action: string,
    note: string,
    reportingController: string,
    reportingInstance: string,
  ): EventV1 {
    const now = this.clock.now();
    const ref = objectReference(regarding);
    return {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: `${ref.name ?? ''}.${this.#nanos.next(now).toString(16)}`, namespace: ref.namespace || 'default' },
      eventTime: rfc3339Micro(now),
      reportingController,
      reportingInstance,
      action,
      reason,
      regarding: ref,
      ...(related ? { related: objectReference(related) } : {}),
      note,
      type,
    };
  }

  /** recordToSink: a new Event is written; the second of a series patches the first; later ones only count. */
  #observe(event: EventV1): void {
    if (this.writer.stopped) return;
    const key = seriesKey(event);
    const first = this.#cache.get(key);
    if (!first) {
      this.#cache.set(key, event);
      this.writer.enqueue(cloneJson(event));
      return;
    }
    const lastObservedTime = rfc3339Micro(this.clock.now());
    if (first.series) {
      first.series.count++;
      first.series.lastObservedTime = lastObservedTime;
      return;
    }
    first.series = { count: 2, lastObservedTime };
    this.writer.enqueue(cloneJson(first));
  }

  /** Writes the final count of series that ended, and forgets them and old singletons. */
  async #finishSeries(): Promise<void> {
    const before = this.clock.now() - SERIES_FINISH_MS;
    for (const [key, e] of [...this.#cache]) {
      if (e.series) {
        if (Date.parse(e.series.lastObservedTime) < before && !(await this.#recordEvent(cloneJson(e))).retry) this.#cache.delete(key);
      } else if (Date.parse(e.eventTime) < before) {
        this.#cache.delete(key);
      }
    }
  }

  /** Writes every open series again, so its Event does not expire while it goes on. */
  async #refreshSeries(): Promise<void> {
    for (const [key, e] of [...this.#cache]) {
      if (!e.series) continue;
      const { written, retry } = await this.#recordEvent(cloneJson(e));
      if (!retry && written && this.#cache.get(key) === e) this.#cache.set(key, { ...written, series: e.series });
    }
  }

  /**
   * One write (recordEvent): a series is a merge patch of `series` onto the first Event, created
   * when it is gone; anything else is created. `retry` when the apiserver could not be reached,
   * or when the Event a series patches did not exist yet but exists now.
   */
  async #recordEvent(event: EventV1): Promise<{ written?: EventV1; retry: boolean }> {
    const namespace = event.metadata.namespace ?? 'default';
    const name = event.metadata.name ?? '';
    try {
      if (event.series) {
        try {
          return { written: (await this.#client.patch(namespace, name, 'merge', { series: event.series })) as EventV1, retry: false };
        } catch (err) {
          if (!isStatusError(err, 'NotFound')) throw err;
        }
      }
      const body: EventV1 = { ...event, metadata: { ...event.metadata } };
      delete body.metadata.resourceVersion;
      return { written: (await this.#client.create(namespace, body)) as EventV1, retry: false };
    } catch (err) {
      if (isStatusError(err)) {
        const why = err.message;
        if (isStatusError(err, 'AlreadyExists')) return { retry: event.series !== undefined };
        this.log(`Server rejected event ${describe(event)}: ${why} (will not retry!)`);
        return { retry: false };
      }
      this.log(`Unable to write event ${describe(event)}: ${(err as Error).message} (may retry after sleeping)`);
      return { retry: true };
    }
  }
}
