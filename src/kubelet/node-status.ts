/**
 * The Node a kubelet registers and the status it reports (kubelet_node_status.go and
 * pkg/kubelet/nodestatus setters): labels, capacity/allocatable, the four node conditions with
 * upstream reasons and messages, addresses, daemon endpoints and node info.
 */
import type { Obj } from '../api/core/access.js';
import type { KubeObject } from '../machinery/object.js';
import { rfc3339 } from '../machinery/time.js';
import { hostPlatform } from '../machinery/platform.js';
import type { NodePressure } from './node-pressure.js';

export const KUBELET_VERSION = 'v1.33.0-k8ts';
export const KUBELET_PORT = 10250;

/** What a simulated node offers; strings are resource quantities. */
export interface NodeCapacity {
  cpu: string;
  memory: string;
  pods: string;
  ephemeralStorage: string;
}

export const DEFAULT_CAPACITY: NodeCapacity = { cpu: '32', memory: '256Gi', pods: '110', ephemeralStorage: '1Ti' };

export interface NodeDescription {
  name: string;
  nodeIP: string;
  capacity: NodeCapacity;
  /** e.g. "fake://0.1.0". */
  containerRuntimeVersion: string;
  instanceType: string;
  /** Extra labels (merged over the defaults). */
  labels?: Record<string, string>;
  /** Stable per node: machineID, systemUUID and bootID derive from it unless given. */
  machineID: string;
  /** The node's Hostname address (default: its name); simulated nodes give where their kubelet server is reachable. */
  hostname?: string;
  /** daemonEndpoints.kubeletEndpoint.Port: the kubelet server's real port (default 10250). */
  kubeletPort?: number;
  /** What a real node reads from its host; simulated nodes leave it out. */
  host?: { kernelVersion: string; osImage: string; systemUUID?: string; bootID?: string };
}

/** The kubelet's default node labels (well-known labels). */
export function nodeLabels(d: NodeDescription): Record<string, string> {
  const arch = hostPlatform().architecture;
  return {
    'beta.kubernetes.io/arch': arch,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': arch,
    'kubernetes.io/hostname': d.name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': d.instanceType,
    ...d.labels,
  };
}

function resources(c: NodeCapacity): Record<string, string> {
  return {
    cpu: c.cpu,
    'ephemeral-storage': c.ephemeralStorage,
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: c.memory,
    pods: c.pods,
  };
}

/**
 * What a kubelet knows of its node's health: Ready=False's message (the runtime's or its
 * network's errors, runtime-readiness.ts) and the machine's pressure (node-pressure.ts).
 * Simulated nodes have none of it: Ready, no pressure.
 */
export interface NodeHealth extends Partial<NodePressure> {
  notReady?: string;
}

/**
 * The four conditions of a node, heartbeat `now`, transitions kept from `previous`, as upstream's
 * condition setters: pressure conditions True with their Kubelet* reasons when the machine is
 * under pressure; Ready False with reason KubeletNotReady and `health.notReady` as its message.
 */
export function nodeConditions(now: number, previous: Obj[] = [], health: NodeHealth = {}): Obj[] {
  const { notReady } = health;
  const spec: [string, string, string, string][] = [
    health.memoryPressure
      ? ['MemoryPressure', 'True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available']
      : ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
    health.diskPressure
      ? ['DiskPressure', 'True', 'KubeletHasDiskPressure', 'kubelet has disk pressure']
      : ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
    health.pidPressure
      ? ['PIDPressure', 'True', 'KubeletHasInsufficientPID', 'kubelet has insufficient PID available']
      : ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
    notReady === undefined
      ? ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status']
      : ['Ready', 'False', 'KubeletNotReady', notReady],
  ];
  const t = rfc3339(now);
  return spec.map(([type, status, reason, message]) => {
    const prev = previous.find((c) => c['type'] === type);
    const kept = prev && prev['status'] === status && typeof prev['lastTransitionTime'] === 'string';
    return { type, status, lastHeartbeatTime: t, lastTransitionTime: kept ? prev['lastTransitionTime'] : t, reason, message };
  });
}

export function nodeStatus(d: NodeDescription, now: number, previous: Obj[] = [], health: NodeHealth = {}): Obj {
  const id = d.machineID;
  return {
    capacity: resources(d.capacity),
    allocatable: resources(d.capacity),
    conditions: nodeConditions(now, previous, health),
    addresses: [
      { type: 'InternalIP', address: d.nodeIP },
      { type: 'Hostname', address: d.hostname ?? d.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: d.kubeletPort ?? KUBELET_PORT } },
    nodeInfo: {
      machineID: id,
      systemUUID: d.host?.systemUUID ?? `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`,
      bootID: d.host?.bootID ?? `${id.slice(0, 8)}-b007-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`,
      kernelVersion: d.host?.kernelVersion ?? '6.1.0-k8ts',
      osImage: d.host?.osImage ?? 'k8ts simulated node',
      containerRuntimeVersion: d.containerRuntimeVersion,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: hostPlatform().architecture,
    },
  };
}

/** The Node object a kubelet registers (initialNode). */
export function initialNode(d: NodeDescription, now: number, health: NodeHealth = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: d.name,
      labels: nodeLabels(d),
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: {},
    status: nodeStatus(d, now, [], health),
  };
}
