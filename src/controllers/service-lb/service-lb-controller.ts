/**
 * The built-in service load balancer (k3s' servicelb without its pods; the load balancer half of
 * upstream's cloud-provider service controller): every Service of type LoadBalancer without a
 * spec.loadBalancerClass gets status.loadBalancer.ingress = the InternalIPs of the Ready nodes
 * (ipMode VIP), so each node's service proxy opens the Service's ports on its own address. Node
 * changes update every such Service; a Service that stops being of type LoadBalancer loses its
 * load balancer (the apiserver clears the status with the type change, as upstream's does; this
 * controller clears what is left and records it). Events as upstream's: EnsuringLoadBalancer/EnsuredLoadBalancer,
 * UpdatedLoadBalancer, DeletingLoadBalancer/DeletedLoadBalancer, SyncLoadBalancerFailed.
 * Keys are service keys.
 */
import {
  type Clientset,
  type EventRecorder,
  type GroupVersionResource,
  type Lister,
  objectKey,
  type ResourceClient,
  type SharedInformerFactory,
  splitKey,
  type WorkQueue,
} from '../../client/interface.js';
import { runWorkers } from '../../client/workqueue-workers.js';
import { cloneJson } from '../../machinery/clone.js';
import { isStatusError } from '../../machinery/errors.js';
import { jsonEqual } from '../../machinery/json-equal.js';
import type { KubeObject } from '../../machinery/object.js';

export const SERVICES: GroupVersionResource = { group: '', version: 'v1', resource: 'services' };
export const NODES: GroupVersionResource = { group: '', version: 'v1', resource: 'nodes' };
/** Nodes with this label take no load balancer traffic (upstream's exclusion label). */
export const LABEL_EXCLUDE_LB = 'node.kubernetes.io/exclude-from-external-load-balancers';

export interface LoadBalancerIngress {
  ip: string;
  ipMode: 'VIP';
}

export interface ServiceLBControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  newQueue: () => WorkQueue;
  recorder?: EventRecorder;
  workers?: number;
  log?: (message: string) => void;
}

interface NodeStatus {
  addresses?: Array<{ type?: string; address?: string }>;
  conditions?: Array<{ type?: string; status?: string }>;
}

/** The Services this load balancer serves: type LoadBalancer, no other loadBalancerClass. */
export function wantsLoadBalancer(svc: KubeObject): boolean {
  const spec = (svc['spec'] ?? {}) as { type?: string; loadBalancerClass?: string };
  return spec.type === 'LoadBalancer' && !spec.loadBalancerClass && !svc.metadata.deletionTimestamp;
}

/** The ingress points: each Ready node's InternalIPs, sorted, once each. */
export function loadBalancerIngress(nodes: readonly KubeObject[]): LoadBalancerIngress[] {
  const ips = new Set<string>();
  for (const node of nodes) {
    if (node.metadata.labels?.[LABEL_EXCLUDE_LB] !== undefined || node.metadata.deletionTimestamp) continue;
    const status = (node['status'] ?? {}) as NodeStatus;
    if (!status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
    for (const a of status.addresses ?? []) if (a.type === 'InternalIP' && a.address) ips.add(a.address);
  }
  return [...ips].sort().map((ip) => ({ ip, ipMode: 'VIP' }));
}

function ingressOf(svc: KubeObject): unknown[] {
  return ((svc['status'] as { loadBalancer?: { ingress?: unknown[] } } | undefined)?.loadBalancer?.ingress ?? []) as unknown[];
}

/** What of a node the load balancer reads: changes elsewhere (heartbeats) enqueue nothing. */
function nodeView(node: KubeObject): LoadBalancerIngress[] {
  return loadBalancerIngress([node]);
}

export class ServiceLBController {
  readonly queue: WorkQueue;
  readonly #client: ResourceClient;
  readonly #informers: SharedInformerFactory;
  readonly #services: Lister;
  readonly #nodes: Lister;
  readonly #recorder: EventRecorder | undefined;
  readonly #workers: number;
  readonly #log: (message: string) => void;
  /** The Services this controller gave a load balancer (the apiserver clears the status itself when the type changes). */
  readonly #ensured = new Set<string>();

  constructor(options: ServiceLBControllerOptions) {
    this.#client = options.client.resource(SERVICES);
    this.#informers = options.informers;
    this.#recorder = options.recorder;
    this.#workers = options.workers ?? 1;
    this.#log = options.log ?? (() => {});
    this.queue = options.newQueue();
    const services = options.informers.forResource(SERVICES);
    const nodes = options.informers.forResource(NODES);
    this.#services = services.lister;
    this.#nodes = nodes.lister;
    const enqueue = (svc: KubeObject): void => {
      if (wantsLoadBalancer(svc) || ingressOf(svc).length > 0 || this.#ensured.has(objectKey(svc))) this.queue.add(objectKey(svc));
    };
    services.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_old, svc) => enqueue(svc),
      onDelete: (svc) => this.#ensured.delete(objectKey(svc)),
    });
    const enqueueAll = (): void => {
      for (const svc of this.#services.list('')) if (wantsLoadBalancer(svc)) this.queue.add(objectKey(svc));
    };
    nodes.addEventHandler({
      onAdd: enqueueAll,
      onUpdate: (old, node) => {
        if (!jsonEqual(nodeView(old), nodeView(node))) enqueueAll();
      },
      onDelete: enqueueAll,
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.#informers.waitForCacheSync(signal);
    await runWorkers({
      queue: this.queue,
      sync: (key) => this.sync(key),
      workers: this.#workers,
      signal,
      onError: (key, err) => this.#log(`service load balancer ${key}: ${(err as Error).message}`),
    });
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.#services.get(namespace, name);
    if (!svc) return;
    const current = ingressOf(svc);
    if (!wantsLoadBalancer(svc)) {
      // no longer of type LoadBalancer: its load balancer goes (another class's status is not ours)
      const had = this.#ensured.delete(key);
      if ((svc['spec'] as { type?: string } | undefined)?.type === 'LoadBalancer' || (!had && current.length === 0)) return;
      this.#recorder?.event(svc, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer');
      if (current.length > 0) await this.#writeStatus(svc, []);
      this.#recorder?.event(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
      return;
    }
    const desired = loadBalancerIngress(this.#nodes.list(''));
    if (jsonEqual(current, desired)) {
      if (current.length > 0) this.#ensured.add(key);
      return;
    }
    const first = current.length === 0;
    if (first) this.#recorder?.event(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
    try {
      await this.#writeStatus(svc, desired);
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return;
      this.#recorder?.event(svc, 'Warning', 'SyncLoadBalancerFailed', `Error syncing load balancer: ${(err as Error).message}`);
      throw err;
    }
    if (desired.length > 0) this.#ensured.add(key);
    if (first) this.#recorder?.event(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
    else this.#recorder?.event(svc, 'Normal', 'UpdatedLoadBalancer', 'Updated load balancer with new hosts');
  }

  /** Writes status.loadBalancer from the cached object's resourceVersion (a conflict requeues the key). */
  async #writeStatus(svc: KubeObject, ingress: LoadBalancerIngress[]): Promise<void> {
    const next = cloneJson(svc);
    const status = (next['status'] ?? {}) as Record<string, unknown>;
    status['loadBalancer'] = ingress.length > 0 ? { ingress } : {};
    next['status'] = status;
    await this.#client.updateStatus(svc.metadata.namespace ?? '', next);
  }
}
