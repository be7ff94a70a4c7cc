/** Shared helpers of the storage conformance suite. */

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { isStorageError } from '../interface.js';
import type { Storage, StorageError, StorageErrorCode, WatchEvent, WatchHandler } from '../interface.js';

/** Opens a fresh store holding no keys (its revision may start above 0). */
export type OpenStorage = () => Promise<Storage>;

/** Runs `fn` on a fresh store and closes it afterwards. */
export async function withStorage(open: OpenStorage, fn: (storage: Storage) => Promise<void>): Promise<void> {
  const storage = await open();
  try {
    await fn(storage);
  } finally {
    await storage.close();
  }
}

/** Asserts that `promise` rejects with a StorageError of `code`, and returns it. */
export async function rejectsWith(promise: Promise<unknown>, code: StorageErrorCode): Promise<StorageError> {
  let result: unknown;
  try {
    result = await promise;
  } catch (err) {
    assert.ok(isStorageError(err), `want StorageError ${code}, got ${String(err)}`);
    assert.equal(err.code, code, `want StorageError ${code}, got ${err.code}: ${err.message}`);
    return err;
  }
  return assert.fail(`want StorageError ${code}, got success: ${JSON.stringify(result)}`);
}

/** The event as plain data, without an undefined prevKv, for deepEqual. */
export function plain(event: WatchEvent): WatchEvent {
  const { type, revision, kv, prevKv } = event;
  return prevKv === undefined ? { type, revision, kv: { ...kv } } : { type, revision, kv: { ...kv }, prevKv: { ...prevKv } };
}

/** Collects what a watch delivers. */
export class Recorder {
  readonly events: WatchEvent[] = [];
  batches = 0;
  readonly handler: WatchHandler = (events) => {
    this.batches++;
    this.events.push(...events.map(plain));
  };

  revisions(): number[] {
    return this.events.map((e) => e.revision);
  }

  /** Waits until at least `count` events arrived (engines may deliver asynchronously). */
  async waitFor(count: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      if (Date.now() > deadline) {
        assert.fail(`want ${count} watch events within ${timeoutMs}ms, got ${JSON.stringify(this.events)}`);
      }
      await sleep(5);
    }
  }
}

/** Gives an asynchronous engine time to deliver anything it still would. */
export function settle(): Promise<void> {
  return sleep(50);
}

/** Asserts the numbers are strictly increasing. */
export function assertIncreasing(revisions: readonly number[], what: string): void {
  for (let i = 1; i < revisions.length; i++) {
    assert.ok((revisions[i] as number) > (revisions[i - 1] as number), `${what} not increasing: ${revisions.join(',')}`);
  }
}
