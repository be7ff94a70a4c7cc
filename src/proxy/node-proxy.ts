/**
 * The service proxy of a real node, as `k8ts server` (embedded agent) and `k8ts agent --runtime
 * containerd` run it beside the kubelet: upstream's kube-proxy with its own client (user agent
 * kube-proxy) on the node's kubeconfig, the proxier of `--proxy-mode`, and the sync loop.
 * Simulated nodes run none.
 *
 *   runNodeProxy(options: NodeProxyOptions, signal: AbortSignal): Promise<void>
 */
import { HttpsClientset } from '../client/rest.js';
import { componentUserAgent } from '../machinery/platform.js';
import type { ProxyMode } from './interface.js';
import { createProxier } from './proxier-factory.js';
import { runServiceProxy } from './run.js';

export interface NodeProxyOptions {
  kubeconfig: string;
  mode: ProxyMode;
  nodeName: string;
  nodeIPs: string[];
  serviceCIDR: string;
  clusterCIDR?: string;
  /** --iptables-min-sync-period in milliseconds (default 1 s). */
  minSyncPeriodMs?: number;
  log?: (message: string) => void;
}

export async function runNodeProxy(options: NodeProxyOptions, signal: AbortSignal): Promise<void> {
  const { kubeconfig, mode, minSyncPeriodMs, ...node } = options;
  const proxier = await createProxier(mode, node);
  const clientset = new HttpsClientset({ kubeconfig, userAgent: componentUserAgent('kube-proxy') });
  try {
    await runServiceProxy(
      {
        clientset,
        nodeName: options.nodeName,
        proxier,
        ...(minSyncPeriodMs !== undefined ? { minSyncPeriodMs } : {}),
        ...(options.log ? { log: options.log } : {}),
      },
      signal,
    );
  } finally {
    clientset.close();
  }
}
