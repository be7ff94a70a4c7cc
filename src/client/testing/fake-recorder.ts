/** An EventRecorder for unit tests (client-go's record.FakeRecorder): keeps what it was told. */
import type { EventRecorder } from '../interface.js';
import type { KubeObject } from '../../machinery/object.js';

export interface RecordedEvent {
  /** `Kind/namespace/name` (`Kind/name` when cluster-scoped). */
  object: string;
  type: string;
  reason: string;
  message: string;
}

export class FakeRecorder implements EventRecorder {
  readonly events: RecordedEvent[] = [];

  event(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const ns = object.metadata.namespace;
    this.events.push({ object: `${object.kind ?? ''}/${ns ? `${ns}/` : ''}${object.metadata.name ?? ''}`, type, reason, message });
  }

  /** The events as `type reason message`. */
  lines(): string[] {
    return this.events.map((e) => `${e.type} ${e.reason} ${e.message}`);
  }
}
