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
import type { HorizontalControllerTimings } from '../controllers/podautoscaler/options.js';
import type { KubeletServerConfig } from '../kubelet/server/kubelet-server.js';
import { startInProcessFakeNodes } from './agent.js';
import {
  type NodeComponentKubeconfigs,
  type NodeServices,
  type RealNodeWithServicesOptions,
  runRealNodeWithServices,
} from './node-services.js';

export interface ComponentsOptions {
  controlPlane?: {
    controllerManagerKubeconfig: string;
    /** --use-service-account-credentials: each controller acts as its own ServiceAccount. */
    useServiceAccountCredentials: boolean;
    schedulerKubeconfig: string;
    clusterCIDR: string;
    nodeMonitorGracePeriodMs: number;
    /** The --horizontal-pod-autoscaler-* flags. */
    horizontalPodAutoscaler?: HorizontalControllerTimings;
    /** --resource-quota-sync-period. */
    resourceQuotaSyncPeriodMs?: number;
    /** What the garbage collector and namespace deletion walk (collectableResources of the served types). */
    resources: GCResource[];
    /** The token controller's signing key and CA (files). */
    serviceAccountPrivateKeyFile?: string;
    rootCAFile?: string;
    /** The CSR signing controller's CA (files). */
    clusterSigningCertFile?: string;
    clusterSigningKeyFile?: string;
    clusterSigningDurationMs?: number;
  };
  fakeNodes?: { kubeconfig: string; nodes: number; kubeletServer?: KubeletServerConfig };
  /** The real node (kubelet/real-node.ts) under DATA/agent, and what runs beside it (node-services.ts). */
  realNode?: { kubeconfig: string; services: NodeServices; identities?: NodeComponentKubeconfigs } & RealNodeWithServicesOptions['node'];
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
          useServiceAccountCredentials: cp.useServiceAccountCredentials,
          resources: cp.resources,
          clusterCIDR: cp.clusterCIDR,
          nodeMonitorGracePeriodMs: cp.nodeMonitorGracePeriodMs,
          ...(cp.serviceAccountPrivateKeyFile ? { serviceAccountPrivateKeyFile: cp.serviceAccountPrivateKeyFile } : {}),
          ...(cp.rootCAFile ? { rootCAFile: cp.rootCAFile } : {}),
          ...(cp.clusterSigningCertFile ? { clusterSigningCertFile: cp.clusterSigningCertFile } : {}),
          ...(cp.clusterSigningKeyFile ? { clusterSigningKeyFile: cp.clusterSigningKeyFile } : {}),
          ...(cp.clusterSigningDurationMs ? { clusterSigningDurationMs: cp.clusterSigningDurationMs } : {}),
          ...(cp.horizontalPodAutoscaler ? { horizontalPodAutoscaler: cp.horizontalPodAutoscaler } : {}),
          ...(cp.resourceQuotaSyncPeriodMs ? { resourceQuotaSyncPeriodMs: cp.resourceQuotaSyncPeriodMs } : {}),
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
    const { kubeconfig, services, identities, ...node } = real;
    running.push(
      runRealNodeWithServices(
        {
          kubeconfig,
          ...(identities ? { identities } : {}),
          clientset,
          node,
          services,
          onReady: (n) => console.error(`k8ts node ${n.nodeName}: registered; runtime on ${n.socket}`),
          report,
        },
        signal,
      )
        .catch(report('node'))
        .finally(() => clientset.close()),
    );
  }
  await Promise.all(running);
}
