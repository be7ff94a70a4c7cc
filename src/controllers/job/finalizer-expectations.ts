/**
 * uidTrackingExpectations (tracking_utils.go): per Job, the UIDs of pods whose tracking
 * finalizer the controller removed and has not yet seen removed through the informer; such
 * pods are counted already and must not be counted again.
 */
export class UidTrackingExpectations {
  readonly #sets = new Map<string, Set<string>>();

  expectedUids(jobKey: string): ReadonlySet<string> {
    return new Set(this.#sets.get(jobKey));
  }

  expectFinalizersRemoved(jobKey: string, uids: readonly string[]): void {
    let set = this.#sets.get(jobKey);
    if (!set) this.#sets.set(jobKey, (set = new Set()));
    for (const uid of uids) set.add(uid);
  }

  finalizerRemovalObserved(jobKey: string, uid: string): void {
    this.#sets.get(jobKey)?.delete(uid);
  }

  delete(jobKey: string): void {
    this.#sets.delete(jobKey);
  }
}
