/**
 * The service proxy of a real node, as `k8ts server` (embedded agent) and `k8ts agent --runtime
 * containerd` run it beside the kubelet: upstream's kube-proxy with its own client (user agent
 * kube-proxy) on the node's kubeconfig, the proxier of `--proxy-mode`, the sync loop, and the
 * health servers (healthcheck/): the proxy's /healthz and /livez on --healthz-bind-address and a
 * server per Service health check node port. What the other kernel mode left on the node (a
 * restart in another --proxy-mode) goes first, as upstream's kube-proxy cleans up at start.
 * Simulated nodes run none.
 *
 *   runNodeProxy(options: NodeProxyOptions, signal: AbortSignal): Promise<void>
 */
import { HttpsClientset } from '../client/rest.js';
import { componentUserAgent } from '../machinery/platform.js';
import { ProxierHealth, startProxierHealthServer } from './healthcheck/proxier-health.js';
import { ServiceHealthServers } from './healthcheck/service-health.js';
import type { ProxyMode } from './interface.js';
import { createProxier } from './proxier-factory.js';
import { removeProxyRules } from './iptables/cleanup.js';
import { removeNftablesRules } from './nftables/cleanup.js';
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
  /** --healthz-bind-address (port 0: a free one); undefined: no /healthz server. */
  healthzBindAddress?: { host: string; port: number } | undefined;
  log?: (message: string) => void;
}

/** upstream's --iptables-sync-period default; twice it is the health timeout. */
const SYNC_PERIOD_MS = 30_000;

export async function runNodeProxy(options: NodeProxyOptions, signal: AbortSignal): Promise<void> {
  const { kubeconfig, mode, minSyncPeriodMs, healthzBindAddress, ...node } = options;
  const log = options.log ?? ((m: string) => console.error(m));
  const proxier = await createProxier(mode, node);
  await removeOtherModesRules(proxier.mode, log);
  const clientset = new HttpsClientset({ kubeconfig, userAgent: componentUserAgent('kube-proxy') });
  const proxierHealth = new ProxierHealth({ healthTimeoutMs: 2 * SYNC_PERIOD_MS });
  const serviceHealth = new ServiceHealthServers({ proxyHealthy: () => proxierHealth.status().healthy, log });
  const healthz = healthzBindAddress
    ? await startProxierHealthServer({ ...healthzBindAddress, health: proxierHealth }).then(
        (server) => {
          log(`service proxy: healthz on ${healthzBindAddress.host}:${server.port}`);
          return server;
        },
        (err: Error) => log(`service proxy: --healthz-bind-address ${healthzBindAddress.host}:${healthzBindAddress.port}: ${err.message}`),
      )
    : undefined;
  try {
    await runServiceProxy(
      {
        clientset,
        nodeName: options.nodeName,
        proxier,
        syncPeriodMs: SYNC_PERIOD_MS,
        health: {
          queued: () => proxierHealth.queued(),
          synced: (state) => {
            proxierHealth.synced();
            serviceHealth.sync(state).catch((err: Error) => log(`service proxy: health check node ports: ${err.message}`));
          },
        },
        ...(minSyncPeriodMs !== undefined ? { minSyncPeriodMs } : {}),
        ...(options.log ? { log: options.log } : {}),
      },
      signal,
    );
  } finally {
    clientset.close();
    await Promise.all([healthz?.close(), serviceHealth.close()]);
  }
}

/** The iptables mode removes the nftables mode's table and the other way round (best effort: the tool may be missing). */
async function removeOtherModesRules(mode: ProxyMode, log: (message: string) => void): Promise<void> {
  const report = (line: string) => log(`service proxy (${mode}): ${line}`);
  if (mode === 'iptables') await removeNftablesRules({ report }).catch(() => {});
  if (mode === 'nftables') await removeProxyRules({ report }).catch(() => {});
}
