/**
 * The root CA certificate publisher (pkg/controller/certificates/rootcacertpublisher): every
 * namespace has the ConfigMap `kube-root-ca.crt` whose `ca.crt` is the bundle that verifies the
 * apiserver; one that is deleted or changed is written again. Keys are namespace names. Pods
 * read it through the kube-api-access projected volume the ServiceAccount admission adds.
 */
import type { Clientset, GroupVersionResource, Lister, ResourceClient, SharedInformerFactory, WorkQueue } from '../../client/interface.js';
import { hasStatusCause, isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { runWorkers } from '../../client/workqueue-workers.js';
import { NAMESPACES } from '../serviceaccount/serviceaccounts-controller.js';

export const CONFIG_MAPS: GroupVersionResource = { group: '', version: 'v1', resource: 'configmaps' };
export const ROOT_CA_CONFIG_MAP = 'kube-root-ca.crt';
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export interface RootCACertPublisherOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  newQueue: () => WorkQueue;
  /** The PEM bundle published (upstream --root-ca-file, else the CA of the controller manager's kubeconfig). */
  rootCA: string;
  workers?: number;
  log?: (message: string) => void;
}

export class RootCACertPublisher {
  readonly queue: WorkQueue;
  readonly #client: ResourceClient;
  readonly #informers: SharedInformerFactory;
  readonly #namespaces: Lister;
  readonly #configMaps: Lister;
  readonly #rootCA: string;
  readonly #workers: number;
  readonly #log: (message: string) => void;

  constructor(options: RootCACertPublisherOptions) {
    this.#client = options.client.resource(CONFIG_MAPS);
    this.#informers = options.informers;
    this.#rootCA = options.rootCA;
    this.#workers = options.workers ?? 1;
    this.#log = options.log ?? (() => {});
    this.queue = options.newQueue();
    const nsInformer = options.informers.forResource(NAMESPACES);
    const cmInformer = options.informers.forResource(CONFIG_MAPS);
    this.#namespaces = nsInformer.lister;
    this.#configMaps = cmInformer.lister;
    nsInformer.addEventHandler({
      onAdd: (ns) => this.queue.add(ns.metadata.name ?? ''),
      onUpdate: (_old, ns) => this.queue.add(ns.metadata.name ?? ''),
    });
    const published = (cm: KubeObject) => {
      if (cm.metadata.name === ROOT_CA_CONFIG_MAP) this.queue.add(cm.metadata.namespace ?? '');
    };
    cmInformer.addEventHandler({ onUpdate: (_old, cm) => published(cm), onDelete: published });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.#informers.waitForCacheSync(signal);
    await runWorkers({
      queue: this.queue,
      sync: (key) => this.sync(key),
      workers: this.#workers,
      signal,
      onError: (key, err) => this.#log(`root-ca-cert-publisher ${key}: ${(err as Error).message}`),
    });
  }

  /** upstream syncNamespace: creates the ConfigMap, or writes its data and description back. */
  async sync(namespace: string): Promise<void> {
    const ns = this.#namespaces.get('', namespace);
    if (!ns || ns.metadata.deletionTimestamp) return;
    const data = { 'ca.crt': this.#rootCA };
    const existing = this.#configMaps.get(namespace, ROOT_CA_CONFIG_MAP);
    try {
      if (!existing) {
        const cm: KubeObject = {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: ROOT_CA_CONFIG_MAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
          data,
        };
        await this.#client.create(namespace, cm);
        return;
      }
      const annotations = existing.metadata.annotations ?? {};
      const current = existing['data'] as Record<string, string> | undefined;
      if (
        current?.['ca.crt'] === data['ca.crt'] &&
        Object.keys(current).length === 1 &&
        annotations[DESCRIPTION_ANNOTATION] === DESCRIPTION
      ) {
        return;
      }
      const next = structuredClone(existing);
      next['data'] = data;
      next.metadata.annotations = { ...annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION };
      await this.#client.update(namespace, next);
    } catch (err) {
      // created meanwhile (the informer catches up), gone, or the namespace is terminating
      if (isStatusError(err, 'AlreadyExists') || isStatusError(err, 'NotFound')) return;
      if (hasStatusCause(err, 'NamespaceTerminating')) return;
      throw err;
    }
  }
}
