/**
 * The queues and seats of one Limited priority level (upstream's fairqueuing/queueset,
 * simplified): a request executes at once while a seat is free; otherwise a Queue level puts it
 * into the shortest queue of its flow's shuffle-sharded hand, unless that queue is at
 * queueLengthLimit, and a Reject level (or no queue) turns it away. A freed seat goes to the next
 * non-empty queue in round-robin order (each request costs one seat, so round robin is the fair
 * order upstream's virtual-finish-time pick also gives). A request that waits longer than the
 * wait limit, or whose client goes away, leaves its queue rejected.
 */
import { Dealer } from './shuffle-sharding.js';

export interface QueuingConfig {
  queues: number;
  handSize: number;
  queueLengthLimit: number;
}

export interface QueueSetConfig {
  /** The priority level's name. */
  name: string;
  /** Seats: at most this many requests execute at once. */
  concurrencyLimit: number;
  /** Absent: requests that find no free seat are rejected (limitResponse Reject). */
  queuing?: QueuingConfig;
}

/** Why a request was not executed (upstream's rejection reasons of apiserver_flowcontrol_rejected_requests_total). */
export type RejectReason = 'queue-full' | 'concurrency-limit' | 'time-out' | 'cancelled';

export type Decision = { execute: true; queued: boolean; release: () => void } | { execute: false; reason: RejectReason };

interface Waiting {
  hash: bigint;
  settle: (d: Decision) => void;
  timer: NodeJS.Timeout;
  unlisten: () => void;
}

export class QueueSet {
  #config: QueueSetConfig;
  #dealer: Dealer | undefined;
  #queues: Waiting[][] = [];
  readonly #waitLimitMs: number;
  #executing = 0;
  #enqueues = 0;
  #robin = 0;

  constructor(options: { config: QueueSetConfig; waitLimitMs: number }) {
    this.#waitLimitMs = options.waitLimitMs;
    this.#config = options.config;
    this.setConfig(options.config);
  }

  get config(): QueueSetConfig {
    return this.#config;
  }

  get executing(): number {
    return this.#executing;
  }

  get waiting(): number {
    return this.#queues.reduce((n, q) => n + q.length, 0);
  }

  /** A new configuration: waiting requests are dealt again into the new queues (or rejected when the level no longer queues). */
  setConfig(config: QueueSetConfig): void {
    this.#config = config;
    const waiting = this.#queues.flat();
    const q = config.queuing;
    this.#dealer = q ? new Dealer({ deckSize: q.queues, handSize: q.handSize }) : undefined;
    this.#queues = Array.from({ length: q?.queues ?? 0 }, () => []);
    for (const w of waiting) {
      const queue = this.#pickQueue(w.hash);
      if (queue) queue.push(w);
      else this.#leave(w, 'queue-full');
    }
    this.#dispatch();
  }

  /** Waits for a seat: the decision says whether to execute (and then release the seat) or why not. */
  startRequest(hash: bigint, signal?: AbortSignal): Promise<Decision> {
    if (this.#executing < this.#config.concurrencyLimit && this.waiting === 0) return Promise.resolve(this.#seat(false));
    const queue = this.#pickQueue(hash);
    if (!this.#config.queuing) return Promise.resolve({ execute: false, reason: 'concurrency-limit' });
    if (!queue) return Promise.resolve({ execute: false, reason: 'queue-full' });
    if (signal?.aborted) return Promise.resolve({ execute: false, reason: 'cancelled' });
    return new Promise<Decision>((resolve) => {
      const onAbort = (): void => this.#remove(w, 'cancelled');
      const w: Waiting = {
        hash,
        settle: resolve,
        timer: setTimeout(() => this.#remove(w, 'time-out'), this.#waitLimitMs),
        unlisten: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(w);
      this.#dispatch();
    });
  }

  /** The shortest queue of the flow's hand that has room; undefined when all are full. */
  #pickQueue(hash: bigint): Waiting[] | undefined {
    const q = this.#config.queuing;
    if (!q || !this.#dealer) return undefined;
    const hand = this.#dealer.deal(hash);
    const offset = this.#enqueues++ % hand.length;
    let best: Waiting[] | undefined;
    for (let i = 0; i < hand.length; i++) {
      const queue = this.#queues[hand[(offset + i) % hand.length] as number] as Waiting[];
      if (!best || queue.length < best.length) best = queue;
    }
    return best && best.length < q.queueLengthLimit ? best : undefined;
  }

  #seat(queued: boolean): Decision {
    this.#executing++;
    let released = false;
    return {
      execute: true,
      queued,
      release: () => {
        if (released) return;
        released = true;
        this.#executing--;
        this.#dispatch();
      },
    };
  }

  #leave(w: Waiting, reason: RejectReason): void {
    clearTimeout(w.timer);
    w.unlisten();
    w.settle({ execute: false, reason });
  }

  #remove(w: Waiting, reason: RejectReason): void {
    for (const queue of this.#queues) {
      const i = queue.indexOf(w);
      if (i < 0) continue;
      queue.splice(i, 1);
      this.#leave(w, reason);
      return;
    }
  }

  /** Hands free seats to waiting requests, one queue after the other. */
  #dispatch(): void {
    const n = this.#queues.length;
    while (this.#executing < this.#config.concurrencyLimit && this.waiting > 0) {
      for (let i = 0; i < n; i++) {
        this.#robin = (this.#robin + 1) % n;
        const w = (this.#queues[this.#robin] as Waiting[]).shift();
        if (!w) continue;
        clearTimeout(w.timer);
        w.unlisten();
        w.settle(this.#seat(true));
        break;
      }
    }
  }
}
