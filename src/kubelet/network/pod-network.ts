/**
 * The pod network controller of a node (flannel's kube subnet manager, in the agent): once the
 * node has its podCIDR, it readies the CNI bridge with its gateway address, sets up the backend
 * (vxlan: the device), publishes flannel's annotations on its own Node, installs the masquerade
 * and forward rules, and from then on watches Nodes and has the backend reach every other
 * node's podCIDR — level-triggered: each change of any Node reprograms from the whole list, one
 * sync at a time, a failed one retried, and every RESYNC_MS regardless (a route someone deleted
 * comes back). What it programs stays when the agent stops (pods keep
 * running and reachable); `k8ts killall` removes it (cleanup.ts).
 *
 *   new PodNetwork(options).start(podCIDR, signal): Promise<{ mtu: number }>
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clientset, SharedInformer, SharedInformerFactory } from '../../client/interface.js';
import type { NetworkCommandRunner, PodNetworkBackend } from './interface.js';
import { ensureBridgeGateway } from './links.js';
import { syncMasquerade } from './masquerade.js';
import { remoteNodes } from './remote-nodes.js';

const NODES = { group: '', version: 'v1', resource: 'nodes' };
const RETRY_MS = 2_000;
/** How often the routes are programmed again though no Node changed (flannel checks its routes every 10 s). */
const RESYNC_MS = 30_000;

export interface PodNetworkOptions {
  clientset: Clientset;
  /** Where the Node informer comes from (started by start()). */
  informers: SharedInformerFactory;
  nodeName: string;
  nodeIP: string;
  /** The cluster CIDR (what is masqueraded when it leaves it). */
  clusterCIDR: string;
  /** The node's CNI bridge. */
  bridge: string;
  backend: PodNetworkBackend;
  run: NetworkCommandRunner;
  log: (message: string) => void;
  /** Reprograms from the Nodes this often, repairing what someone changed in the kernel (default RESYNC_MS). */
  resyncMs?: number;
}

export class PodNetwork {
  readonly #o: PodNetworkOptions;
  #dirty = false;
  #wake: (() => void) | undefined;
  /** The remote nodes last programmed (JSON): node heartbeats change nothing the backend uses. */
  #applied: string | undefined;

  constructor(options: PodNetworkOptions) {
    this.#o = options;
  }

  /** Sets up this node's side for `podCIDR`, then keeps the routes to the other nodes until `signal` aborts. */
  async start(podCIDR: string, signal: AbortSignal): Promise<{ mtu: number }> {
    const { backend, run, nodeName } = this.#o;
    await ensureBridgeGateway(run, this.#o.bridge, podCIDR);
    const setup = await backend.setup({ name: nodeName, nodeIP: this.#o.nodeIP, podCIDR });
    await syncMasquerade(run, { clusterCIDR: this.#o.clusterCIDR, bridge: this.#o.bridge });
    await this.#o.clientset.resource(NODES).patch('', nodeName, 'merge', { metadata: { annotations: setup.annotations } });
    const factory = this.#o.informers;
    const informer = factory.forResource(NODES);
    const changed = (): void => {
      this.#dirty = true;
      this.#wake?.();
    };
    informer.addEventHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
    // a first sync even with no other node: it removes what a previous run left for nodes gone since
    this.#dirty = true;
    factory.start(signal);
    void this.#syncLoop(informer, signal);
    return { mtu: setup.mtu };
  }

  /** One sync at a time, from the informer's whole list; a failure is retried after RETRY_MS. */
  async #syncLoop(informer: SharedInformer, signal: AbortSignal): Promise<void> {
    const { backend, nodeName, log } = this.#o;
    await informer.waitForSync(signal);
    while (!signal.aborted) {
      if (this.#dirty) {
        this.#dirty = false;
        const remotes = remoteNodes(informer.lister.list(), nodeName, backend.type);
        const key = JSON.stringify(remotes);
        try {
          if (key !== this.#applied) {
            await backend.sync(remotes);
            this.#applied = key;
            log(`pod network (${backend.type}): routes to ${remotes.map((r) => `${r.name} ${r.podCIDR}`).join(', ') || 'no other node'}`);
          }
        } catch (err) {
          log(`pod network (${backend.type}): ${(err as Error).message}`);
          this.#dirty = true;
          await sleep(RETRY_MS, undefined, { signal }).catch(() => undefined);
          continue;
        }
      }
      await new Promise<void>((resolve) => {
        const resync = setTimeout(() => {
          this.#applied = undefined;
          this.#dirty = true;
          wake();
        }, this.#o.resyncMs ?? RESYNC_MS);
        const wake = (): void => {
          clearTimeout(resync);
          signal.removeEventListener('abort', wake);
          this.#wake = undefined;
          resolve();
        };
        this.#wake = wake;
        signal.addEventListener('abort', wake, { once: true });
        if (this.#dirty || signal.aborted) wake();
      });
    }
  }
}
