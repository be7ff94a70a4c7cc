/**
 * The provision controller of one dynamic provisioner (sig-storage-lib-external-provisioner's
 * ProvisionController, with external-resizer's part for expansion): claims the PV controller
 * handed to this provisioner (volume.kubernetes.io/storage-provisioner) get a PV pre-bound to
 * them (pvc-<uid>, provisioned-by, the class's reclaim policy) — for WaitForFirstConsumer classes
 * once the scheduler chose a node; Released volumes it made with policy Delete lose their storage
 * and their PV; a bound claim asking for more than it has grows its PV (allowVolumeExpansion).
 * Watch claims and volumes → one queue of "claim/<ns>/<name>" and "volume/<name>" keys.
 */
import type { Clientset, EventRecorder, SharedInformer, SharedInformerFactory, WorkQueue } from '../../../client/interface.js';
import { objectKey } from '../../../client/interface.js';
import { runWorkers } from '../../../client/workqueue-workers.js';
import { isStatusError } from '../../../machinery/errors.js';
import type { KubeObject } from '../../../machinery/object.js';
import { waitForInformers } from '../../runtime.js';
import {
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  claimClass,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from '../../../api/storage/volume-helpers.js';
import { PERSISTENT_VOLUME_CLAIMS, PERSISTENT_VOLUMES, STORAGE_CLASSES } from '../persistentvolume/resources.js';
import type { Provisioner } from './interface.js';
import { expandClaim } from './resize.js';

export interface ProvisionControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  queue: WorkQueue;
  provisioner: Provisioner;
  log?: (message: string) => void;
}

export class ProvisionController {
  readonly queue: WorkQueue;
  readonly #o: ProvisionControllerOptions;
  readonly #claims: SharedInformer;
  readonly #volumes: SharedInformer;
  readonly #classes: SharedInformer;

  constructor(options: ProvisionControllerOptions) {
    this.#o = options;
    this.queue = options.queue;
    this.#claims = options.informers.forResource(PERSISTENT_VOLUME_CLAIMS);
    this.#volumes = options.informers.forResource(PERSISTENT_VOLUMES);
    this.#classes = options.informers.forResource(STORAGE_CLASSES);
    const claim = (c: { metadata: { namespace?: string; name?: string } }) =>
      this.queue.add(`claim/${c.metadata.namespace}/${c.metadata.name}`);
    // a deleted claim's volume may have been Released before this informer saw the deletion
    const claimGone = (c: KubeObject) => {
      const volumeName = (c as PersistentVolumeClaim).spec?.volumeName;
      if (volumeName) this.queue.add(`volume/${volumeName}`);
    };
    this.#claims.addEventHandler({ onAdd: claim, onUpdate: (_o, c) => claim(c), onDelete: claimGone });
    const volume = (v: { metadata: { name?: string } }) => this.queue.add(`volume/${v.metadata.name}`);
    this.#volumes.addEventHandler({ onAdd: volume, onUpdate: (_o, v) => volume(v) });
  }

  get #name(): string {
    return this.#o.provisioner.name;
  }

  async sync(key: string): Promise<void> {
    const [kind, ...rest] = key.split('/');
    if (kind === 'volume') return this.#syncVolume(rest.join('/'));
    const [namespace = '', name = ''] = rest;
    const claim = this.#claims.lister.get(namespace, name) as PersistentVolumeClaim | undefined;
    if (claim) return this.#syncClaim(claim);
  }

  #classOf(claim: PersistentVolumeClaim): StorageClass | undefined {
    const sc = this.#classes.lister.get('', claimClass(claim)) as StorageClass | undefined;
    return sc?.provisioner === this.#name ? sc : undefined;
  }

  async #syncClaim(claim: PersistentVolumeClaim): Promise<void> {
    if (claim.metadata.deletionTimestamp) return;
    const sc = this.#classOf(claim);
    if (!sc) return;
    if (claim.status?.phase === 'Bound') {
      const volume = this.#volumes.lister.get('', claim.spec?.volumeName ?? '') as PersistentVolume | undefined;
      if (volume?.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] !== this.#name) return;
      if (this.#o.provisioner.servesVolume && !this.#o.provisioner.servesVolume(volume)) return;
      await expandClaim(
        { ...this.#o, claims: this.#o.client.resource(PERSISTENT_VOLUME_CLAIMS), volumes: this.#o.client.resource(PERSISTENT_VOLUMES) },
        claim,
        volume,
        sc,
      );
      return;
    }
    if (claim.spec?.volumeName || claim.metadata.annotations?.[ANN_STORAGE_PROVISIONER] !== this.#name) return;
    const selectedNode = claim.metadata.annotations?.[ANN_SELECTED_NODE];
    if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !selectedNode) return;
    if (selectedNode && this.#o.provisioner.servesNode && !this.#o.provisioner.servesNode(selectedNode)) return;
    const volumeName = `pvc-${claim.metadata.uid}`;
    if (this.#volumes.lister.get('', volumeName)) return;
    const { recorder } = this.#o;
    recorder.event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${objectKey(claim)}"`);
    let source: Awaited<ReturnType<Provisioner['provision']>>;
    try {
      source = await this.#o.provisioner.provision({ volumeName, claim, storageClass: sc, ...(selectedNode ? { selectedNode } : {}) });
    } catch (err) {
      recorder.event(
        claim,
        'Warning',
        'ProvisioningFailed',
        `failed to provision volume with StorageClass "${sc.metadata.name}": ${(err as Error).message}`,
      );
      throw err;
    }
    const volume: PersistentVolume = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: volumeName, annotations: { [ANN_DYNAMICALLY_PROVISIONED]: this.#name } },
      spec: {
        capacity: { storage: claim.spec?.resources?.requests?.['storage'] ?? '0' },
        accessModes: claim.spec?.accessModes ?? [],
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: sc.metadata.name ?? '',
        volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
        claimRef: {
          kind: 'PersistentVolumeClaim',
          apiVersion: 'v1',
          namespace: claim.metadata.namespace ?? '',
          name: claim.metadata.name ?? '',
          uid: claim.metadata.uid ?? '',
          resourceVersion: claim.metadata.resourceVersion ?? '',
        },
        ...(sc.mountOptions ? { mountOptions: sc.mountOptions } : {}),
        ...source,
      },
    };
    try {
      await this.#o.client.resource(PERSISTENT_VOLUMES).create('', volume);
    } catch (err) {
      if (!isStatusError(err, 'AlreadyExists')) throw err;
    }
    recorder.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${volumeName}`);
  }

  async #syncVolume(name: string): Promise<void> {
    const volume = this.#volumes.lister.get('', name) as PersistentVolume | undefined;
    if (!volume || volume.metadata.deletionTimestamp) return;
    if (volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] !== this.#name) return;
    if (volume.status?.phase !== 'Released' || volume.spec?.persistentVolumeReclaimPolicy !== 'Delete') return;
    if (this.#o.provisioner.servesVolume && !this.#o.provisioner.servesVolume(volume)) return;
    // the claim must really be gone (a new claim of the same name has another UID)
    const ref = volume.spec.claimRef;
    const claim = ref ? this.#claims.lister.get(ref.namespace ?? '', ref.name ?? '') : undefined;
    if (claim && claim.metadata.uid === ref?.uid) return;
    try {
      const sc = this.#classes.lister.get('', volume.spec.storageClassName ?? '') as StorageClass | undefined;
      await this.#o.provisioner.delete(volume, sc);
    } catch (err) {
      this.#o.recorder.event(volume, 'Warning', 'VolumeFailedDelete', (err as Error).message);
      throw err;
    }
    try {
      await this.#o.client.resource(PERSISTENT_VOLUMES).delete('', name);
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }

  /** Waits for the caches, then syncs until the signal aborts. */
  async run(signal: AbortSignal, workers = 2): Promise<void> {
    if (!(await waitForInformers([this.#claims, this.#volumes, this.#classes], signal))) {
      this.queue.shutDown();
      return;
    }
    const log = this.#o.log ?? ((m: string) => console.error(m));
    await runWorkers({
      queue: this.queue,
      workers,
      signal,
      sync: (key) => this.sync(key),
      onError: (key, err) => log(`provisioner ${this.#name}: error syncing "${key}": ${(err as Error).message}`),
    });
  }
}
