/** Builders for scheduler unit tests: nodes, pods, and a framework over an in-memory cache. */
import type { Selector } from '../../machinery/labels.js';
import { SchedulerCache } from '../cache/cache.js';
import { CycleState } from '../framework/cycle-state.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { VolumeListers } from '../framework/interface.js';
import { PodInfo } from '../framework/pod-info.js';
import { Framework } from '../framework/runtime.js';
import { DEFAULT_PLUGINS, inTreeRegistry, type PluginConfig } from '../registry.js';
import {
  LABEL_HOSTNAME,
  type Affinity,
  type Container,
  type Node,
  type Pod,
  type PodDisruptionBudget,
  type Taint,
  type Toleration,
} from '../types.js';

export interface NodeSpecInput {
  cpu?: string;
  memory?: string;
  pods?: number;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
}

export function makeNode(name: string, o: NodeSpecInput = {}): Node {
  const allocatable = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: String(o.pods ?? 110) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `node-uid-${name}`, labels: { [LABEL_HOSTNAME]: name, ...o.labels } },
    spec: { taints: o.taints, unschedulable: o.unschedulable },
    status: { allocatable, capacity: allocatable },
  };
}

export interface PodSpecInput {
  namespace?: string;
  cpu?: string;
  memory?: string;
  nodeName?: string;
  labels?: Record<string, string>;
  priority?: number;
  tolerations?: Toleration[];
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  hostPorts?: number[];
  containers?: Container[];
  initContainers?: Container[];
  overhead?: Record<string, string>;
  topologySpreadConstraints?: Pod['spec']['topologySpreadConstraints'];
  preemptionPolicy?: string;
  nominatedNodeName?: string;
  startTime?: string;
  schedulerName?: string;
}

export function makePod(name: string, o: PodSpecInput = {}): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests['cpu'] = o.cpu;
  if (o.memory) requests['memory'] = o.memory;
  const ports = (o.hostPorts ?? []).map((p) => ({ containerPort: p, hostPort: p }));
  const containers = o.containers ?? [{ name: 'c', image: 'nginx', resources: { requests }, ports }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.namespace ?? 'default', uid: `uid-${o.namespace ?? 'default'}-${name}`, labels: o.labels },
    spec: {
      containers,
      initContainers: o.initContainers,
      overhead: o.overhead,
      nodeName: o.nodeName,
      priority: o.priority ?? 0,
      tolerations: o.tolerations,
      nodeSelector: o.nodeSelector,
      affinity: o.affinity,
      topologySpreadConstraints: o.topologySpreadConstraints,
      preemptionPolicy: o.preemptionPolicy,
      schedulerName: o.schedulerName ?? 'default-scheduler',
    },
    status: { phase: o.nodeName ? 'Running' : 'Pending', nominatedNodeName: o.nominatedNodeName, startTime: o.startTime },
  };
}

export interface TestCluster {
  cache: SchedulerCache;
  fwk: Framework;
  node(name: string): NodeInfo;
}

/** A cache with these nodes and bound pods, and a framework of `plugins` (default: the default profile). */
export function newCluster(
  nodes: Node[],
  pods: Pod[] = [],
  o: {
    plugins?: readonly PluginConfig[];
    defaultSelector?: (pod: Pod) => Selector;
    namespaceLabels?: (ns: string) => Record<string, string> | undefined;
    podDisruptionBudgets?: PodDisruptionBudget[];
    volumeListers?: VolumeListers;
  } = {},
): TestCluster {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.addNode(n);
  for (const p of pods) cache.addPod(p);
  const fwk = new Framework({
    registry: inTreeRegistry,
    plugins: o.plugins ?? DEFAULT_PLUGINS,
    schedulerName: 'default-scheduler',
    snapshot: () => cache,
    defaultSelector: o.defaultSelector,
    namespaceLabels: o.namespaceLabels,
    podDisruptionBudgets: () => o.podDisruptionBudgets ?? [],
    ...(o.volumeListers ? { volumeListers: o.volumeListers } : {}),
  });
  return {
    cache,
    fwk,
    node: (name) => {
      const ni = cache.get(name);
      if (!ni) throw new Error(`no node ${name}`);
      return ni;
    },
  };
}

/** Runs PreFilter then Filter of the cluster's framework on one node; the rejection reasons ('' = fits). */
export function filterReasons(c: TestCluster, pod: Pod, nodeName: string): string {
  const state = new CycleState();
  const pi = new PodInfo(pod);
  const pre = c.fwk.runPreFilterPlugins(state, pi, c.cache.list());
  if (!pre.status.isSuccess()) return pre.status.message();
  return c.fwk.runFilterPlugins(state, pi, c.node(nodeName)).message();
}

/** PreScore + Score (normalized, weighted) of every node; name → total. */
export function scores(c: TestCluster, pod: Pod): Record<string, number> {
  const state = new CycleState();
  const pi = new PodInfo(pod);
  const nodes = c.cache.list();
  c.fwk.runPreFilterPlugins(state, pi, nodes);
  c.fwk.runPreScorePlugins(state, pi, nodes);
  const totals = c.fwk.runScorePlugins(state, pi, nodes);
  return Object.fromEntries(nodes.map((n, i) => [n.name, totals[i]!]));
}
