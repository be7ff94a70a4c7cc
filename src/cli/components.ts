/**
 * What `k8ts server` runs beside the API server: the controller manager and the scheduler, and
 * simulated nodes with `--runtime fake --fake-nodes N` or this machine as a node with
 * `--runtime containerd`. Each is an API client (DESIGN rule 1)
 * configured by plain data, so the set can run on the server's thread or on a worker thread.
 */
import { componentUserAgent } from '../machinery/platform.js';
import { HttpsClientset } from '../client/rest.js';
import { InformerFactory } from '../client/informer-factory.js';
import { dropManagedFields } from '../client/informer.js';
import type { GroupVersionResource } from '../client/interface.js';
import type { GCResource } from '../controllers/garbage-collector/graph.js';
import { runControllerManager } from '../controllers/manager.js';
import { runScheduler } from '../scheduler/run.js';
import { startRealNode } from '../kubelet/real-node.js';
import { runNetworkPolicy } from '../netpol/run.js';
import type { GarbageCollectionPolicy } from '../kubelet/gc/node-gc.js';
import type { KubeletServerConfig, KubeletServerTLS } from '../kubelet/server/kubelet-server.js';
import type { FlannelBackendType } from '../kubelet/network/interface.js';
import { startInProcessFakeNodes } from './agent.js';
import type { UpstreamAddress } from '../dns/forwarder.js';
import { startNodeDNSBeside } from '../dns/node-dns.js';
import type { IngressFlags } from './ingress-flags.js';
import { startNodeIngress } from './node-ingress.js';
import { firstHostIPv4 } from '../kubelet/host-node.js';
import type { ProxyMode } from '../proxy/interface.js';
import { runNodeProxy } from '../proxy/node-proxy.js';

export interface ComponentsOptions {
  controlPlane?: {
    controllerManagerKubeconfig: string;
    schedulerKubeconfig: string;
    clusterCIDR: string;
    nodeMonitorGracePeriodMs: number;
    /** What the garbage collector and namespace deletion walk (collectableResources of the served types). */
    resources: GCResource[];
  };
  fakeNodes?: { kubeconfig: string; nodes: number; kubeletServer?: KubeletServerConfig };
  /** The real node (kubelet/real-node.ts) under DATA/agent. */
  realNode?: {
    kubeconfig: string;
    dataDir: string;
    nodeName: string;
    nodeIP?: string;
    cniBridge?: string;
    /** --container-runtime-endpoint's socket and --cni-conf-dir. */
    runtimeSocket?: string;
    cniConfDir?: string;
    clusterDNS?: string[];
    clusterDomain?: string;
    garbageCollection?: GarbageCollectionPolicy;
    kubeletServer?: { tls: KubeletServerTLS; port: number };
    /** The node's cluster DNS server (src/dns); none without (--disable-dns). */
    dns?: { upstreams?: UpstreamAddress[]; nodeLocal?: { address: string; kubeDNS: string } };
    /** Enforce NetworkPolicies for the node's pods (netpol/; false: --disable-network-policy). */
    networkPolicy: boolean;
    /** --flannel-backend and --cluster-cidr: the pod network across nodes. */
    podNetwork?: { backend: FlannelBackendType | 'none'; clusterCIDR: string };
    /** The node's ingress controller (src/ingress); none with --disable-ingress. */
    ingress?: IngressFlags;
    /** The node's service proxy (proxy/node-proxy.ts): --proxy-mode, --service-cidr, --cluster-cidr. */
    proxy?: { mode: ProxyMode; serviceCIDR: string; clusterCIDR: string };
  };
}

/**
 * What the scheduler and the controller manager both watch in volume: one informer each for the
 * two (one watch on the apiserver, one decode per event), as one binary's components share a factory.
 */
const SHARED_RESOURCES: readonly GroupVersionResource[] = [
  { group: '', version: 'v1', resource: 'pods' },
  { group: '', version: 'v1', resource: 'nodes' },
];

/** Runs the components until `signal` aborts; a component that fails is reported and the rest go on. */
export async function runComponents(options: ComponentsOptions, signal: AbortSignal): Promise<void> {
  const report = (component: string) => (err: unknown) => console.error(`${component} stopped: ${(err as Error).message}`);
  const running: Promise<void>[] = [];
  const cp = options.controlPlane;
  if (cp) {
    // the shared informers read with the scheduler's identity, which upstream's RBAC
    // (system:kube-scheduler) lets list and watch both resources
    const clientset = new HttpsClientset({
      kubeconfig: cp.schedulerKubeconfig,
      userAgent: componentUserAgent('kube-scheduler'),
    });
    const factory = new InformerFactory({
      clientset,
      transform: dropManagedFields,
      onError: (err) => console.error(`shared informer: ${(err as Error).message}`),
    });
    factory.start(signal);
    const shared = { factory, resources: SHARED_RESOURCES };
    running.push(
      Promise.all([
        runControllerManager({
          kubeconfig: cp.controllerManagerKubeconfig,
          resources: cp.resources,
          clusterCIDR: cp.clusterCIDR,
          nodeMonitorGracePeriodMs: cp.nodeMonitorGracePeriodMs,
          shared,
          signal,
        }).catch(report('controller manager')),
        runScheduler({ kubeconfig: cp.schedulerKubeconfig, shared, signal }).catch(report('scheduler')),
      ]).then(() => clientset.close()),
    );
  }
  const fake = options.fakeNodes;
  if (fake) {
    const clientset = new HttpsClientset({
      kubeconfig: fake.kubeconfig,
      userAgent: componentUserAgent('kubelet'),
      maxSockets: 64,
    });
    running.push(
      startInProcessFakeNodes(
        { clientset, nodes: fake.nodes, events: true, ...(fake.kubeletServer ? { kubeletServer: fake.kubeletServer } : {}) },
        signal,
      )
        .then((nodes) => nodes.done)
        .catch(report('simulated nodes'))
        .finally(() => clientset.close()),
    );
  }
  const real = options.realNode;
  if (real) {
    const clientset = new HttpsClientset({ kubeconfig: real.kubeconfig, userAgent: componentUserAgent('kubelet') });
    const { kubeconfig, networkPolicy, ingress, proxy, dns, ...node } = real;
    const log = (message: string) => console.error(`k8ts network policy: ${message}`);
    if (ingress) running.push(startNodeIngress({ kubeconfig, nodeName: real.nodeName, ...ingress }, signal).catch(report('ingress')));
    running.push(
      Promise.all([
        startRealNode({ clientset, ...node }, signal)
          .then(async (n) => {
            console.error(`k8ts node ${n.nodeName}: registered; runtime on ${n.socket}`);
            const nodeIPs = [real.nodeIP ?? firstHostIPv4() ?? '127.0.0.1'];
            const proxying =
              proxy && runNodeProxy({ kubeconfig, ...proxy, nodeName: n.nodeName, nodeIPs }, signal).catch(report('service proxy'));
            const server = dns ? await startNodeDNSBeside(n, { clientset, clusterDomain: real.clusterDomain, ...dns }, signal) : undefined;
            return Promise.all([n.done, proxying, server?.done]);
          })
          .catch(report('node')),
        runNetworkPolicy({ clientset, nodeName: real.nodeName, enabled: networkPolicy, log }, signal).catch(
          report('network policy controller'),
        ),
      ])
        .then(() => undefined)
        .finally(() => clientset.close()),
    );
  }
  await Promise.all(running);
}
