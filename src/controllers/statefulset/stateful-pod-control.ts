/**
 * StatefulPodControl (stateful_pod_control.go): the writes of the StatefulSet controller on
 * pods and their claims, each recorded as an Event on the set with upstream's reasons and
 * messages ("create Pod web-0 in StatefulSet web successful"). Claims are created before the
 * pod that mounts them and never deleted here; their ownerReferences carry the retention policy.
 */
import type { EventRecorder, Lister, ResourceClient } from '../../client/interface.js';
import { isStatusError } from '../../machinery/errors.js';
import { cloneJson } from '../../machinery/clone.js';
import type { Pod } from '../controller-utils/types.js';
import { hasStalePodRef, hasUnexpectedController, isClaimOwnerUpToDate, retentionPolicy, updateClaimOwnerRefs } from './retention.js';
import { identityMatches, persistentVolumeClaims, storageMatches, updateIdentity, updateStorage } from './stateful-set-utils.js';
import type { PersistentVolumeClaim, StatefulSet } from './types.js';

/** retry.DefaultBackoff's steps: how many times a conflicting pod update is tried. */
const UPDATE_ATTEMPTS = 4;

export interface StatefulPodControlOptions {
  pods: ResourceClient;
  claims: ResourceClient;
  claimLister: Lister;
  recorder: EventRecorder;
}

const title = (verb: string): string => verb.charAt(0).toUpperCase() + verb.slice(1);
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class StatefulPodControl {
  readonly #pods: ResourceClient;
  readonly #claims: ResourceClient;
  readonly #claimLister: Lister;
  readonly #recorder: EventRecorder;

  constructor(options: StatefulPodControlOptions) {
    this.#pods = options.pods;
    this.#claims = options.claims;
    this.#claimLister = options.claimLister;
    this.#recorder = options.recorder;
  }

  #recordPodEvent(verb: string, set: StatefulSet, pod: Pod, err?: unknown): void {
    const pn = pod.metadata.name ?? '';
    const sn = set.metadata.name ?? '';
    if (err === undefined)
      this.#recorder.event(set, 'Normal', `Successful${title(verb)}`, `${verb} Pod ${pn} in StatefulSet ${sn} successful`);
    else
      this.#recorder.event(set, 'Warning', `Failed${title(verb)}`, `${verb} Pod ${pn} in StatefulSet ${sn} failed error: ${message(err)}`);
  }

  #recordClaimEvent(verb: string, set: StatefulSet, pod: Pod, claim: PersistentVolumeClaim, err?: unknown): void {
    const cn = claim.metadata.name ?? '';
    const pn = pod.metadata.name ?? '';
    const sn = set.metadata.name ?? '';
    if (err === undefined) {
      this.#recorder.event(set, 'Normal', `Successful${title(verb)}`, `${verb} Claim ${cn} Pod ${pn} in StatefulSet ${sn} success`);
    } else {
      const text = `${verb} Claim ${cn} for Pod ${pn} in StatefulSet ${sn} failed error: ${message(err)}`;
      this.#recorder.event(set, 'Warning', `Failed${title(verb)}`, text);
    }
  }

  #claim(namespace: string, name: string): PersistentVolumeClaim | undefined {
    return this.#claimLister.get(namespace, name) as PersistentVolumeClaim | undefined;
  }

  /** createPersistentVolumeClaims: creates the pod's claims that do not exist yet. */
  async #createPersistentVolumeClaims(set: StatefulSet, pod: Pod): Promise<void> {
    const errors: string[] = [];
    for (const claim of persistentVolumeClaims(set, pod).values()) {
      const name = claim.metadata.name ?? '';
      const existing = this.#claim(set.metadata.namespace ?? '', name);
      if (existing) {
        if (existing.metadata.deletionTimestamp) errors.push(`pvc ${name} is being deleted`);
        continue;
      }
      try {
        await this.#claims.create(set.metadata.namespace ?? '', claim);
        this.#recordClaimEvent('create', set, pod, claim);
      } catch (err) {
        // created by an earlier sync the claim informer has not shown yet
        if (isStatusError(err, 'AlreadyExists')) continue;
        errors.push(`failed to create PVC ${name}: ${message(err)}`);
        this.#recordClaimEvent('create', set, pod, claim, err);
      }
    }
    if (errors.length === 1) throw new Error(errors[0]);
    if (errors.length > 1) throw new Error(`[${errors.join(', ')}]`);
  }

  /** CreateStatefulPod: the claims first, then the pod, then the claims' retention refs. */
  async createStatefulPod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.#createPersistentVolumeClaims(set, pod);
    } catch (err) {
      this.#recordPodEvent('create', set, pod, err);
      throw err;
    }
    let created: Pod;
    try {
      created = (await this.#pods.create(set.metadata.namespace ?? '', pod)) as Pod;
    } catch (err) {
      if (!isStatusError(err, 'AlreadyExists')) this.#recordPodEvent('create', set, pod, err);
      throw err;
    }
    this.#recordPodEvent('create', set, created);
    await this.#updateRetention(set, created);
  }

  async #updateRetention(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.updatePodClaimForRetentionPolicy(set, pod);
    } catch (err) {
      this.#recordPodEvent('update', set, pod, err);
      throw err;
    }
  }

  /** createMissingPersistentVolumeClaims: for a Pending pod whose claims were deleted under it. */
  async createMissingPersistentVolumeClaims(set: StatefulSet, pod: Pod): Promise<void> {
    await this.#createPersistentVolumeClaims(set, pod);
    await this.#updateRetention(set, pod);
  }

  /** UpdateStatefulPod: restores the pod's identity and storage (retrying conflicts on a fresh read). */
  async updateStatefulPod(set: StatefulSet, original: Pod): Promise<void> {
    let pod = cloneJson(original);
    let attempted = false;
    let lastError: unknown;
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      let consistent = true;
      if (!identityMatches(set, pod)) {
        updateIdentity(set, pod);
        consistent = false;
      }
      if (!storageMatches(set, pod)) {
        updateStorage(set, pod);
        consistent = false;
        try {
          await this.#createPersistentVolumeClaims(set, pod);
        } catch (err) {
          this.#recordPodEvent('update', set, pod, err);
          throw err;
        }
      }
      if (!this.claimsMatchRetentionPolicy(set, pod)) {
        await this.#updateRetention(set, pod);
      }
      if (consistent) return;
      attempted = true;
      try {
        await this.#pods.update(set.metadata.namespace ?? '', pod);
        this.#recordPodEvent('update', set, pod);
        return;
      } catch (err) {
        lastError = err;
        if (!isStatusError(err, 'Conflict')) break;
        pod = (await this.#pods.get(set.metadata.namespace ?? '', pod.metadata.name ?? '')) as Pod;
      }
    }
    if (attempted) this.#recordPodEvent('update', set, pod, lastError);
    throw lastError;
  }

  /** DeleteStatefulPod. */
  async deleteStatefulPod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.#pods.delete(set.metadata.namespace ?? '', pod.metadata.name ?? '');
    } catch (err) {
      this.#recordPodEvent('delete', set, pod, err);
      throw err;
    }
    this.#recordPodEvent('delete', set, pod);
  }

  /** ClaimsMatchRetentionPolicy: every existing claim of the pod has the refs the policy asks for. */
  claimsMatchRetentionPolicy(set: StatefulSet, pod: Pod): boolean {
    for (const claim of persistentVolumeClaims(set, pod).values()) {
      const existing = this.#claim(set.metadata.namespace ?? '', claim.metadata.name ?? '');
      if (existing && !isClaimOwnerUpToDate(existing, set, pod)) return false;
    }
    return true;
  }

  /** UpdatePodClaimForRetentionPolicy: rewrites the refs of the pod's claims that lag the policy. */
  async updatePodClaimForRetentionPolicy(set: StatefulSet, pod: Pod): Promise<void> {
    for (const template of persistentVolumeClaims(set, pod).values()) {
      const name = template.metadata.name ?? '';
      const existing = this.#claim(set.metadata.namespace ?? '', name);
      if (!existing) continue;
      if (hasUnexpectedController(existing, set, pod)) {
        const text = `PersistentVolumeClaim ${name} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim`;
        this.#recorder.event(set, 'Warning', 'ConflictingController', text);
      }
      if (isClaimOwnerUpToDate(existing, set, pod)) continue;
      const claim = cloneJson(existing);
      updateClaimOwnerRefs(claim, set, pod);
      try {
        await this.#claims.update(set.metadata.namespace ?? '', claim);
      } catch (err) {
        this.#recordClaimEvent('update', set, pod, claim, err);
        throw new Error(`could not update claim ${name} for delete policy ownerRefs: ${message(err)}`);
      }
    }
  }

  /** PodClaimIsStale: under whenScaled=Delete, a claim still owned by an earlier pod of this name. */
  podClaimIsStale(set: StatefulSet, pod: Pod): boolean {
    if (retentionPolicy(set).whenScaled === 'Retain') return false;
    for (const claim of persistentVolumeClaims(set, pod).values()) {
      const existing = this.#claim(set.metadata.namespace ?? '', claim.metadata.name ?? '');
      if (existing && hasStalePodRef(existing, pod)) return true;
    }
    return false;
  }
}
