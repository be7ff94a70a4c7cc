/**
 * `k8ts agent`: a node agent joining a cluster through a kubeconfig: simulated nodes
 * (`--runtime fake --nodes N`) or this machine as a real node on k8ts' own containerd
 * (`--runtime containerd`, kubelet/real-node.ts). SIGTERM or SIGINT stops the heartbeats (the
 * nodes then go NotReady) and exits; a real node's containers keep running, as the server's do.
 * With --bootstrap-kubeconfig the kubelet first gets its own client certificate (system:node:<name>)
 * into --kubeconfig through a CertificateSigningRequest (TLS bootstrap); the node's other services
 * (proxy, DNS, network policy, ingress) use that same kubeconfig.
 *
 *   k8ts agent --runtime fake --nodes N --kubeconfig FILE [--bootstrap-kubeconfig FILE (--nodes 1)] [--node-name-prefix fake-node-]
 *              [--first-index 0] [--cpu 32 --memory 256Gi --max-pods 110] [--events false]
 *   k8ts agent --runtime containerd --kubeconfig FILE [--bootstrap-kubeconfig FILE] [--data-dir DIR] [--node-name NAME]
 *              [--node-ip IP] [--cni-bridge k8ts0] [--flannel-backend vxlan|host-gw|none]
 *              [--cluster-cidr 10.244.0.0/16] [--disable-network-policy]
 *              [--proxy-mode iptables|nftables|userspace] [--service-cidr 10.96.0.0/12] [--disable-kube-proxy]
 *              [--healthz-bind-address 0.0.0.0:10256]
 *              [--container-runtime-endpoint unix:///SOCKET [--cni-conf-dir /etc/cni/net.d]]
 *              [--cluster-dns IP,… --cluster-domain cluster.local] [--dns-upstream IP[:PORT],… | --disable-dns]
 *              [--ingress-http-port 80 --ingress-https-port 443 | --disable-ingress]
 *              [--image-gc-high-threshold 85 …, the garbage collection flags (gc-flags.ts)]
 */
import { componentUserAgent } from '../machinery/platform.js';
import type { Clientset, SharedInformerFactory } from '../client/interface.js';
import { HttpsClientset } from '../client/rest.js';
import { realNodeAdvice, realNodeUnavailable } from '../kubelet/containerd/prerequisites.js';
import { type FakeNodes, type FakeNodesOptions, startFakeNodes } from '../kubelet/fake-nodes.js';
import type { NodeCapacity } from '../kubelet/node-status.js';
import { firstHostIPv4, hostNodeName } from '../kubelet/host-node.js';
import type { KubeletServerConfig, KubeletServerTLS } from '../kubelet/server/kubelet-server.js';
import { kubeletServerTLS } from '../kubelet/server/serving-cert.js';
import { loadKubeconfig } from '../client/kubeconfig.js';
import { nodeServices, realNodeOptions, runRealNodeWithServices } from './node-services.js';
import { bootstrapClientCertificate } from '../kubelet/certificate/bootstrap.js';
import { type ContainerdAgentFlags, type FakeAgentFlags, parseAgentFlags } from './agent-flags.js';

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
  kubeletServer?: KubeletServerConfig;
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
    ...(options.kubeletServer ? { kubeletServer: options.kubeletServer } : {}),
  };
  return startFakeNodes(o, signal);
}

/** `k8ts agent …`: runs until SIGTERM/SIGINT. */
export async function runAgent(argv: string[]): Promise<void> {
  const flags = parseAgentFlags(argv);
  if (flags.runtime === 'containerd') {
    // before any connection: a machine that cannot be a node says so in one line
    const unavailable = await realNodeUnavailable();
    if (unavailable) throw new Error(`no node: ${realNodeAdvice(unavailable)}, or use --runtime fake --nodes N`);
  }
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  await (flags.runtime === 'containerd' ? runRealNode(flags, stop.signal) : runFakeNodes(flags, stop.signal));
  process.exit(0);
}

/**
 * A remote agent's kubelet server TLS: self-signed (the apiserver does not verify it), letting in
 * clients of the CA the kubeconfig trusts (the cluster CA signs the apiserver's kubelet-client).
 */
async function agentKubeletTLS(kubeconfig: string, host: string, names: string[]): Promise<KubeletServerTLS> {
  const ca = loadKubeconfig(kubeconfig).ca;
  if (!ca) throw new Error(`${kubeconfig}: no certificate authority to check the apiserver's kubelet-client certificate`);
  return kubeletServerTLS(host, names, ca.toString());
}

/** --bootstrap-kubeconfig: the kubelet's own client certificate into --kubeconfig first. */
async function bootstrapIdentity(flags: FakeAgentFlags | ContainerdAgentFlags, nodeName: string, signal: AbortSignal): Promise<void> {
  if (!flags.bootstrapKubeconfig) return;
  const { kubeconfig, bootstrapKubeconfig } = flags;
  if (await bootstrapClientCertificate({ kubeconfig, bootstrapKubeconfig, nodeName, signal })) {
    console.log(`k8ts agent: client certificate of system:node:${nodeName} written to ${kubeconfig}`);
  }
}

async function runFakeNodes(flags: FakeAgentFlags, signal: AbortSignal): Promise<void> {
  await bootstrapIdentity(flags, `${flags.nodeNamePrefix}${flags.firstIndex}`, signal);
  const clientset = HttpsClientset.fromKubeconfig(flags.kubeconfig, { userAgent: 'k8ts-agent/v1.33.0', maxSockets: 64 });
  const hostIP = firstHostIPv4() ?? '127.0.0.1';
  const nodes = await startFakeNodes(
    {
      clientset,
      count: flags.nodes,
      namePrefix: flags.nodeNamePrefix,
      firstIndex: flags.firstIndex,
      capacity: flags.capacity,
      ...(flags.events ? {} : { recorderFor: null }),
      kubeletServer: {
        tls: await agentKubeletTLS(flags.kubeconfig, hostNodeName(), [hostIP]),
        port: flags.kubeletPort,
        hosts: [hostIP, '127.0.0.1'],
      },
    },
    signal,
  );
  const names = nodes.nodeNames;
  const range = names.length > 1 ? `${names[0]} … ${names.at(-1)}` : (names[0] ?? '');
  console.log(`k8ts agent ready: ${names.length} fake node(s) ${range} on ${clientset.server}`);
  await nodes.done;
  clientset.close();
}

/** This machine as a node of the cluster the kubeconfig names, on k8ts' own containerd under DATA/agent. */
async function runRealNode(flags: ContainerdAgentFlags, signal: AbortSignal): Promise<void> {
  const nodeName = flags.nodeName ?? hostNodeName();
  await bootstrapIdentity(flags, nodeName, signal);
  const clientset = HttpsClientset.fromKubeconfig(flags.kubeconfig, { userAgent: componentUserAgent('kubelet') });
  try {
    await runRealNodeWithServices(
      {
        kubeconfig: flags.kubeconfig,
        clientset,
        node: {
          ...realNodeOptions(flags, nodeName),
          kubeletServer: {
            tls: await agentKubeletTLS(flags.kubeconfig, nodeName, [flags.nodeIP ?? firstHostIPv4() ?? '127.0.0.1']),
            port: flags.kubeletPort,
          },
        },
        services: nodeServices(flags, flags.clusterDNS[0] ?? '10.96.0.10'),
        onReady: (node) => console.log(`k8ts agent ready: node ${node.nodeName} on ${clientset.server}; runtime on ${node.socket}`),
        report: (component) => (err) => console.error(`${component} stopped: ${(err as Error).message}`),
      },
      signal,
    );
  } finally {
    clientset.close();
  }
}
