/**
 * The PV protection controller (pkg/controller/volume/pvprotection): a volume being deleted
 * keeps its kubernetes.io/pv-protection finalizer while it is Bound to a claim.
 * Watch volumes → enqueue → sync(name).
 */
import type { Clientset, SharedInformer, SharedInformerFactory, WorkQueue } from '../../../client/interface.js';
import type { KubeObject } from '../../../machinery/object.js';
import { runController } from '../../runtime.js';
import { PV_PROTECTION_FINALIZER, type PersistentVolume } from '../../../api/storage/volume-helpers.js';
import { PERSISTENT_VOLUMES } from '../persistentvolume/resources.js';
import { removeFinalizer } from './finalizer.js';

export interface PVProtectionControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  newQueue: () => WorkQueue;
  log?: (message: string) => void;
}

export class PVProtectionController {
  readonly queue: WorkQueue;
  readonly #client: Clientset;
  readonly #volumes: SharedInformer;
  readonly #log: (m: string) => void;

  constructor(options: PVProtectionControllerOptions) {
    this.queue = options.newQueue();
    this.#client = options.client;
    this.#log = options.log ?? ((m) => console.error(m));
    this.#volumes = options.informers.forResource(PERSISTENT_VOLUMES);
    const volume = (v: KubeObject) => {
      if (v.metadata.deletionTimestamp && v.metadata.finalizers?.includes(PV_PROTECTION_FINALIZER)) this.queue.add(v.metadata.name ?? '');
    };
    this.#volumes.addEventHandler({ onAdd: volume, onUpdate: (_o, v) => volume(v) });
  }

  async sync(name: string): Promise<void> {
    const volume = this.#volumes.lister.get('', name) as PersistentVolume | undefined;
    if (!volume?.metadata.deletionTimestamp || !volume.metadata.finalizers?.includes(PV_PROTECTION_FINALIZER)) return;
    if (volume.status?.phase === 'Bound') return;
    await removeFinalizer(this.#client.resource(PERSISTENT_VOLUMES), volume, PV_PROTECTION_FINALIZER);
  }

  async run(signal: AbortSignal): Promise<void> {
    await runController(
      [this.#volumes],
      [
        {
          queue: this.queue,
          workers: 1,
          signal,
          sync: (k) => this.sync(k),
          onError: (k, err) => this.#log(`pv-protection: error syncing "${k}": ${(err as Error).message}`),
        },
      ],
      signal,
    );
  }
}
