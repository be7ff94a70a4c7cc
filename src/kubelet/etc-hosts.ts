/**
 * The kubelet-managed /etc/hosts of a pod (kubelet_pods.go managedHostsFileContent,
 * nodeHostsFileContent): a file under the pod's directory, bind-mounted at /etc/hosts in every
 * container that does not mount that path itself. A pod on its own network gets the localhost
 * lines and its IPs with its hostname (and FQDN with a subdomain); a pod on the host network the
 * node's /etc/hosts; both then `# Entries added by HostAliases.` and spec.hostAliases.
 *
 *   writePodHostsFile(file, pod, { podIPs, clusterDomain, nodeHostsFile? }): Promise<void>
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { arr, asObj, objs, str } from '../api/core/access.js';
import type { KubeObject } from '../machinery/object.js';
import { podHostnameAndDomain } from './dns.js';

export const ETC_HOSTS_PATH = '/etc/hosts';
const MANAGED_HEADER = '# Kubernetes-managed hosts file.\n';
const MANAGED_HEADER_HOST_NETWORK = '# Kubernetes-managed hosts file (host network).\n';

export interface HostAlias {
  ip: string;
  hostnames: string[];
}

function hostAliases(pod: KubeObject): HostAlias[] {
  return objs(asObj(pod['spec'])?.['hostAliases']).map((a) => ({ ip: str(a['ip']), hostnames: arr(a['hostnames']).map(String) }));
}

function hostAliasEntries(aliases: readonly HostAlias[]): string {
  if (aliases.length === 0) return '';
  return `\n# Entries added by HostAliases.\n${aliases.map((a) => `${a.ip}\t${a.hostnames.join('\t')}\n`).join('')}`;
}

export function managedHostsFileContent(
  podIPs: readonly string[],
  hostname: string,
  domain: string,
  aliases: readonly HostAlias[],
): string {
  let out = MANAGED_HEADER;
  out += '127.0.0.1\tlocalhost\n';
  out += '::1\tlocalhost ip6-localhost ip6-loopback\n';
  out += 'fe00::0\tip6-localnet\n';
  out += 'fe00::0\tip6-mcastprefix\n';
  out += 'fe00::1\tip6-allnodes\n';
  out += 'fe00::2\tip6-allrouters\n';
  for (const ip of podIPs) out += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  return out + hostAliasEntries(aliases);
}

export function nodeHostsFileContent(nodeHosts: string, aliases: readonly HostAlias[]): string {
  return MANAGED_HEADER_HOST_NETWORK + nodeHosts + hostAliasEntries(aliases);
}

export interface HostsFileOptions {
  podIPs: string[];
  clusterDomain: string;
  /** The node's hosts file, for host-network pods (default /etc/hosts). */
  nodeHostsFile?: string;
}

/** Writes the pod's hosts file in place (a rename would leave running containers on the old file's inode). */
export async function writePodHostsFile(file: string, pod: KubeObject, options: HostsFileOptions): Promise<void> {
  const aliases = hostAliases(pod);
  let content: string;
  if (asObj(pod['spec'])?.['hostNetwork'] === true) {
    content = nodeHostsFileContent(await readFile(options.nodeHostsFile ?? ETC_HOSTS_PATH, 'utf8'), aliases);
  } else {
    const { hostname, domain } = podHostnameAndDomain(pod, options.clusterDomain);
    content = managedHostsFileContent(options.podIPs, hostname, domain, aliases);
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o750 });
  await writeFile(file, content, { mode: 0o644 });
}
