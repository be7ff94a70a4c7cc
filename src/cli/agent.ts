/**
 * `k8ts agent`: a node agent joining a cluster through a kubeconfig. Today it runs simulated
 * nodes (`--runtime fake --nodes N`); the containerd runtime comes with the real kubelet. SIGTERM
 * or SIGINT stops the heartbeats (the nodes then go NotReady) and exits.
 *
 *   k8ts agent --runtime fake --nodes N --kubeconfig FILE [--node-name-prefix fake-node-]
 *              [--first-index 0] [--cpu 32 --memory 256Gi --max-pods 110] [--events false]
 */
import { parseArgs } from 'node:util';
import type { Clientset, SharedInformerFactory } from '../client/interface.js';
import { HttpsClientset } from '../client/rest.js';
import { type FakeNodes, type FakeNodesOptions, startFakeNodes } from '../kubelet/fake-nodes.js';
import type { NodeCapacity } from '../kubelet/node-status.js';

export interface AgentFlags {
  runtime: 'fake';
  nodes: number;
  kubeconfig: string;
  nodeNamePrefix: string;
  firstIndex: number;
  capacity: Partial<NodeCapacity>;
  events: boolean;
}

function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag}: want a non-negative integer, got "${value}"`);
  return n;
}

export function parseAgentFlags(argv: string[], env: NodeJS.ProcessEnv = process.env): AgentFlags {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      runtime: { type: 'string', default: 'fake' },
      nodes: { type: 'string' },
      kubeconfig: { type: 'string' },
      'node-name-prefix': { type: 'string', default: 'fake-node-' },
      'first-index': { type: 'string' },
      cpu: { type: 'string' },
      memory: { type: 'string' },
      'max-pods': { type: 'string' },
      events: { type: 'string', default: 'true' },
    },
  });
  if (values.runtime !== 'fake') throw new Error(`--runtime: unsupported runtime "${values.runtime}" (supported: fake)`);
  const kubeconfig = values.kubeconfig ?? env['KUBECONFIG']?.split(':')[0];
  if (!kubeconfig) throw new Error('--kubeconfig is required (or set KUBECONFIG)');
  if (values.events !== 'true' && values.events !== 'false') throw new Error(`--events: want true or false, got "${values.events}"`);
  const capacity: Partial<NodeCapacity> = {};
  if (values.cpu) capacity.cpu = values.cpu;
  if (values.memory) capacity.memory = values.memory;
  if (values['max-pods']) capacity.pods = String(positiveInt('max-pods', values['max-pods'], 110));
  return {
    runtime: 'fake',
    nodes: positiveInt('nodes', values.nodes, 1),
    kubeconfig,
    nodeNamePrefix: values['node-name-prefix'] as string,
    firstIndex: positiveInt('first-index', values['first-index'], 0),
    capacity,
    events: values.events === 'true',
  };
}

export interface InProcessFakeNodesOptions {
  /** The server's in-process client (same API semantics as HTTPS). */
  clientset: Clientset;
  /** The server's shared informers, so the pod and node informers are not duplicated. */
  informers?: SharedInformerFactory;
  /** `--fake-nodes N`. */
  nodes: number;
  namePrefix?: string;
  capacity?: Partial<NodeCapacity>;
  events?: boolean;
}

/** For `k8ts server --runtime fake --fake-nodes N`: runs the simulated nodes inside the server until `signal` aborts. */
export function startInProcessFakeNodes(options: InProcessFakeNodesOptions, signal: AbortSignal): Promise<FakeNodes> {
  const o: FakeNodesOptions = {
    clientset: options.clientset,
    count: options.nodes,
    ...(options.informers ? { informers: options.informers } : {}),
    ...(options.namePrefix ? { namePrefix: options.namePrefix } : {}),
    ...(options.capacity ? { capacity: options.capacity } : {}),
    ...(options.events === false ? { recorderFor: null } : {}),
  };
  return startFakeNodes(o, signal);
}

/** `k8ts agent …`: runs until SIGTERM/SIGINT. */
export async function runAgent(argv: string[]): Promise<void> {
  const flags = parseAgentFlags(argv);
  const clientset = HttpsClientset.fromKubeconfig(flags.kubeconfig, { userAgent: 'k8ts-agent/v1.33.0', maxSockets: 64 });
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const nodes = await startFakeNodes(
    {
      clientset,
      count: flags.nodes,
      namePrefix: flags.nodeNamePrefix,
      firstIndex: flags.firstIndex,
      capacity: flags.capacity,
      ...(flags.events ? {} : { recorderFor: null }),
    },
    stop.signal,
  );
  const names = nodes.nodeNames;
  const range = names.length > 1 ? `${names[0]} … ${names.at(-1)}` : (names[0] ?? '');
  console.log(`k8ts agent ready: ${names.length} fake node(s) ${range} on ${clientset.server}`);
  await nodes.done;
  clientset.close();
  process.exit(0);
}
