/**
 * The event recorder of client-go's tools/record: `recorder.event(obj, type, reason, message)`
 * builds a core/v1 Event at once and queues it; one writer per broadcaster (event-writer.ts)
 * correlates it (aggregation, count patches, spam filter — events-correlator.ts) and writes it
 * through the events client, retrying transport failures. Callers never block and never see an
 * error: a full queue drops the event, failures are logged.
 */
import type { EventRecorder, ResourceClient } from './interface.js';
import {
  type CoreEvent,
  EventCorrelator,
  type EventCorrelatorOptions,
  type EventSource,
  type NanoTimestamps,
  threadNanoTimestamps,
  type ObjectReference,
} from './events-correlator.js';
import { type EventWritingOptions, WritingBroadcaster, type WriteOutcome } from './event-writer.js';
import { isStatusError } from '../machinery/errors.js';
import type { KubeObject } from '../machinery/object.js';
import { rfc3339 } from '../machinery/time.js';

export type { CoreEvent, EventSource, ObjectReference } from './events-correlator.js';

export interface EventBroadcasterOptions extends EventWritingOptions {
  /** A client for core/v1 events. */
  client: ResourceClient;
  correlator?: EventCorrelatorOptions;
}

/** The reference an Event points at (ref.GetReference): kind, apiVersion, name, namespace, uid, resourceVersion. */
export function objectReference(obj: KubeObject): ObjectReference {
  const ref: ObjectReference = {};
  if (obj.kind) ref.kind = obj.kind;
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  if (obj.metadata.name) ref.name = obj.metadata.name;
  if (obj.metadata.uid) ref.uid = obj.metadata.uid;
  if (obj.apiVersion) ref.apiVersion = obj.apiVersion;
  if (obj.metadata.resourceVersion) ref.resourceVersion = obj.metadata.resourceVersion;
  return ref;
}

function describe(event: CoreEvent): string {
  const o = event.involvedObject;
  return `${event.metadata.namespace}/${event.metadata.name} (${o.kind ?? ''} ${o.name ?? ''}: ${event.type ?? ''} ${event.reason ?? ''} ${JSON.stringify(event.message ?? '')})`;
}

/** A queued Event and, once the writer took it up, what the correlator made of it. */
interface Pending {
  readonly event: CoreEvent;
  correlated?: ReturnType<EventCorrelator['correlate']>;
}

/**
 * Owns the queue, the correlator and the writer; hands out recorders, one per source component
 * (`deployment-controller`, `default-scheduler`, …). Like record.EventBroadcaster with
 * StartRecordingToSink.
 */
export class EventBroadcaster extends WritingBroadcaster<Pending> {
  readonly #client: ResourceClient;
  readonly #correlator: EventCorrelator;
  readonly #nanos: NanoTimestamps;

  constructor(options: EventBroadcasterOptions) {
    super(options);
    this.#client = options.client;
    this.#nanos = options.correlator?.nanos ?? threadNanoTimestamps;
    this.#correlator = new EventCorrelator({ clock: this.clock, ...options.correlator, nanos: this.#nanos });
  }

  /** A recorder whose Events carry `source` and reportingComponent/reportingInstance from it. */
  newRecorder(source: EventSource): EventRecorder {
    return { event: (object, type, reason, message, fieldPath) => this.#record(source, object, type, reason, message, fieldPath) };
  }

  protected describe(p: Pending): string {
    return describe(p.event);
  }

  #record(source: EventSource, object: KubeObject, type: string, reason: string, message: string, fieldPath?: string): void {
    if (this.writer.stopped) return;
    const now = this.clock.now();
    const ref = objectReference(object);
    if (fieldPath) ref.fieldPath = fieldPath;
    const ts = rfc3339(now);
    const event: CoreEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${ref.name ?? ''}.${this.#nanos.next(now).toString(16)}`, namespace: ref.namespace || 'default' },
      involvedObject: ref,
      reason,
      message,
      source: { ...(source.component ? { component: source.component } : {}), ...(source.host ? { host: source.host } : {}) },
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type,
      reportingComponent: source.component ?? '',
      reportingInstance: source.host ?? '',
    };
    this.writer.enqueue({ event });
  }

  /** One attempt; the event is correlated (aggregated, counted, rate limited) on the first. */
  protected async attempt(p: Pending): Promise<WriteOutcome> {
    p.correlated ??= this.#correlator.correlate(p.event);
    const result = p.correlated;
    if (result.skip) return 'done';
    return (await this.#write(result.event, result.patch, result.key)) ? 'done' : 'retry';
  }

  /** One attempt; true when done (written, or rejected for good), false to retry. */
  async #write(event: CoreEvent, patch: Record<string, unknown> | undefined, key: string): Promise<boolean> {
    const namespace = event.metadata.namespace ?? 'default';
    try {
      let written: KubeObject | undefined;
      if (patch) {
        try {
          written = await this.#client.patch(namespace, event.metadata.name ?? '', 'strategic', patch);
        } catch (err) {
          // The Event may have expired (events have a TTL): create it again.
          if (!isStatusError(err, 'NotFound')) throw err;
        }
      }
      if (!written) {
        const body: CoreEvent = { ...event, metadata: { ...event.metadata } };
        delete body.metadata.resourceVersion;
        written = await this.#client.create(namespace, body);
      }
      this.#correlator.updateState(key, written as CoreEvent);
      return true;
    } catch (err) {
      if (isStatusError(err)) {
        const why = err.message;
        const terminating = err.status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating') ?? false;
        if (!isStatusError(err, 'AlreadyExists') && !terminating) {
          this.log(`Server rejected event ${describe(event)}: ${why} (will not retry!)`);
        }
        return true;
      }
      this.log(`Unable to write event ${describe(event)}: ${(err as Error).message} (may retry after sleeping)`);
      return false;
    }
  }
}
