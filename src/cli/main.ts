/** The k8ts command. */
import { runServer } from './server.js';
import { runAgent } from './agent.js';
import { runImages } from './images.js';
import { runKillall } from './killall.js';
import { runToken } from './token.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const USAGE = `k8ts — Kubernetes, written in TypeScript

Usage:
  k8ts server [flags]    Run a cluster: API server on embedded SQLite
                         --data-dir DIR --bind-address 127.0.0.1 --secure-port 6443
                         --datastore-endpoint URL --service-cidr 10.96.0.0/12
                         --cluster-cidr 10.244.0.0/16 --cluster-domain cluster.local
                         --runtime fake --fake-nodes N   simulated nodes in the server
                         --runtime containerd            this machine as a node (root; containerd,
                                                         runc, CNI plugins, busybox-static)
                         [--node-name NAME --node-ip IP --cni-bridge k8ts0]
                         [--container-runtime-endpoint unix:///SOCKET   a running CRI runtime
                          --cni-conf-dir /etc/cni/net.d]                 and its CNI conf dir
                         [--cluster-dns 10.96.0.10]      pods' DNS server (10th service IP)
                         [--disable-network-policy]      the node enforces no NetworkPolicies
                         [--flannel-backend vxlan]       pods across nodes: vxlan, host-gw, none
                         [--proxy-mode iptables]         the node's service proxy (or nftables, userspace)
                         [--healthz-bind-address 0.0.0.0:10256]  its /healthz ("" disables)
                         [--disable-kube-proxy]          no service proxy on the node
                         [--image-gc-high-threshold 85 --image-gc-low-threshold 80
                          --minimum-image-ttl-duration 2m --maximum-dead-containers-per-container 1
                          --container-gc-period 1m --image-gc-period 5m]  the node's garbage collection
                         --disable-controllers           no controller manager / scheduler
                         --node-monitor-grace-period 40s how long a node may go unheard of
                                                         before it is marked NotReady (Unknown)
                         --cluster-signing-duration 8760h   how long the certificates the CSR
                                                         signer issues are valid
                         --resource-quota-sync-period 5m how often every ResourceQuota's usage
                                                         is recomputed
  k8ts agent [flags]     Run nodes against a cluster
                         --runtime fake --nodes N --kubeconfig FILE
                         [--node-name-prefix fake-node-] [--cpu 32 --memory 256Gi --max-pods 110]
                         --runtime containerd --kubeconfig FILE   this machine as a node (root)
                         [--data-dir DIR --node-name NAME --node-ip IP --cni-bridge k8ts0]
                         [--container-runtime-endpoint unix:///SOCKET --cni-conf-dir DIR]
                         [--cluster-dns 10.96.0.10 --cluster-domain cluster.local]
                         [--disable-network-policy]
                         [--flannel-backend vxlan --cluster-cidr 10.244.0.0/16]
                         [--service-cidr 10.96.0.0/12 --proxy-mode iptables|nftables|userspace]
                         [--healthz-bind-address 0.0.0.0:10256]
                         [--disable-kube-proxy]
                         [the garbage collection flags, as the server's]
                         [--bootstrap-kubeconfig FILE]   TLS bootstrap: the kubelet's own client
                                                         certificate into --kubeconfig first
  k8ts token create [--kubeconfig FILE] [--ttl 24h]   Print a new bootstrap token for joining nodes
                         (the server needs --enable-bootstrap-token-auth)
  k8ts images import FILE…   Import image archives (OCI or docker save) into the node's containerd
  k8ts images list           List the node's images
                         --data-dir DIR (the node's; default as the server's)
                         --container-runtime-endpoint unix:///SOCKET   another containerd
  k8ts killall [--data-dir DIR]   Stop the node under DIR (k8ts, its containerd, every container)
                         and remove its mounts, CNI bridge, pod network, iptables rules
                         and network policy chains; one line each
`;

/**
 * The bundled components thread beside the bundled CLI (dist/); none when this runs from src/,
 * and the components then share the server's thread.
 */
function componentsEntry(): { componentsEntry?: URL } {
  const entry = new URL('./k8ts-components.mjs', import.meta.url);
  return existsSync(fileURLToPath(entry)) ? { componentsEntry: entry } : {};
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'server':
      await runServer(rest, componentsEntry());
      return;
    case 'agent':
      await runAgent(rest);
      return;
    case 'images':
      await runImages(rest);
      return;
    case 'killall':
      await runKillall(rest);
      return;
    case 'token':
      await runToken(rest);
      return;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`unknown command "${command}"\n${USAGE}`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`k8ts: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
