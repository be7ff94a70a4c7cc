/**
 * An event recorder for unit tests (client-go's record.FakeRecorder and events.FakeRecorder):
 * keeps what it was told, through the core/v1 or the events.k8s.io/v1 interface.
 */
import type { EventRecorder, EventsV1Recorder } from '../interface.js';
import type { KubeObject } from '../../machinery/object.js';

export interface RecordedEvent {
  /** `Kind/namespace/name` (`Kind/name` when cluster-scoped). */
  object: string;
  type: string;
  reason: string;
  message: string;
  /** The part of the object it is about (core/v1), e.g. `spec.containers{nginx}`. */
  fieldPath?: string;
  /** What was done or failed (events.k8s.io/v1), e.g. `Binding`. */
  action?: string;
  /** A second object it involves (events.k8s.io/v1), as `object`. */
  related?: string;
}

function objectRef(object: KubeObject): string {
  const ns = object.metadata.namespace;
  return `${object.kind ?? ''}/${ns ? `${ns}/` : ''}${object.metadata.name ?? ''}`;
}

export class FakeRecorder implements EventRecorder, EventsV1Recorder {
  readonly events: RecordedEvent[] = [];

  event(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    this.events.push({ object: objectRef(object), type, reason, message, ...(fieldPath === undefined ? {} : { fieldPath }) });
  }

  eventf(...[regarding, related, type, reason, action, note]: Parameters<EventsV1Recorder['eventf']>): void {
    this.events.push({
      object: objectRef(regarding),
      type,
      reason,
      message: note,
      action,
      ...(related ? { related: objectRef(related) } : {}),
    });
  }

  /** The events as `type reason message`. */
  lines(): string[] {
    return this.events.map((e) => `${e.type} ${e.reason} ${e.message}`);
  }
}
