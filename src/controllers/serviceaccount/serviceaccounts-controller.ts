/**
 * The service account controller (pkg/controller/serviceaccount/serviceaccounts_controller.go):
 * every active namespace has a `default` ServiceAccount; one that is deleted is created again.
 * Keys are namespace names.
 */
import type { Clientset, GroupVersionResource, Lister, ResourceClient, SharedInformerFactory, WorkQueue } from '../../client/interface.js';
import { hasStatusCause, isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { runWorkers } from '../../client/workqueue-workers.js';

export const NAMESPACES: GroupVersionResource = { group: '', version: 'v1', resource: 'namespaces' };
export const SERVICE_ACCOUNTS: GroupVersionResource = { group: '', version: 'v1', resource: 'serviceaccounts' };

export interface ServiceAccountsControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  newQueue: () => WorkQueue;
  /** The accounts every namespace gets (upstream: just `default`). */
  serviceAccounts?: readonly string[];
  workers?: number;
  log?: (message: string) => void;
}

export class ServiceAccountsController {
  readonly queue: WorkQueue;
  readonly #client: ResourceClient;
  readonly #informers: SharedInformerFactory;
  readonly #namespaces: Lister;
  readonly #accounts: Lister;
  readonly #names: readonly string[];
  readonly #workers: number;
  readonly #log: (message: string) => void;

  constructor(options: ServiceAccountsControllerOptions) {
    this.#client = options.client.resource(SERVICE_ACCOUNTS);
    this.#informers = options.informers;
    this.#names = options.serviceAccounts ?? ['default'];
    this.#workers = options.workers ?? 1;
    this.#log = options.log ?? (() => {});
    this.queue = options.newQueue();
    const nsInformer = options.informers.forResource(NAMESPACES);
    const saInformer = options.informers.forResource(SERVICE_ACCOUNTS);
    this.#namespaces = nsInformer.lister;
    this.#accounts = saInformer.lister;
    nsInformer.addEventHandler({
      onAdd: (ns) => this.queue.add(ns.metadata.name ?? ''),
      onUpdate: (_old, ns) => this.queue.add(ns.metadata.name ?? ''),
    });
    saInformer.addEventHandler({
      onDelete: (sa) => {
        if (this.#names.includes(sa.metadata.name ?? '')) this.queue.add(sa.metadata.namespace ?? '');
      },
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.#informers.waitForCacheSync(signal);
    await runWorkers({
      queue: this.queue,
      sync: (key) => this.sync(key),
      workers: this.#workers,
      signal,
      onError: (key, err) => this.#log(`serviceaccounts ${key}: ${(err as Error).message}`),
    });
  }

  /** upstream syncNamespace: creates the missing accounts of an active namespace. */
  async sync(namespace: string): Promise<void> {
    const ns = this.#namespaces.get('', namespace);
    if (!ns || !isActive(ns)) return;
    for (const name of this.#names) {
      if (this.#accounts.get(namespace, name)) continue;
      const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } };
      try {
        await this.#client.create(namespace, sa);
      } catch (err) {
        // created meanwhile, or the namespace started terminating: nothing to do
        if (isStatusError(err, 'AlreadyExists')) continue;
        if (hasStatusCause(err, 'NamespaceTerminating')) continue;
        throw err;
      }
    }
  }
}

function isActive(ns: KubeObject): boolean {
  const phase = (ns['status'] as { phase?: string } | undefined)?.phase;
  return !ns.metadata.deletionTimestamp && phase !== 'Terminating';
}
