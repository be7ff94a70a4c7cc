/**
 * The PersistentVolume controller (pkg/controller/volume/persistentvolume, the "binder"): binds
 * claims to volumes, hands claims to their class's provisioner, keeps both objects' phases, and
 * reclaims volumes whose claims are gone. Two queues as upstream: volumes by name, claims by
 * namespace/name; every --pvclaimbinder-sync-period (15 s) every object is synced again.
 * Watch volumes, claims, classes and pods → enqueue → syncVolume(key) / syncClaim(key).
 */
import type { Clientset, EventRecorder, SharedInformer, SharedInformerFactory, WorkQueue } from '../../../client/interface.js';
import { objectKey, splitKey } from '../../../client/interface.js';
import { runWorkers } from '../../../client/workqueue-workers.js';
import type { KubeObject } from '../../../machinery/object.js';
import { waitForInformers } from '../../runtime.js';
import { PODS } from '../../controller-utils/types.js';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../../api/storage/volume-helpers.js';
import type { BinderContext } from './binder.js';
import { type ClaimSyncContext, syncClaim } from './sync-claim.js';
import { syncVolume, type VolumeSyncContext } from './sync-volume.js';
import { PERSISTENT_VOLUME_CLAIMS, PERSISTENT_VOLUMES, STORAGE_CLASSES } from './resources.js';

export interface PersistentVolumeControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  newQueue: () => WorkQueue;
  /** --pvclaimbinder-sync-period (default 15 s). */
  syncPeriodMs?: number;
  now?: () => number;
  log?: (message: string) => void;
}

const CLAIM_INDEX = 'persistentVolumeClaims';

/** The claims a pod's volumes name, as namespace/name keys. */
function podClaimKeys(pod: KubeObject): string[] {
  const volumes = (pod['spec'] as { volumes?: { persistentVolumeClaim?: { claimName?: string } }[] } | undefined)?.volumes ?? [];
  return volumes.flatMap((v) =>
    v.persistentVolumeClaim?.claimName ? [`${pod.metadata.namespace}/${v.persistentVolumeClaim.claimName}`] : [],
  );
}

export class PersistentVolumeController {
  readonly volumeQueue: WorkQueue;
  readonly claimQueue: WorkQueue;
  readonly #volumes: SharedInformer;
  readonly #claims: SharedInformer;
  readonly #classes: SharedInformer;
  readonly #pods: SharedInformer;
  readonly #binder: BinderContext;
  readonly #syncPeriodMs: number;
  readonly #log: (m: string) => void;

  constructor(options: PersistentVolumeControllerOptions) {
    this.volumeQueue = options.newQueue();
    this.claimQueue = options.newQueue();
    this.#syncPeriodMs = options.syncPeriodMs ?? 15_000;
    this.#log = options.log ?? ((m) => console.error(m));
    this.#binder = {
      volumes: options.client.resource(PERSISTENT_VOLUMES),
      claims: options.client.resource(PERSISTENT_VOLUME_CLAIMS),
      recorder: options.recorder,
      now: options.now ?? Date.now,
    };
    this.#volumes = options.informers.forResource(PERSISTENT_VOLUMES);
    this.#claims = options.informers.forResource(PERSISTENT_VOLUME_CLAIMS);
    this.#classes = options.informers.forResource(STORAGE_CLASSES);
    this.#pods = options.informers.forResource(PODS);
    this.#pods.addIndexer(CLAIM_INDEX, podClaimKeys);
    this.#volumes.addEventHandler({
      onAdd: (v) => this.#volumeChanged(v),
      onUpdate: (_o, v) => this.#volumeChanged(v),
      onDelete: (v) => this.#volumeChanged(v),
    });
    this.#claims.addEventHandler({
      onAdd: (c) => this.claimQueue.add(objectKey(c)),
      onUpdate: (_o, c) => this.claimQueue.add(objectKey(c)),
      onDelete: (c) => this.#claimDeleted(c as PersistentVolumeClaim),
    });
    // a class created after its claims: they may now be provisioned
    this.#classes.addEventHandler({ onAdd: () => this.#enqueuePendingClaims() });
  }

  #volumeChanged(volume: KubeObject): void {
    this.volumeQueue.add(objectKey(volume));
    const ref = (volume as PersistentVolume).spec?.claimRef;
    if (ref?.name) this.claimQueue.add(`${ref.namespace}/${ref.name}`);
    // a volume that became available may be what a pending claim waits for
    if (!ref) this.#enqueuePendingClaims();
  }

  #claimDeleted(claim: PersistentVolumeClaim): void {
    const name = claim.spec?.volumeName;
    if (name) this.volumeQueue.add(name);
  }

  #enqueuePendingClaims(): void {
    for (const c of this.#claims.lister.list() as PersistentVolumeClaim[]) {
      if (c.status?.phase !== 'Bound') this.claimQueue.add(objectKey(c));
    }
  }

  #resync(): void {
    for (const v of this.#volumes.lister.list()) this.volumeQueue.add(objectKey(v));
    for (const c of this.#claims.lister.list()) this.claimQueue.add(objectKey(c));
  }

  get #claimContext(): ClaimSyncContext {
    return {
      ...this.#binder,
      volume: (name) => this.#volumes.lister.get('', name) as PersistentVolume | undefined,
      allVolumes: () => this.#volumes.lister.list() as PersistentVolume[],
      storageClass: (name) => this.#classes.lister.get('', name) as StorageClass | undefined,
      unscheduledPodsUsing: (claim) =>
        this.#pods.lister
          .byIndex(CLAIM_INDEX, objectKey(claim))
          .filter((p) => !(p['spec'] as { nodeName?: string } | undefined)?.nodeName && !p.metadata.deletionTimestamp)
          .map((p) => p.metadata.name ?? '')
          .sort(),
    };
  }

  get #volumeContext(): VolumeSyncContext {
    return {
      ...this.#binder,
      claim: (namespace, name) => this.#claims.lister.get(namespace, name) as PersistentVolumeClaim | undefined,
      enqueueClaim: (claim) => this.claimQueue.add(objectKey(claim)),
    };
  }

  /** syncClaim of one namespace/name key; a deleted claim needs nothing (its volume's sync reclaims). */
  async syncClaimKey(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const claim = this.#claims.lister.get(namespace, name) as PersistentVolumeClaim | undefined;
    if (!claim) return;
    await syncClaim(this.#claimContext, claim);
  }

  async syncVolumeKey(key: string): Promise<void> {
    const volume = this.#volumes.lister.get('', key) as PersistentVolume | undefined;
    if (!volume) return;
    await syncVolume(this.#volumeContext, volume);
  }

  /** Waits for the caches, then runs the two sync loops and the periodic resync until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    if (!(await waitForInformers([this.#volumes, this.#claims, this.#classes, this.#pods], signal))) {
      this.volumeQueue.shutDown();
      this.claimQueue.shutDown();
      return;
    }
    this.#resync();
    const timer = setInterval(() => this.#resync(), this.#syncPeriodMs);
    timer.unref?.();
    signal.addEventListener('abort', () => clearInterval(timer), { once: true });
    const onError = (kind: string) => (key: string, err: unknown) =>
      this.#log(`persistentvolume-binder: error syncing ${kind} "${key}": ${(err as Error).message}`);
    await Promise.all([
      runWorkers({ queue: this.volumeQueue, workers: 1, signal, sync: (k) => this.syncVolumeKey(k), onError: onError('volume') }),
      runWorkers({ queue: this.claimQueue, workers: 1, signal, sync: (k) => this.syncClaimKey(k), onError: onError('claim') }),
    ]);
    clearInterval(timer);
  }
}
