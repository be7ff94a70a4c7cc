/**
 * Node IPAM (pkg/controller/nodeipam, the RangeAllocator): gives each Node spec.podCIDR and
 * spec.podCIDRs — one subnet of each --cluster-cidr (comma-separated for dual stack) — without
 * duplicates, and frees them when the Node is deleted. Keys are node names.
 */
import type {
  Clientset,
  EventRecorder,
  GroupVersionResource,
  Lister,
  ResourceClient,
  SharedInformerFactory,
  WorkQueue,
} from '../../client/interface.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { runWorkers } from '../../client/workqueue-workers.js';
import { CidrSet, CidrSetError } from './cidr-set.js';

export const NODES: GroupVersionResource = { group: '', version: 'v1', resource: 'nodes' };
export const DEFAULT_CLUSTER_CIDR = '10.244.0.0/16';

export interface RangeAllocatorOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  newQueue: () => WorkQueue;
  recorder?: EventRecorder;
  /** --cluster-cidr: one CIDR, or an IPv4 and an IPv6 one separated by a comma. */
  clusterCIDR?: string;
  /** --node-cidr-mask-size (24 for IPv4, 64 for IPv6 by default). */
  nodeCIDRMaskSize?: number;
  log?: (message: string) => void;
}

export function podCIDRsOf(node: KubeObject): string[] {
  const spec = node['spec'] as { podCIDR?: string; podCIDRs?: string[] } | undefined;
  if (spec?.podCIDRs?.length) return spec.podCIDRs;
  return spec?.podCIDR ? [spec.podCIDR] : [];
}

export class RangeAllocator {
  readonly queue: WorkQueue;
  readonly sets: CidrSet[];
  readonly #client: ResourceClient;
  readonly #nodes: Lister;
  readonly #informers: SharedInformerFactory;
  readonly #recorder: EventRecorder | undefined;
  readonly #log: (message: string) => void;
  /** What this allocator knows each node holds, to release it once the node is gone. */
  readonly #assigned = new Map<string, string[]>();

  constructor(options: RangeAllocatorOptions) {
    this.#client = options.client.resource(NODES);
    this.#informers = options.informers;
    this.#recorder = options.recorder;
    this.#log = options.log ?? (() => {});
    this.sets = (options.clusterCIDR ?? DEFAULT_CLUSTER_CIDR)
      .split(',')
      .filter((c) => c.trim())
      .map((c) => new CidrSet(c.trim(), options.nodeCIDRMaskSize));
    this.queue = options.newQueue();
    const informer = options.informers.forResource(NODES);
    this.#nodes = informer.lister;
    const enqueue = (node: KubeObject): void => this.queue.add(node.metadata.name ?? '');
    informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, node) => enqueue(node), onDelete: enqueue });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.#informers.waitForCacheSync(signal);
    this.occupyExisting();
    await runWorkers({
      queue: this.queue,
      sync: (key) => this.sync(key),
      workers: 1,
      signal,
      onError: (key, err) => this.#log(`node ipam ${key}: ${(err as Error).message}`),
    });
  }

  /** Marks the subnets of every known node as used, before any allocation (restart safety). */
  occupyExisting(): void {
    for (const node of this.#nodes.list()) this.#occupy(node);
  }

  #occupy(node: KubeObject): void {
    const name = node.metadata.name ?? '';
    const cidrs = podCIDRsOf(node);
    for (const [i, cidr] of cidrs.entries()) {
      const set = this.sets[i];
      try {
        set?.occupy(cidr);
      } catch (err) {
        this.#log(`node ${name}: pod CIDR ${cidr}: ${(err as Error).message}`);
      }
    }
    if (cidrs.length > 0) this.#assigned.set(name, cidrs);
  }

  async sync(name: string): Promise<void> {
    const node = this.#nodes.get('', name);
    if (!node || node.metadata.deletionTimestamp) {
      const held = this.#assigned.get(name);
      if (held && !node) {
        for (const [i, cidr] of held.entries()) this.sets[i]?.release(cidr);
        this.#assigned.delete(name);
      }
      return;
    }
    if (podCIDRsOf(node).length > 0) {
      if (!this.#assigned.has(name)) this.#occupy(node);
      return;
    }
    const cidrs: string[] = [];
    try {
      for (const set of this.sets) cidrs.push(set.allocateNext());
    } catch (err) {
      cidrs.forEach((c, i) => this.sets[i]?.release(c));
      if (err instanceof CidrSetError && err.code === 'CIDRFull') {
        this.#recorder?.event(node, 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
      }
      throw err;
    }
    try {
      await this.#client.patch('', name, 'merge', { spec: { podCIDR: cidrs[0], podCIDRs: cidrs } });
      this.#assigned.set(name, cidrs);
    } catch (err) {
      cidrs.forEach((c, i) => this.sets[i]?.release(c));
      if (isStatusError(err, 'NotFound')) return;
      this.#recorder?.event(node, 'Normal', 'CIDRAssignmentFailed', `Node ${name} status is now: CIDRAssignmentFailed`);
      throw err;
    }
  }
}
