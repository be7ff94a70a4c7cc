/** Test doubles of the work queue, event recorder and clock (see fakes.ts). */
import type { EventRecorder, WorkQueue } from '../../../client/interface.js';
import type { KubeObject } from '../../../machinery/object.js';

export class FakeClock {
  ms: number;
  constructor(start = Date.parse('2024-01-01T00:00:00Z')) {
    this.ms = start;
  }
  now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** A work queue that never sleeps: delayed and rate-limited keys are recorded, not re-added. */
export class FakeQueue implements WorkQueue {
  readonly keys: string[] = [];
  readonly delayed: Array<{ key: string; delayMs: number }> = [];
  readonly rateLimited: string[] = [];
  #down = false;

  add(key: string): void {
    if (!this.keys.includes(key)) this.keys.push(key);
  }
  addAfter(key: string, delayMs: number): void {
    this.delayed.push({ key, delayMs });
  }
  addRateLimited(key: string): void {
    this.rateLimited.push(key);
  }
  forget(): void {}
  numRequeues(): number {
    return 0;
  }
  async get(): Promise<string | undefined> {
    return this.#down ? undefined : this.keys.shift();
  }
  done(): void {}
  get length(): number {
    return this.keys.length;
  }
  shutDown(): void {
    this.#down = true;
  }
  /** The delay last requested for a key. */
  delayOf(key: string): number | undefined {
    return this.delayed.filter((d) => d.key === key).at(-1)?.delayMs;
  }
}

/** Syncs queued keys until the queue is empty (errors are rethrown unless `tolerate`). */
export async function drain(queue: FakeQueue, sync: (key: string) => Promise<void>, tolerate = false, max = 1000): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (let i = 0; i < max && queue.keys.length > 0; i++) {
    const k = queue.keys.shift()!;
    try {
      await sync(k);
    } catch (err) {
      if (!tolerate) throw err;
      errors.push(err);
    }
  }
  return errors;
}

export interface RecordedEvent {
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
  /** Events as `type reason message` strings. */
  lines(): string[] {
    return this.events.map((e) => `${e.type} ${e.reason} ${e.message}`);
  }
}
