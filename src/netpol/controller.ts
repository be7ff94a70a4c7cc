/**
 * NetworkPolicyController: each agent's policy controller (kube-router's, as k3s embeds it).
 * It watches NetworkPolicies, Namespaces and every Pod (its own node's are the ones it guards,
 * all nodes' are peers), and on any change that can matter re-computes all of the node's policy
 * chains from the listers, as kube-router does, and writes those that changed in one
 * iptables-restore (one key in the queue, so a burst of changes is one sync). A periodic resync
 * rewrites every chain, undoing anything that changed or removed them.
 *
 *   new NetworkPolicyController(options: NetworkPolicyControllerOptions).run(signal): Promise<void>
 */
import type { KubeObject } from '../machinery/object.js';
import type { SharedInformer, SharedInformerFactory } from '../client/interface.js';
import { RateLimitingQueue } from '../client/workqueue.js';
import { runWorkers } from '../client/workqueue-workers.js';
import { waitForInformers } from '../controllers/runtime.js';
import type { PolicyFirewall } from './interface.js';
import { policyNamespace, policyPod, policyPodFingerprint } from './pod-info.js';
import { networkPolicyChains } from './rules.js';

export const PODS = { group: '', version: 'v1', resource: 'pods' };
export const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };
export const NETWORK_POLICIES = { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies' };

/** The queue's keys: a change (the changed chains are written) and the periodic resync (all are). */
const SYNC_KEY = 'sync';
const RESYNC_KEY = 'resync';

export interface NetworkPolicyControllerOptions {
  informers: SharedInformerFactory;
  /** This agent's node. */
  nodeName: string;
  firewall: PolicyFirewall;
  /** Full rewrite without a change every so often (kube-router's default: 5 minutes). */
  resyncMs?: number;
  log?: (message: string) => void;
}

export class NetworkPolicyController {
  readonly #o: NetworkPolicyControllerOptions;
  readonly #pods: SharedInformer;
  readonly #namespaces: SharedInformer;
  readonly #policies: SharedInformer;
  readonly #queue = new RateLimitingQueue({ name: 'network-policy' });
  /** Whether the periodic resync is scheduled. */
  #resyncing = false;

  constructor(options: NetworkPolicyControllerOptions) {
    this.#o = options;
    this.#pods = options.informers.forResource(PODS);
    this.#namespaces = options.informers.forResource(NAMESPACES);
    this.#policies = options.informers.forResource(NETWORK_POLICIES);
    const enqueue = (): void => this.#queue.add(SYNC_KEY);
    const changed =
      (fingerprint: (o: KubeObject) => string) =>
      (a: KubeObject, b: KubeObject): void => {
        if (fingerprint(a) !== fingerprint(b)) enqueue();
      };
    this.#pods.addEventHandler({ onAdd: enqueue, onUpdate: changed(policyPodFingerprint), onDelete: enqueue });
    this.#namespaces.addEventHandler({
      onAdd: enqueue,
      onUpdate: changed((ns) => JSON.stringify(ns.metadata.labels ?? {})),
      onDelete: enqueue,
    });
    this.#policies.addEventHandler({ onAdd: enqueue, onUpdate: changed((p) => JSON.stringify(p['spec'] ?? {})), onDelete: enqueue });
  }

  async run(signal: AbortSignal): Promise<void> {
    if (!(await waitForInformers([this.#pods, this.#namespaces, this.#policies], signal))) return;
    this.#queue.add(SYNC_KEY);
    await runWorkers({
      queue: this.#queue,
      workers: 1,
      sync: (key) => this.sync({ full: key === RESYNC_KEY }),
      signal,
      onError: (_key, err) => this.#o.log?.(`network policy sync failed, retrying: ${(err as Error).message}`),
    });
  }

  /** Computes this node's chains from the listers and writes them (`full`: every chain, changed or not). */
  async sync(options: { full?: boolean } = {}): Promise<void> {
    const pods = this.#pods.lister.list().flatMap((p) => policyPod(p) ?? []);
    const chains = networkPolicyChains({
      nodeName: this.#o.nodeName,
      pods,
      namespaces: this.#namespaces.lister.list().map(policyNamespace),
      policies: this.#policies.lister.list(),
    });
    await this.#o.firewall.apply(chains, options);
    if (options.full || !this.#resyncing) {
      this.#resyncing = true;
      this.#queue.addAfter(RESYNC_KEY, this.#o.resyncMs ?? 5 * 60_000);
    }
  }
}
