/**
 * The node lifecycle controller (pkg/controller/nodelifecycle): a node whose kubelet stops renewing
 * its Lease (kube-node-lease/<node>) or posting status for the grace period gets Ready (and the
 * pressure conditions) Unknown; nodes get the taints their conditions call for (not-ready and
 * unreachable as NoSchedule and NoExecute, pressure, unschedulable) and lose them when healthy;
 * pods on a node that is not ready are marked not ready. Keys are node names.
 */
import type {
  Clientset,
  EventRecorder,
  GroupVersionResource,
  Lister,
  ResourceClient,
  SharedInformer,
  SharedInformerFactory,
  WorkQueue,
} from '../../client/interface.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { runWorkers } from '../../client/workqueue-workers.js';
import { desiredControllerTaints, type NodeCondition, reconcileTaints, type Taint } from './taints.js';
import { cloneJson } from '../../machinery/clone.js';
import { rfc3339 } from '../../machinery/time.js';

export const NODES: GroupVersionResource = { group: '', version: 'v1', resource: 'nodes' };
export const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };
export const LEASES: GroupVersionResource = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** Index of pods by spec.nodeName, shared with the taint eviction controller. */
export const POD_NODE_NAME_INDEX = 'spec.nodeName';

/** Adds the pods-by-node index once (a second controller on the same informer reuses it). */
export function ensurePodNodeNameIndex(informer: SharedInformer): void {
  try {
    informer.addIndexer(POD_NODE_NAME_INDEX, (pod) => {
      const node = (pod['spec'] as { nodeName?: string } | undefined)?.nodeName;
      return node ? [node] : [];
    });
  } catch {
    // already there
  }
}

export interface NodeLifecycleControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  newQueue: () => WorkQueue;
  recorder: EventRecorder;
  now?: () => number;
  /** --node-monitor-grace-period (40 s). */
  nodeMonitorGracePeriodMs?: number;
  /** --node-startup-grace-period (60 s): for nodes that never posted a Ready condition. */
  nodeStartupGracePeriodMs?: number;
  workers?: number;
  log?: (message: string) => void;
}

/** What was last seen of a node's heartbeats, and when (by this controller's clock). */
interface NodeHealth {
  probeTimestamp: number;
  heartbeat?: string;
  leaseRenewTime?: number;
}

const WATCHED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export function nodeConditions(node: KubeObject): NodeCondition[] {
  return (node['status'] as { conditions?: NodeCondition[] } | undefined)?.conditions ?? [];
}

export class NodeLifecycleController {
  readonly queue: WorkQueue;
  readonly #nodesClient: ResourceClient;
  readonly #podsClient: ResourceClient;
  readonly #informers: SharedInformerFactory;
  readonly #nodes: Lister;
  readonly #leases: Lister;
  readonly #pods: Lister;
  readonly #recorder: EventRecorder;
  readonly #now: () => number;
  readonly #grace: number;
  readonly #startupGrace: number;
  readonly #workers: number;
  readonly #log: (message: string) => void;
  readonly #health = new Map<string, NodeHealth>();

  constructor(options: NodeLifecycleControllerOptions) {
    this.#nodesClient = options.client.resource(NODES);
    this.#podsClient = options.client.resource(PODS);
    this.#informers = options.informers;
    this.#recorder = options.recorder;
    this.#now = options.now ?? Date.now;
    this.#grace = options.nodeMonitorGracePeriodMs ?? 40_000;
    this.#startupGrace = options.nodeStartupGracePeriodMs ?? 60_000;
    this.#workers = options.workers ?? 1;
    this.#log = options.log ?? (() => {});
    this.queue = options.newQueue();
    const nodes = options.informers.forResource(NODES);
    const leases = options.informers.forResource(LEASES);
    const pods = options.informers.forResource(PODS);
    ensurePodNodeNameIndex(pods);
    this.#nodes = nodes.lister;
    this.#leases = leases.lister;
    this.#pods = pods.lister;
    const enqueue = (obj: KubeObject): void => this.queue.add(obj.metadata.name ?? '');
    nodes.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    const enqueueLease = (lease: KubeObject): void => {
      if (lease.metadata.namespace === NODE_LEASE_NAMESPACE) enqueue(lease);
    };
    leases.addEventHandler({ onAdd: enqueueLease, onUpdate: (_o, l) => enqueueLease(l) });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.#informers.waitForCacheSync(signal);
    await runWorkers({
      queue: this.queue,
      sync: (key) => this.sync(key),
      workers: this.#workers,
      signal,
      onError: (key, err) => this.#log(`node lifecycle ${key}: ${(err as Error).message}`),
    });
  }

  async sync(name: string): Promise<void> {
    let node = this.#nodes.get('', name);
    if (!node) {
      this.#health.delete(name);
      return;
    }
    const now = this.#now();
    const observedReady = nodeConditions(node).find((c) => c.type === 'Ready');
    const health = this.#observe(node, observedReady, now);
    const grace = observedReady ? this.#grace : this.#startupGrace;
    const due = health.probeTimestamp + grace;
    if (now >= due) {
      node = await this.#markUnknown(node, now);
    } else {
      // look again when the grace period would run out
      this.queue.addAfter(name, due - now);
    }
    const currentReady = nodeConditions(node).find((c) => c.type === 'Ready');
    if (observedReady?.status === 'True' && currentReady && currentReady.status !== 'True') {
      this.#recorder.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    }
    await this.#updateTaints(node, now);
    if (currentReady && currentReady.status !== 'True') await this.#markPodsNotReady(name, now);
  }

  /** Updates when the node was last heard of: a new Ready heartbeat or a renewed Lease. */
  #observe(node: KubeObject, ready: NodeCondition | undefined, now: number): NodeHealth {
    const name = node.metadata.name ?? '';
    let health = this.#health.get(name);
    if (!health) {
      const created = Date.parse(node.metadata.creationTimestamp ?? '') || now;
      health = { probeTimestamp: ready ? now : created, heartbeat: ready?.lastHeartbeatTime };
      this.#health.set(name, health);
    } else if (ready?.lastHeartbeatTime !== health.heartbeat) {
      health.heartbeat = ready?.lastHeartbeatTime;
      health.probeTimestamp = now;
    }
    const lease = this.#leases.get(NODE_LEASE_NAMESPACE, name);
    const renew = Date.parse((lease?.['spec'] as { renewTime?: string } | undefined)?.renewTime ?? '');
    if (!Number.isNaN(renew) && (health.leaseRenewTime === undefined || renew > health.leaseRenewTime)) {
      health.probeTimestamp = now;
      health.leaseRenewTime = renew;
    }
    return health;
  }

  /** upstream tryUpdateNodeHealth for a stale node: its conditions become Unknown. */
  async #markUnknown(node: KubeObject, now: number): Promise<KubeObject> {
    const next = cloneJson(node);
    const status = ((next['status'] as { conditions?: NodeCondition[] } | undefined) ?? {}) as { conditions?: NodeCondition[] };
    next['status'] = status;
    const conditions = (status.conditions ??= []);
    let changed = false;
    for (const type of WATCHED_CONDITIONS) {
      const cond = conditions.find((c) => c.type === type);
      if (!cond) {
        conditions.push({
          type,
          status: 'Unknown',
          reason: 'NodeStatusNeverUpdated',
          message: 'Kubelet never posted node status.',
          lastHeartbeatTime: node.metadata.creationTimestamp ?? rfc3339(now),
          lastTransitionTime: rfc3339(now),
        });
        changed = true;
      } else if (cond.status !== 'Unknown') {
        Object.assign(cond, {
          status: 'Unknown',
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
          lastTransitionTime: rfc3339(now),
        });
        changed = true;
      }
    }
    if (!changed) return node;
    try {
      return await this.#nodesClient.updateStatus('', next);
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return node;
      throw err;
    }
  }

  /** Sets the taints the node's conditions call for (doNoScheduleTaintingPass + doNoExecuteTaintingPass). */
  async #updateTaints(node: KubeObject, now: number): Promise<void> {
    const spec = (node['spec'] as { taints?: Taint[]; unschedulable?: boolean } | undefined) ?? {};
    const desired = desiredControllerTaints(nodeConditions(node), spec.unschedulable === true);
    const taints = reconcileTaints(spec.taints ?? [], desired, rfc3339(now));
    if (!taints) return;
    const next = cloneJson(node);
    next['spec'] = { ...spec, taints };
    if (taints.length === 0) delete (next['spec'] as { taints?: Taint[] }).taints;
    try {
      await this.#nodesClient.update('', next);
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }

  /** upstream MarkPodsNotReady: the Ready condition of the node's pods goes False. */
  async #markPodsNotReady(nodeName: string, now: number): Promise<void> {
    const errors: unknown[] = [];
    for (const pod of this.#pods.byIndex(POD_NODE_NAME_INDEX, nodeName)) {
      const conditions = (pod['status'] as { conditions?: NodeCondition[] } | undefined)?.conditions ?? [];
      if (conditions.find((c) => c.type === 'Ready')?.status !== 'True') continue;
      const next = cloneJson(pod);
      const ready = (next['status'] as { conditions: NodeCondition[] }).conditions.find((c) => c.type === 'Ready')!;
      ready.status = 'False';
      ready.lastTransitionTime = rfc3339(now);
      try {
        await this.#podsClient.updateStatus(pod.metadata.namespace ?? '', next);
        this.#recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (err) {
        if (!isStatusError(err, 'NotFound')) errors.push(err);
      }
    }
    if (errors.length > 0)
      throw new Error(`marking pods on node ${nodeName} not ready: ${errors.map((e) => (e as Error).message).join('; ')}`);
  }
}
