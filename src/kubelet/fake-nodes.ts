/**
 * Simulated nodes: N kubelets on the fake runtime in one process, the engine of
 * `k8ts agent --runtime fake` and `k8ts server --fake-nodes N`. Everything that would cost per
 * node is shared: one pod informer for all nodes (pods with any spec.nodeName, indexed by it),
 * one nodes informer, one work queue with a bounded number of pod workers, one timer heap for
 * container exits and requeues, and batched heartbeats (node-heartbeat.ts).
 */
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { asObj, str } from '../api/core/access.js';
import { EventBroadcaster } from '../client/events.js';
import { InformerFactory } from '../client/informer-factory.js';
import { dropManagedFields } from '../client/informer.js';
import type { Clientset, EventRecorder, GroupVersionResource, SharedInformer, SharedInformerFactory } from '../client/interface.js';
import { objectKey } from '../client/interface.js';
import { runWorkers } from '../client/workqueue-workers.js';
import { RateLimitingQueue } from '../client/workqueue.js';
import type { KubeObject } from '../machinery/object.js';
import { type Clock, sharedClock } from './clock.js';
import { Kubelet } from './kubelet.js';
import { NodeHeartbeats } from './node-heartbeat.js';
import { DEFAULT_CAPACITY, type NodeCapacity, type NodeDescription } from './node-status.js';
import { FAKE_RUNTIME_NAME, FAKE_RUNTIME_VERSION, FakeRuntime } from './runtime/fake/fake-runtime.js';
import { formatIPv4, parseIPv4 } from './runtime/fake/ip-pool.js';

const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };
const NODES: GroupVersionResource = { group: '', version: 'v1', resource: 'nodes' };
const LEASES: GroupVersionResource = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const EVENTS: GroupVersionResource = { group: '', version: 'v1', resource: 'events' };
export const NODE_NAME_INDEX = 'spec.nodeName';

export interface FakeNodesOptions {
  clientset: Clientset;
  /** Share the caller's informers (in-process with the server); otherwise the agent makes its own. */
  informers?: SharedInformerFactory;
  count: number;
  namePrefix?: string;
  /** The number of the first node (names are <prefix><index>). */
  firstIndex?: number;
  capacity?: Partial<NodeCapacity>;
  labels?: Record<string, string>;
  /** Node i gets InternalIP nodeIPStart + i. Default 10.240.0.1. */
  nodeIPStart?: string;
  /** Until node IPAM sets spec.podCIDR, node i takes the /24 at fallbackPodCIDRStart + i·256. */
  fallbackPodCIDRStart?: string;
  /** How long a new node waits for spec.podCIDR before starting pods on the fallback; default 3 s. */
  podCIDRWaitMs?: number;
  /** Per-node recorders; by default one EventBroadcaster (component kubelet, host <node>). `null`: no events. */
  recorderFor?: ((nodeName: string) => EventRecorder) | null;
  clock?: Clock;
  /** Concurrent pod syncs across all nodes; default 64. */
  workers?: number;
  renewIntervalMs?: number;
  statusReportMs?: number;
  onError?: (message: string) => void;
}

export interface FakeNodes {
  readonly nodeNames: string[];
  kubelet(nodeName: string): Kubelet | undefined;
  /** Resolves once the signal aborted and the workers returned. */
  readonly done: Promise<void>;
}

const NO_EVENTS: EventRecorder = { event: () => undefined };

function machineID(name: string): string {
  return createHash('sha256').update(`k8ts-node/${name}`).digest('hex').slice(0, 32);
}

/** Registers the nodes, starts their heartbeats and pod workers; resolves once they serve pods. */
export async function startFakeNodes(options: FakeNodesOptions, signal: AbortSignal): Promise<FakeNodes> {
  const clock = options.clock ?? sharedClock;
  const report = options.onError ?? ((m: string) => console.error(m));
  const prefix = options.namePrefix ?? 'fake-node-';
  const first = options.firstIndex ?? 0;
  const ipBase = parseIPv4(options.nodeIPStart ?? '10.240.0.1') ?? 0;
  const cidrBase = parseIPv4(options.fallbackPodCIDRStart ?? '10.128.0.0') ?? 0;
  const capacity: NodeCapacity = { ...DEFAULT_CAPACITY, ...options.capacity };
  const names = Array.from({ length: options.count }, (_, i) => `${prefix}${first + i}`);
  const single = names.length === 1 ? names[0] : undefined;

  let broadcaster: EventBroadcaster | undefined;
  let recorderFor = options.recorderFor ?? undefined;
  if (options.recorderFor === null) recorderFor = () => NO_EVENTS;
  if (!recorderFor) {
    const b = new EventBroadcaster({ client: options.clientset.resource(EVENTS), clock });
    broadcaster = b;
    recorderFor = (host) => b.newRecorder({ component: 'kubelet', host });
  }

  const informers =
    options.informers ??
    new InformerFactory({ clientset: options.clientset, transform: dropManagedFields, onError: (e) => report(`informer: ${String(e)}`) });
  const podInformer: SharedInformer = informers.forResource(PODS, {
    fieldSelector: single ? `spec.nodeName=${single}` : 'spec.nodeName!=',
  });
  podInformer.addIndexer(NODE_NAME_INDEX, (pod) => [str(asObj(pod['spec'])?.['nodeName'])]);
  const nodeInformer = informers.forResource(NODES, single ? { fieldSelector: `metadata.name=${single}` } : {});

  const queue = new RateLimitingQueue({ clock, name: 'kubelet' });
  const kubelets = new Map<string, Kubelet>();
  const registeredAt = new Map<string, number>();
  const pods = options.clientset.resource(PODS);
  const heartbeats = new NodeHeartbeats({
    nodes: options.clientset.resource(NODES),
    leases: options.clientset.resource(LEASES),
    clock,
    nodeLister: nodeInformer.lister,
    ...(options.renewIntervalMs ? { renewIntervalMs: options.renewIntervalMs } : {}),
    ...(options.statusReportMs ? { statusReportMs: options.statusReportMs } : {}),
    onError: (name, err) => report(`node ${name}: ${err instanceof Error ? err.message : String(err)}`),
  });

  // one abort listener on the caller's signal, however many runtimes subscribe
  const runtimeEvents = new AbortController();
  setMaxListeners(0, runtimeEvents.signal);
  signal.addEventListener('abort', () => runtimeEvents.abort(), { once: true });
  const descriptions: NodeDescription[] = names.map((name, i) => {
    const nodeIP = formatIPv4(ipBase + first + i);
    const runtime = new FakeRuntime({ nodeIP, podCIDR: `${formatIPv4(cidrBase + (first + i) * 256)}/24`, clock });
    runtime.getContainerEvents((e) => {
      const meta = e.podSandboxStatus?.metadata;
      if (e.containerEventType === 'CONTAINER_STOPPED_EVENT' && meta) queue.add(`${meta.namespace}/${meta.name}`);
    }, runtimeEvents.signal);
    kubelets.set(
      name,
      new Kubelet({
        nodeName: name,
        nodeIP,
        runtime,
        runtimeName: FAKE_RUNTIME_NAME,
        pods,
        recorder: (recorderFor as (n: string) => EventRecorder)(name),
        clock,
        requeue: (key, afterMs) => queue.addAfter(key, afterMs),
      }),
    );
    return {
      name,
      nodeIP,
      capacity,
      containerRuntimeVersion: `${FAKE_RUNTIME_NAME}://${FAKE_RUNTIME_VERSION}`,
      instanceType: 'k8ts-fake',
      ...(options.labels ? { labels: options.labels } : {}),
      machineID: machineID(name),
    };
  });

  const adoptPodCIDR = (node: KubeObject): void => {
    const kubelet = kubelets.get(node.metadata.name ?? '');
    const cidr = str(asObj(node['spec'])?.['podCIDR']);
    if (kubelet && cidr) void kubelet.runtime.updateRuntimeConfig({ networkConfig: { podCidr: cidr } });
  };
  nodeInformer.addEventHandler({ onAdd: adoptPodCIDR, onUpdate: (_, n) => adoptPodCIDR(n) });
  const enqueue = (pod: KubeObject): void => {
    if (kubelets.has(str(asObj(pod['spec'])?.['nodeName']))) queue.add(objectKey(pod));
  };
  podInformer.addEventHandler({ onAdd: enqueue, onUpdate: (_, p) => enqueue(p), onDelete: enqueue });

  // register (bounded concurrency), then serve pods
  let next = 0;
  const registerWorker = async (): Promise<void> => {
    while (next < descriptions.length && !signal.aborted) {
      const d = descriptions[next++] as NodeDescription;
      const node = await heartbeats.register(d);
      registeredAt.set(d.name, clock.now());
      adoptPodCIDR(node);
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, descriptions.length) }, registerWorker));
  heartbeats.run(signal);
  informers.start(signal);
  await Promise.all([podInformer.waitForSync(signal), nodeInformer.waitForSync(signal)]);

  const podCIDRWaitMs = options.podCIDRWaitMs ?? 3000;
  const sync = async (key: string): Promise<void> => {
    const [namespace = '', name = ''] = key.split('/');
    const pod = podInformer.lister.get(namespace, name);
    const nodeName = pod ? str(asObj(pod['spec'])?.['nodeName']) : undefined;
    const owners = nodeName ? [kubelets.get(nodeName)] : [...kubelets.values()].filter((k) => k.hasPod(key));
    for (const kubelet of owners) {
      if (!kubelet) continue;
      if (pod && !pod.metadata.deletionTimestamp) {
        // give node IPAM a moment to set spec.podCIDR before the first sandbox
        const node = nodeInformer.lister.get('', kubelet.nodeName);
        const since = clock.now() - (registeredAt.get(kubelet.nodeName) ?? 0);
        if (!str(asObj(node?.['spec'])?.['podCIDR']) && since < podCIDRWaitMs) {
          queue.addAfter(key, Math.min(250, podCIDRWaitMs - since));
          return;
        }
      }
      await kubelet.syncPod(key, pod);
    }
  };
  const done = runWorkers({
    queue,
    workers: options.workers ?? 64,
    sync,
    signal,
    onError: (key, err) => report(`pod ${key}: ${err instanceof Error ? err.message : String(err)}`),
  }).finally(() => broadcaster?.shutdown());
  return { nodeNames: names, kubelet: (n) => kubelets.get(n), done };
}
