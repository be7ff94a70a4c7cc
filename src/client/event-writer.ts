/**
 * The writing half of both event broadcasters (client-go's tools/record and tools/events):
 * a bounded queue drained by one writer, each event retried after transport failures with a
 * sleep between attempts (the first sleep randomized so clients do not retry in lockstep after
 * an apiserver outage). Callers never block: a full queue drops the event, the first drop of a
 * burst is logged and the rest summed up once there is room.
 */
import { type Clock, realClock, sleep } from './rate-limiter.js';

export interface EventWriterOptions {
  clock: Clock;
  /** Events waiting to be written before new ones are dropped (maxQueuedEvents). */
  maxQueuedEvents: number;
  /** Attempts per event (maxTriesPerEvent). */
  maxTriesPerEvent: number;
  /** Pause between attempts. */
  retrySleepMs: number;
  log: (message: string) => void;
}

/** What one attempt came to: written (or given up for good), or worth another try. */
export type WriteOutcome = 'done' | 'retry';

export class EventWriter<E> {
  readonly #o: EventWriterOptions;
  readonly #attempt: (event: E) => Promise<WriteOutcome>;
  readonly #describe: (event: E) => string;
  readonly #queue: E[] = [];
  readonly #stop = new AbortController();
  #writing: Promise<void> | undefined;
  /** Events dropped since the queue was last below its size. */
  #dropped = 0;

  constructor(options: EventWriterOptions, attempt: (event: E) => Promise<WriteOutcome>, describe: (event: E) => string) {
    this.#o = options;
    this.#attempt = attempt;
    this.#describe = describe;
  }

  get stopped(): boolean {
    return this.#stop.signal.aborted;
  }

  /** Events queued and not yet written. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Queues an event for the writer; false when the queue is full (or writing stopped) and it was dropped. */
  enqueue(event: E): boolean {
    if (this.stopped) return false;
    const max = this.#o.maxQueuedEvents;
    if (this.#queue.length >= max) {
      if (this.#dropped++ === 0) this.#o.log(`dropping event because the queue of ${max} is full: ${this.#describe(event)}`);
      return false;
    }
    if (this.#dropped > 1) {
      const more = this.#dropped - 1;
      this.#o.log(`dropped ${more} more event${more === 1 ? '' : 's'} because the queue of ${max} was full`);
    }
    this.#dropped = 0;
    this.#queue.push(event);
    this.#writing ??= this.#drain().finally(() => (this.#writing = undefined));
    return true;
  }

  /** Resolves once every event queued so far has been written or given up on. */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  /** Stops writing: queued events are dropped, retries end, later events are ignored. */
  shutdown(): void {
    this.#stop.abort();
    this.#queue.length = 0;
  }

  async #drain(): Promise<void> {
    for (let event = this.#queue.shift(); event !== undefined; event = this.#queue.shift()) {
      try {
        await this.#write(event);
      } catch (err) {
        this.#o.log(`unexpected error recording event ${this.#describe(event)}: ${(err as Error).message}`);
      }
    }
  }

  async #write(event: E): Promise<void> {
    for (let tries = 1; !this.stopped; tries++) {
      if ((await this.#attempt(event)) === 'done') return;
      if (tries >= this.#o.maxTriesPerEvent) {
        this.#o.log(`Unable to write event ${this.#describe(event)} (retry limit exceeded!)`);
        return;
      }
      const ms = tries === 1 ? this.#o.retrySleepMs * Math.random() : this.#o.retrySleepMs;
      await sleep(this.#o.clock, ms, this.#stop.signal);
    }
  }
}

/** How a broadcaster writes (upstream's defaults for what is left out). */
export interface EventWritingOptions {
  clock?: Clock;
  /** Events waiting to be written before new ones are dropped; default 1000 (maxQueuedEvents). */
  maxQueuedEvents?: number;
  /** Attempts per event on transport errors; default 12 (maxTriesPerEvent). */
  maxTriesPerEvent?: number;
  /** Pause between attempts; default 10 s (the first one randomized, as upstream). */
  retrySleepMs?: number;
  /** Where failures are logged; defaults to console.error. */
  log?: (message: string) => void;
}

/** What both broadcasters share: an EventWriter for their events, its queue, flush and shutdown. */
export abstract class WritingBroadcaster<E> {
  protected readonly clock: Clock;
  protected readonly log: (message: string) => void;
  protected readonly writer: EventWriter<E>;

  constructor(options: EventWritingOptions) {
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? ((message) => console.error(message));
    this.writer = new EventWriter<E>(
      {
        clock: this.clock,
        maxQueuedEvents: options.maxQueuedEvents ?? 1000,
        maxTriesPerEvent: options.maxTriesPerEvent ?? 12,
        retrySleepMs: options.retrySleepMs ?? 10_000,
        log: this.log,
      },
      (event) => this.attempt(event),
      (event) => this.describe(event),
    );
  }

  /** One attempt to write an event. */
  protected abstract attempt(event: E): Promise<WriteOutcome>;

  /** An event as the log names it. */
  protected abstract describe(event: E): string;

  /** Events queued and not yet written. */
  get queued(): number {
    return this.writer.queued;
  }

  /** Resolves once every event queued so far has been written or given up on. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Stops writing: queued events are dropped, retries end, later events are ignored. */
  shutdown(): void {
    this.writer.shutdown();
  }
}
