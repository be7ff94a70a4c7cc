/**
 * Simulated nodes: N kubelets on the fake runtime in one process, the engine of
 * `k8ts agent --runtime fake` and `k8ts server --fake-nodes N`. What is fake is here — names,
 * node IPs, fallback pod CIDRs, capacity and a FakeRuntime per node; the pod workers, shared
 * informers and heartbeats are the node engine's (nodes.ts), as for the real node.
 */
import { createHash } from 'node:crypto';
import { sharedClock } from './clock.js';
import { DEFAULT_CAPACITY, type NodeCapacity } from './node-status.js';
import { type Nodes, type NodeSpec, type NodesOptions, startNodes } from './nodes.js';
import { FAKE_RUNTIME_NAME, FAKE_RUNTIME_VERSION, FakeRuntime } from './runtime/fake/fake-runtime.js';
import { formatIPv4, parseIPv4 } from './runtime/fake/ip-pool.js';

/** The engine's options (nodes.ts) for the nodes this makes. */
export interface FakeNodesOptions extends Omit<NodesOptions, 'nodes'> {
  count: number;
  namePrefix?: string;
  /** The number of the first node (names are <prefix><index>). */
  firstIndex?: number;
  capacity?: Partial<NodeCapacity>;
  labels?: Record<string, string>;
  /** Node i gets InternalIP nodeIPStart + i. Default 10.240.0.1. */
  nodeIPStart?: string;
  /** Until node IPAM sets spec.podCIDR, node i takes the /24 at fallbackPodCIDRStart + i·256 (after podCIDRWaitMs, default 3 s). */
  fallbackPodCIDRStart?: string;
}

export type FakeNodes = Nodes;

function machineID(name: string): string {
  return createHash('sha256').update(`k8ts-node/${name}`).digest('hex').slice(0, 32);
}

/** Registers the nodes, starts their heartbeats and pod workers; resolves once they serve pods. */
export function startFakeNodes(options: FakeNodesOptions, signal: AbortSignal): Promise<FakeNodes> {
  const { count, namePrefix, firstIndex, capacity: sized, labels, nodeIPStart, fallbackPodCIDRStart, ...engine } = options;
  const clock = options.clock ?? sharedClock;
  const prefix = namePrefix ?? 'fake-node-';
  const first = firstIndex ?? 0;
  const ipBase = parseIPv4(nodeIPStart ?? '10.240.0.1') ?? 0;
  const cidrBase = parseIPv4(fallbackPodCIDRStart ?? '10.128.0.0') ?? 0;
  const capacity: NodeCapacity = { ...DEFAULT_CAPACITY, ...sized };
  const nodes = Array.from({ length: count }, (_, i): NodeSpec => {
    const name = `${prefix}${first + i}`;
    const nodeIP = formatIPv4(ipBase + first + i);
    return {
      description: {
        name,
        nodeIP,
        capacity,
        containerRuntimeVersion: `${FAKE_RUNTIME_NAME}://${FAKE_RUNTIME_VERSION}`,
        instanceType: 'k8ts-fake',
        ...(labels ? { labels } : {}),
        machineID: machineID(name),
        ...(engine.kubeletServer?.hosts[0] ? { hostname: engine.kubeletServer.hosts[0] } : {}),
      },
      runtime: new FakeRuntime({ nodeIP, podCIDR: `${formatIPv4(cidrBase + (first + i) * 256)}/24`, clock }),
      runtimeName: FAKE_RUNTIME_NAME,
    };
  });
  return startNodes({ ...engine, clock, nodes }, signal);
}
