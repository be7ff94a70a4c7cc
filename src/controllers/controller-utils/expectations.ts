/**
 * ControllerExpectations (controller_utils.go): after a controller issues creates or deletes
 * it waits to observe them through its informer before acting on the same key again, so a
 * stale cache never makes it create or delete twice. Expectations expire after 5 minutes.
 */

export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Expectation {
  add: number;
  del: number;
  /** Keys (namespace/name) of pods whose deletion is awaited (UIDTrackingControllerExpectations). */
  deleting: Set<string>;
  timestamp: number;
}

export class ControllerExpectations {
  readonly #items = new Map<string, Expectation>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** True when the controller may sync the key: nothing awaited, all observed, or expired. */
  satisfied(key: string): boolean {
    const e = this.#items.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.#now() - e.timestamp > EXPECTATIONS_TIMEOUT_MS;
  }

  expectCreations(key: string, count: number): void {
    this.setExpectations(key, count, []);
  }

  /** ExpectDeletions with the keys of the pods being deleted (tracked so a delete is counted once). */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.setExpectations(key, 0, podKeys);
  }

  /** SetExpectations: `add` creations and the deletion of `podKeys`, awaited together. */
  setExpectations(key: string, add: number, podKeys: readonly string[]): void {
    this.#items.set(key, { add, del: podKeys.length, deleting: new Set(podKeys), timestamp: this.#now() });
  }

  creationObserved(key: string): void {
    const e = this.#items.get(key);
    if (e) e.add--;
  }

  /** A pod's deletion was seen (or its delete call failed); counted once per pod key. */
  deletionObserved(key: string, podKey: string): void {
    const e = this.#items.get(key);
    if (!e?.deleting.delete(podKey)) return;
    e.del--;
  }

  /** Outstanding counts, for tests and logs. */
  pending(key: string): { add: number; del: number } | undefined {
    const e = this.#items.get(key);
    return e ? { add: e.add, del: e.del } : undefined;
  }

  delete(key: string): void {
    this.#items.delete(key);
  }
}
