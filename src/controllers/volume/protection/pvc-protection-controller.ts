/**
 * The PVC protection controller (pkg/controller/volume/pvcprotection): a claim being deleted
 * keeps its kubernetes.io/pvc-protection finalizer while a scheduled, unfinished pod of its
 * namespace uses it; then the finalizer goes and the deletion completes.
 * Watch claims and pods → enqueue the claim → sync(key).
 */
import type { Clientset, SharedInformer, SharedInformerFactory, WorkQueue } from '../../../client/interface.js';
import { objectKey, splitKey } from '../../../client/interface.js';
import type { KubeObject } from '../../../machinery/object.js';
import { runController } from '../../runtime.js';
import { PODS } from '../../controller-utils/types.js';
import { PVC_PROTECTION_FINALIZER } from '../../../api/storage/volume-helpers.js';
import { PERSISTENT_VOLUME_CLAIMS } from '../persistentvolume/resources.js';
import { removeFinalizer } from './finalizer.js';

export interface PVCProtectionControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  newQueue: () => WorkQueue;
  log?: (message: string) => void;
}

/** The claims a pod's volumes name. */
function claimsOf(pod: KubeObject): string[] {
  const volumes = (pod['spec'] as { volumes?: { persistentVolumeClaim?: { claimName?: string } }[] } | undefined)?.volumes ?? [];
  return volumes.flatMap((v) => (v.persistentVolumeClaim?.claimName ? [v.persistentVolumeClaim.claimName] : []));
}

/** podUsesPVC: scheduled (the kubelet sees it) and not finished. */
function podUses(pod: KubeObject, claim: string): boolean {
  const spec = pod['spec'] as { nodeName?: string } | undefined;
  const phase = (pod['status'] as { phase?: string } | undefined)?.phase;
  if (!spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') return false;
  return claimsOf(pod).includes(claim);
}

export class PVCProtectionController {
  readonly queue: WorkQueue;
  readonly #client: Clientset;
  readonly #claims: SharedInformer;
  readonly #pods: SharedInformer;
  readonly #log: (m: string) => void;

  constructor(options: PVCProtectionControllerOptions) {
    this.queue = options.newQueue();
    this.#client = options.client;
    this.#log = options.log ?? ((m) => console.error(m));
    this.#claims = options.informers.forResource(PERSISTENT_VOLUME_CLAIMS);
    this.#pods = options.informers.forResource(PODS);
    const claim = (c: KubeObject) => {
      if (c.metadata.deletionTimestamp && c.metadata.finalizers?.includes(PVC_PROTECTION_FINALIZER)) this.queue.add(objectKey(c));
    };
    this.#claims.addEventHandler({ onAdd: claim, onUpdate: (_o, c) => claim(c) });
    const pod = (p: KubeObject) => {
      for (const name of claimsOf(p)) this.queue.add(`${p.metadata.namespace}/${name}`);
    };
    this.#pods.addEventHandler({ onUpdate: (_o, p) => pod(p), onDelete: pod });
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const claim = this.#claims.lister.get(namespace, name);
    if (!claim?.metadata.deletionTimestamp || !claim.metadata.finalizers?.includes(PVC_PROTECTION_FINALIZER)) return;
    if (this.#pods.lister.list(namespace).some((p) => podUses(p, name))) return;
    // the cache may lag: ask the apiserver before letting the claim go (as upstream's live list)
    const live = await this.#client.resource(PODS).list(namespace);
    if (live.items.some((p) => podUses(p, name))) return;
    await removeFinalizer(this.#client.resource(PERSISTENT_VOLUME_CLAIMS), claim, PVC_PROTECTION_FINALIZER);
  }

  async run(signal: AbortSignal): Promise<void> {
    await runController(
      [this.#claims, this.#pods],
      [
        {
          queue: this.queue,
          workers: 1,
          signal,
          sync: (k) => this.sync(k),
          onError: (k, err) => this.#log(`pvc-protection: error syncing "${k}": ${(err as Error).message}`),
        },
      ],
      signal,
    );
  }
}
