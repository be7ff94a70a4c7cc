/**
 * The node engine: the kubelets of one or more nodes in one process, whatever their runtime —
 * simulated nodes (fake-nodes.ts, thousands of FakeRuntimes) and the real node
 * (real-node.ts, one CriRuntime on k8ts' containerd). Everything that would cost per node is
 * shared: one pod informer for all nodes (pods with any spec.nodeName, indexed by it), one nodes
 * informer, one work queue with a bounded number of pod workers, batched heartbeats
 * (node-heartbeat.ts) and one kubelet HTTPS server (server/: logs, stats, exec …).
 *
 *   startNodes(options: NodesOptions, signal: AbortSignal): Promise<Nodes>
 */
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
import { GenericPLEG } from './pleg.js';
import { type NodeGCSpec, runNodeGC } from './gc/node-gc.js';
import { runLocalStorageEviction } from './eviction/local-storage.js';
import { emptyDirPlugin } from './volumes/empty-dir.js';
import { ClientPodObjects } from './pod-objects.js';
import type { NodeDescription, NodeHealth } from './node-status.js';
import type { PodConfigOptions } from './pod-config.js';
import type { Runtime } from './runtime/interface.js';
import type { ProbeNetwork } from './prober/interface.js';
import { StaticPods, isMirrorPod } from './static-pods/static-pods.js';
import { DiskVolumeFilesystem } from './volumes/disk-filesystem.js';
import { VolumeManager } from './volumes/volume-manager.js';
import { startKubeletServer, type KubeletServer, type KubeletServerConfig } from './server/kubelet-server.js';
import { runLocalPathProvisioner } from './local-path/run.js';

const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };
const SERVICES: GroupVersionResource = { group: '', version: 'v1', resource: 'services' };
const NODES: GroupVersionResource = { group: '', version: 'v1', resource: 'nodes' };
const LEASES: GroupVersionResource = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const EVENTS: GroupVersionResource = { group: '', version: 'v1', resource: 'events' };
export const NODE_NAME_INDEX = 'spec.nodeName';

/** One node the engine runs. */
export interface NodeSpec {
  description: NodeDescription;
  runtime: Runtime;
  /** The scheme of its container IDs, e.g. "fake" or "containerd". */
  runtimeName: string;
  /**
   * Called once with spec.podCIDR when node IPAM has set it (e.g. to write the CNI conflist);
   * the node's pods wait until it resolved. Without it, the podCIDR only goes to the runtime.
   */
  onPodCIDR?: (podCIDR: string) => Promise<void>;
  /**
   * How long the node's first pods wait for spec.podCIDR before starting anyway (the runtime's
   * own fallback range); default NodesOptions.podCIDRWaitMs. `Infinity`: pods wait for it.
   */
  podCIDRWaitMs?: number;
  /** Where the node's network probes and hooks go; default real sockets (simulated nodes: prober/network.ts). */
  probeNetwork?: ProbeNetwork;
  /**
   * A real node's kubelet root directory (DATA/kubelet): pod volumes are set up on disk under
   * ROOT/pods/<uid>, and directories of pods that no longer exist are removed at start. Without
   * it (simulated nodes) volumes touch no disk.
   */
  kubeletRootDir?: string;
  /** How often volumes that follow API objects (configMap, secret, downwardAPI, projected) are set up again. */
  volumeResyncMs?: number;
  /** The directory of the node's static pod manifests (DATA/agent/manifests on a real node). */
  staticPodPath?: string;
  /**
   * Asked at registration and every heartbeat: the node's health — Ready=False's message (real
   * nodes: runtimeNotReadyMessage of their runtime) and the machine's pressure (node-pressure.ts).
   * Without it: always Ready, no pressure.
   */
  health?: () => Promise<NodeHealth>;
  /** Relist the runtime this often and sync pods whose containers changed (pleg.ts); real nodes set it. */
  relistPeriodMs?: number;
  /** Garbage-collect dead containers, sandboxes and unused images (gc/node-gc.ts); real nodes set it. */
  garbageCollection?: NodeGCSpec;
  /** The kubelet's DNS and pods' directory settings (allocatable comes from the description). */
  podConfig?: PodConfigOptions;
  /** Pods' log directory root (real nodes: DATA/log/pods); default the virtual /var/log/pods. */
  podLogsDir?: string;
  /** A real node's k8ts.io/local-path volumes (DATA/storage); without it they are simulated (local-path/run.ts). */
  localPathDir?: string;
}

/** The default resync of a real node's API-data volumes: 10 s (upstream: the 1 min sync frequency plus its cache TTL). */
export const DEFAULT_VOLUME_RESYNC_MS = 10_000;

export interface NodesOptions {
  clientset: Clientset;
  /** Share the caller's informers (in-process with the server); otherwise the engine makes its own. */
  informers?: SharedInformerFactory;
  nodes: NodeSpec[];
  /** Default 3 s (see NodeSpec.podCIDRWaitMs). */
  podCIDRWaitMs?: number;
  /** Per-node recorders; by default one EventBroadcaster (component kubelet, host <node>). `null`: no events. */
  recorderFor?: ((nodeName: string) => EventRecorder) | null;
  clock?: Clock;
  /** Concurrent pod syncs across all nodes; default 64. */
  workers?: number;
  renewIntervalMs?: number;
  statusReportMs?: number;
  onError?: (message: string) => void;
  /** The engine's kubelet HTTPS server (server/): one for all its nodes; none without. */
  kubeletServer?: KubeletServerConfig;
  /** The local-path provisioner's own client (an identity of its own); default the kubelets'. */
  localPathClientset?: Clientset;
}

export interface Nodes {
  readonly nodeNames: string[];
  kubelet(nodeName: string): Kubelet | undefined;
  /** The kubelet server, when NodesOptions.kubeletServer asked for one (it stops with the engine). */
  readonly server?: KubeletServer;
  /** Resolves once the signal aborted and the workers returned. */
  readonly done: Promise<void>;
}

const NO_EVENTS: EventRecorder = { event: () => undefined };

/** What the engine keeps per node. */
interface Member {
  spec: NodeSpec;
  kubelet: Kubelet;
  registeredAt: number;
  /** The podCIDR handed to the runtime and onPodCIDR, once. */
  podCIDR?: string;
  /** Set once onPodCIDR resolved (immediately without one). */
  networkReady: boolean;
  /** The node's static pods, with a staticPodPath. */
  statics?: StaticPods;
}

/**
 * How long a pod of a node waits before its next try for the node's pod network; 0: it may
 * start. With spec.podCIDR: until onPodCIDR (the CNI config) is done. Without: up to `waitMs`
 * after registration (node IPAM is usually a moment behind), then on the runtime's fallback;
 * forever when `waitMs` is Infinity. Retries every 250 ms at most.
 */
export function podNetworkWaitMs(n: { podCIDR?: string; networkReady: boolean; waitMs: number; sinceRegisteredMs: number }): number {
  if (n.podCIDR !== undefined) return n.networkReady ? 0 : 250;
  if (n.waitMs === Number.POSITIVE_INFINITY) return 250;
  return n.sinceRegisteredMs < n.waitMs ? Math.min(250, n.waitMs - n.sinceRegisteredMs) : 0;
}

/** Object metadata without what every write changes. */
function withoutVersion(meta: KubeObject['metadata']): object {
  const { resourceVersion: _rv, managedFields: _mf, ...rest } = meta as Record<string, unknown>;
  return rest;
}

/** Registers the nodes, starts their heartbeats and pod workers; resolves once they serve pods. */
export async function startNodes(options: NodesOptions, signal: AbortSignal): Promise<Nodes> {
  const clock = options.clock ?? sharedClock;
  const report = options.onError ?? ((m: string) => console.error(m));
  const names = options.nodes.map((n) => n.description.name);
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
  // the local-path provisioner of the nodes hosted here (each node's disk is its own agent's)
  const provisionerClient = options.localPathClientset ?? options.clientset;
  const provisionerInformers = options.localPathClientset
    ? new InformerFactory({ clientset: provisionerClient, transform: dropManagedFields, onError: (e) => report(`informer: ${String(e)}`) })
    : informers;
  const provisionerEvents =
    options.recorderFor === null ? undefined : new EventBroadcaster({ client: provisionerClient.resource(EVENTS), clock });
  const provisioning = runLocalPathProvisioner(
    {
      clientset: provisionerClient,
      informers: provisionerInformers,
      recorder: provisionerEvents?.newRecorder({ component: 'k8ts.io/local-path' }) ?? NO_EVENTS,
      nodes: new Map(options.nodes.map((n) => [n.description.name, n.localPathDir])),
      report,
    },
    signal,
  );
  const podInformer: SharedInformer = informers.forResource(PODS, {
    fieldSelector: single ? `spec.nodeName=${single}` : 'spec.nodeName!=',
  });
  podInformer.addIndexer(NODE_NAME_INDEX, (pod) => [str(asObj(pod['spec'])?.['nodeName'])]);
  const nodeInformer = informers.forResource(NODES, single ? { fieldSelector: `metadata.name=${single}` } : {});
  const serviceInformer = informers.forResource(SERVICES, {});
  const objects = new ClientPodObjects(options.clientset, serviceInformer.lister);

  const queue = new RateLimitingQueue({ clock, name: 'kubelet' });
  const members = new Map<string, Member>();
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
  for (const spec of options.nodes) {
    const name = spec.description.name;
    spec.runtime.getContainerEvents((e) => {
      const meta = e.podSandboxStatus?.metadata;
      if (e.containerEventType === 'CONTAINER_STOPPED_EVENT' && meta) queue.add(`${meta.namespace}/${meta.name}`);
    }, runtimeEvents.signal);
    const kubelet = new Kubelet({
      nodeName: name,
      nodeIP: spec.description.nodeIP,
      runtime: spec.runtime,
      runtimeName: spec.runtimeName,
      pods,
      recorder: (recorderFor as (n: string) => EventRecorder)(name),
      clock,
      objects,
      requeue: (key, afterMs) => queue.addAfter(key, afterMs),
      ...(spec.probeNetwork ? { probeNetwork: spec.probeNetwork } : {}),
      ...(spec.kubeletRootDir
        ? {
            volumes: new VolumeManager({
              rootDir: spec.kubeletRootDir,
              fs: new DiskVolumeFilesystem(),
              objects,
              clock,
              allocatable: {
                cpu: spec.description.capacity.cpu,
                memory: spec.description.capacity.memory,
                'ephemeral-storage': spec.description.capacity.ephemeralStorage,
              },
              resyncMs: spec.volumeResyncMs ?? DEFAULT_VOLUME_RESYNC_MS,
            }),
          }
        : {}),
      podConfig: {
        allocatable: { cpu: spec.description.capacity.cpu, memory: spec.description.capacity.memory },
        ...spec.podConfig,
      },
      activePods: () => podInformer.lister.byIndex(NODE_NAME_INDEX, name),
      ...(spec.podLogsDir ? { podLogsDir: spec.podLogsDir } : {}),
    });
    members.set(name, { spec, kubelet, registeredAt: 0, networkReady: !spec.onPodCIDR });
    if (spec.staticPodPath) {
      (members.get(name) as Member).statics = new StaticPods({
        nodeName: name,
        dir: spec.staticPodPath,
        pods,
        nodeUID: () => nodeInformer.lister.get('', name)?.metadata.uid,
        onChange: (key) => queue.add(key),
        report: (m) => report(`node ${name}: ${m}`),
      });
    }
  }

  const adoptPodCIDR = (node: KubeObject): void => {
    const member = members.get(node.metadata.name ?? '');
    const cidr = str(asObj(node['spec'])?.['podCIDR']);
    if (!member || !cidr || member.podCIDR === cidr) return;
    const first = member.podCIDR === undefined;
    member.podCIDR = cidr;
    void member.spec.runtime.updateRuntimeConfig({ networkConfig: { podCidr: cidr } }).catch((err: Error) => {
      report(`node ${member.spec.description.name}: runtime config: ${err.message}`);
    });
    if (first && member.spec.onPodCIDR) {
      member.spec.onPodCIDR(cidr).then(
        () => {
          member.networkReady = true;
          heartbeats.checkNow(member.spec.description.name);
        },
        (err: Error) => report(`node ${member.spec.description.name}: pod network on ${cidr}: ${err.message}`),
      );
    }
  };
  nodeInformer.addEventHandler({ onAdd: adoptPodCIDR, onUpdate: (_, n) => adoptPodCIDR(n) });
  const enqueue = (pod: KubeObject): void => {
    if (members.has(str(asObj(pod['spec'])?.['nodeName']))) queue.add(objectKey(pod));
  };
  /** An update that only brings back the status the pod's kubelet wrote (upstream's config source ignores status-only updates). */
  const ownStatusEcho = (old: KubeObject, pod: KubeObject): boolean =>
    members.get(str(asObj(pod['spec'])?.['nodeName']))?.kubelet.wroteStatus(pod) === true &&
    JSON.stringify(old['spec']) === JSON.stringify(pod['spec']) &&
    JSON.stringify(withoutVersion(old.metadata)) === JSON.stringify(withoutVersion(pod.metadata));
  podInformer.addEventHandler({
    onAdd: enqueue,
    onUpdate: (old, p) => {
      if (!ownStatusEcho(old, p)) enqueue(p);
    },
    onDelete: enqueue,
  });

  const server = options.kubeletServer
    ? await startKubeletServer(
        options.kubeletServer,
        {
          nodeNames: names,
          kubelet: (n) => members.get(n)?.kubelet,
          pod: (namespace, name) => {
            const pod = podInformer.lister.get(namespace, name);
            const kubelet = pod && members.get(str(asObj(pod['spec'])?.['nodeName']))?.kubelet;
            return pod && kubelet ? { pod, kubelet } : undefined;
          },
          podsOf: (n) => podInformer.lister.byIndex(NODE_NAME_INDEX, n),
        },
        signal,
        report,
      )
    : undefined;
  if (server) for (const m of members.values()) m.spec.description.kubeletPort = server.port;

  // register (bounded concurrency), then serve pods
  const all = [...members.values()];
  let next = 0;
  const registerWorker = async (): Promise<void> => {
    while (next < all.length && !signal.aborted) {
      const m = all[next++] as Member;
      const node = await heartbeats.register(m.spec.description, m.spec.health);
      m.registeredAt = clock.now();
      adoptPodCIDR(node);
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, all.length) }, registerWorker));
  heartbeats.run(signal);
  for (const m of all) {
    const period = m.spec.relistPeriodMs;
    if (period === undefined) continue;
    const pleg = new GenericPLEG({ runtime: m.spec.runtime, clock, relistPeriodMs: period, onPodChanged: (key) => queue.add(key) });
    pleg.run(signal);
  }
  informers.start(signal);
  if (provisionerInformers !== informers) provisionerInformers.start(signal);
  await Promise.all([podInformer.waitForSync(signal), nodeInformer.waitForSync(signal), serviceInformer.waitForSync(signal)]);
  for (const m of all) {
    const gc = m.spec.garbageCollection;
    if (!gc) continue;
    const name = m.spec.description.name;
    const podExists = (uid: string) =>
      m.kubelet.knowsPodUID(uid) || podInformer.lister.byIndex(NODE_NAME_INDEX, name).some((p) => p.metadata.uid === uid);
    runNodeGC({ ...gc, runtime: m.spec.runtime, podExists, clock, onError: (e) => report(`node ${name}: ${e}`) }, signal);
  }
  // pods' emptyDirs over their sizeLimit are evicted where volumes are on disk
  for (const m of all) {
    if (!m.spec.kubeletRootDir) continue;
    const name = m.spec.description.name;
    runLocalStorageEviction(
      {
        pods: () => podInformer.lister.byIndex(NODE_NAME_INDEX, name),
        emptyDirPath: (uid, volume) => m.kubelet.volumes.volumeDir(uid, emptyDirPlugin, volume),
        evict: (pod, message) => m.kubelet.evictPod(objectKey(pod), pod, message),
        clock,
        onError: (e) => report(`node ${name}: ${e}`),
      },
      signal,
    );
  }

  const withStatics = [...members.values()].filter((m) => m.statics);
  for (const m of withStatics) {
    await m.statics?.refresh();
    void m.statics?.run(signal);
  }

  for (const m of members.values()) {
    if (!m.spec.kubeletRootDir) continue;
    const running = [...podInformer.lister.byIndex(NODE_NAME_INDEX, m.spec.description.name), ...(m.statics?.all() ?? [])];
    const active = new Set(running.map((p) => p.metadata.uid ?? ''));
    await m.kubelet.volumes
      .cleanupOrphanedPodDirs(active)
      .catch((err: Error) => report(`node ${m.spec.description.name}: orphaned pod dirs: ${err.message}`));
  }

  const defaultWaitMs = options.podCIDRWaitMs ?? 3000;
  const networkWait = (m: Member): number =>
    podNetworkWaitMs({ ...m, waitMs: m.spec.podCIDRWaitMs ?? defaultWaitMs, sinceRegisteredMs: clock.now() - m.registeredAt });
  /** A static pod runs from its manifest (its mirror gets the status); a mirror pod without one is deleted. */
  const syncStatic = async (key: string, pod: KubeObject | undefined): Promise<boolean> => {
    for (const m of withStatics) {
      const staticPod = m.statics?.get(key);
      if (m.statics && staticPod) {
        const wait = networkWait(m);
        if (wait > 0) queue.addAfter(key, wait);
        else {
          const mirror = await m.statics.syncMirror(staticPod, pod);
          await m.kubelet.syncPod(key, mirror ? { ...staticPod, status: mirror['status'] } : staticPod, mirror);
        }
        return true;
      }
      if (m.statics && pod && isMirrorPod(pod) && str(asObj(pod['spec'])?.['nodeName']) === m.spec.description.name) {
        await m.statics.deleteMirror(pod);
        if (m.kubelet.hasPod(key)) await m.kubelet.syncPod(key, undefined);
        return true;
      }
    }
    return false;
  };
  const sync = async (key: string): Promise<void> => {
    const [namespace = '', name = ''] = key.split('/');
    const pod = podInformer.lister.get(namespace, name);
    if (await syncStatic(key, pod)) return;
    const nodeName = pod ? str(asObj(pod['spec'])?.['nodeName']) : undefined;
    const owners = nodeName ? [members.get(nodeName)] : [...members.values()].filter((m) => m.kubelet.hasPod(key));
    for (const member of owners) {
      if (!member) continue;
      if (pod && !pod.metadata.deletionTimestamp) {
        const wait = networkWait(member);
        if (wait > 0) {
          queue.addAfter(key, wait);
          return;
        }
      }
      await member.kubelet.syncPod(key, pod);
    }
  };
  const done = runWorkers({
    queue,
    workers: options.workers ?? 64,
    sync,
    signal,
    onError: (key, err) => report(`pod ${key}: ${err instanceof Error ? err.message : String(err)}`),
  })
    .then(() => provisioning)
    .finally(() => {
      broadcaster?.shutdown();
      provisionerEvents?.shutdown();
    });
  return { nodeNames: names, kubelet: (n) => members.get(n)?.kubelet, ...(server ? { server } : {}), done };
}
