/**
 * Runs the k8ts.io/local-path provisioner of a node engine (nodes.ts) for the nodes it hosts:
 * a real node's volumes on its disk under DATA/storage, a simulated node's on its simulated
 * filesystem (under the virtual /var/lib/k8ts/storage).
 */
import type { Clientset, EventRecorder, SharedInformerFactory } from '../../client/interface.js';
import { RateLimitingQueue } from '../../client/workqueue.js';
import { ProvisionController } from '../../controllers/volume/provisioner/provision-controller.js';
import { DiskVolumeFilesystem } from '../volumes/disk-filesystem.js';
import { SimulatedVolumeFilesystem } from '../volumes/simulated-filesystem.js';
import { type LocalPathNode, LocalPathProvisioner } from './local-path-provisioner.js';

/** Where simulated nodes' local-path volumes are (nothing is created there). */
export const SIMULATED_STORAGE_DIR = '/var/lib/k8ts/storage';

export interface LocalPathEngineOptions {
  clientset: Clientset;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  /** Node name → its storage directory on disk (real nodes) or undefined (simulated). */
  nodes: ReadonlyMap<string, string | undefined>;
  report: (message: string) => void;
}

/** Registers the provisioner's informers now; syncs once they have synced, until the signal aborts. */
export function runLocalPathProvisioner(options: LocalPathEngineOptions, signal: AbortSignal): Promise<void> {
  const disk = new DiskVolumeFilesystem();
  const simulated = new SimulatedVolumeFilesystem();
  const nodes = new Map<string, LocalPathNode>();
  for (const [name, dir] of options.nodes)
    nodes.set(name, dir ? { storageDir: dir, fs: disk } : { storageDir: SIMULATED_STORAGE_DIR, fs: simulated });
  const controller = new ProvisionController({
    client: options.clientset,
    informers: options.informers,
    recorder: options.recorder,
    queue: new RateLimitingQueue({ name: 'local-path-provisioner' }),
    provisioner: new LocalPathProvisioner({ nodes }),
    log: options.report,
  });
  return controller.run(signal);
}
