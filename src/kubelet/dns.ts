/**
 * A pod's DNS (pkg/kubelet/network/dns): the resolv.conf its sandbox gets per dnsPolicy —
 * ClusterFirst (and ClusterFirstWithHostNet) the cluster DNS servers, searches
 * `<ns>.svc.<domain> svc.<domain> <domain>` then the node's, `ndots:5`; Default (and
 * ClusterFirst on the host network) the node's resolv.conf; None nothing — then
 * spec.dnsConfig merged in (servers and searches appended without duplicates, options by name),
 * cut to 3 servers and 32 searches. And the pod's hostname and domain (hostname, subdomain).
 */
import { readFile } from 'node:fs/promises';
import { arr, asObj, objs, str } from '../api/core/access.js';
import type { KubeObject } from '../machinery/object.js';
import type { DNSConfig } from './runtime/interface.js';

export interface DNSSettings {
  /** --cluster-dns: the cluster DNS servers (e.g. 10.96.0.10); none: ClusterFirst falls back to Default. */
  clusterDNS: string[];
  /** --cluster-domain (cluster.local). */
  clusterDomain: string;
  /** The node's resolv.conf, parsed (see parseResolvConf). */
  host: DNSConfig;
}

const DEFAULT_OPTIONS = ['ndots:5'];
const MAX_SERVERS = 3;
const MAX_SEARCHES = 32;
const MAX_SEARCH_CHARS = 2048;

function omitDuplicates(list: readonly string[]): string[] {
  return [...new Set(list)];
}

/** Options by name, the later winning; `name:value` or `name`. */
function mergeOptions(existing: readonly string[], extra: readonly { name: string; value?: string }[]): string[] {
  const byName = new Map<string, string>();
  for (const op of existing) {
    const i = op.indexOf(':');
    if (i === -1) byName.set(op, '');
    else byName.set(op.slice(0, i), op.slice(i + 1));
  }
  for (const op of extra) byName.set(op.name, op.value ?? '');
  return [...byName].map(([name, value]) => (value ? `${name}:${value}` : name));
}

/** A resolv.conf's nameservers, search domains (the last `search` line) and options. */
export function parseResolvConf(text: string): DNSConfig {
  const servers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  for (const line of text.split('\n')) {
    const fields = line
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    const [key, ...rest] = fields;
    if (key === 'nameserver' && rest[0]) servers.push(rest[0]);
    else if (key === 'search') searches = rest.filter((s) => s !== '.').map((s) => s.replace(/\.$/, ''));
    else if (key === 'options')
      options = mergeOptions(
        options,
        rest.map((o) => (o.includes(':') ? { name: o.slice(0, o.indexOf(':')), value: o.slice(o.indexOf(':') + 1) } : { name: o })),
      );
  }
  return { servers, searches, options };
}

export const HOST_RESOLV_CONF = '/etc/resolv.conf';
export const SYSTEMD_RESOLVED_RESOLV_CONF = '/run/systemd/resolve/resolv.conf';

/**
 * The node's resolv.conf for pods (the kubelet's --resolv-conf, chosen as k3s does): /etc/resolv.conf,
 * unless its nameservers are all loopback (systemd-resolved's 127.0.0.53, useless inside a pod's
 * network namespace) and systemd-resolved's upstream file exists.
 */
export async function nodeResolvConf(main = HOST_RESOLV_CONF, resolved = SYSTEMD_RESOLVED_RESOLV_CONF): Promise<string> {
  const servers = parseResolvConf(await readFile(main, 'utf8').catch(() => '')).servers;
  const loopbackOnly = servers.length > 0 && servers.every((s) => s.startsWith('127.') || s === '::1');
  if (!loopbackOnly) return main;
  return readFile(resolved, 'utf8').then(
    () => resolved,
    () => main,
  );
}

type DNSType = 'None' | 'Cluster' | 'Host';

function podDNSType(pod: KubeObject): DNSType {
  const spec = asObj(pod['spec']) ?? {};
  switch (str(spec['dnsPolicy'])) {
    case 'None':
      return 'None';
    case 'ClusterFirstWithHostNet':
      return 'Cluster';
    case 'Default':
      return 'Host';
    default:
      return spec['hostNetwork'] === true ? 'Host' : 'Cluster';
  }
}

/** Whether the pod's dnsPolicy asks for the cluster DNS (ClusterFirst off the host network, ClusterFirstWithHostNet). */
export function wantsClusterDNS(pod: KubeObject): boolean {
  return podDNSType(pod) === 'Cluster';
}

/** Keeps at most 32 searches of at most 2048 characters in all, and 3 servers. */
function fitLimits(c: DNSConfig): DNSConfig {
  const searches: string[] = [];
  let chars = 0;
  for (const s of c.searches.slice(0, MAX_SEARCHES)) {
    chars += s.length + (searches.length > 0 ? 1 : 0);
    if (chars > MAX_SEARCH_CHARS) break;
    searches.push(s);
  }
  return { servers: c.servers.slice(0, MAX_SERVERS), searches, options: c.options };
}

/** GetPodDNS: the sandbox's DNSConfig. */
export function podDNSConfig(pod: KubeObject, settings: DNSSettings): DNSConfig {
  let config: DNSConfig = {
    servers: [...settings.host.servers],
    searches: [...settings.host.searches],
    options: [...settings.host.options],
  };
  const type = podDNSType(pod);
  if (type === 'None') config = { servers: [], searches: [], options: [] };
  else if (type === 'Cluster' && settings.clusterDNS.length > 0) {
    const ns = pod.metadata.namespace ?? '';
    const domain = settings.clusterDomain;
    const cluster = domain ? [`${ns}.svc.${domain}`, `svc.${domain}`, domain] : [];
    config = {
      servers: [...settings.clusterDNS],
      searches: omitDuplicates([...cluster, ...config.searches]),
      options: [...DEFAULT_OPTIONS],
    };
  }
  const extra = asObj(asObj(pod['spec'])?.['dnsConfig']);
  if (extra) {
    config = {
      servers: omitDuplicates([...config.servers, ...arr(extra['nameservers']).map(String)]),
      searches: omitDuplicates([...config.searches, ...arr(extra['searches']).map(String)]),
      options: mergeOptions(
        config.options,
        objs(extra['options']).map((o) =>
          typeof o['value'] === 'string' ? { name: str(o['name']), value: o['value'] } : { name: str(o['name']) },
        ),
      ),
    };
  }
  return fitLimits(config);
}

/**
 * GetNodenameForKernel: the sandbox's hostname, the FQDN when spec.setHostnameAsFQDN and the pod
 * has a domain (at most 64 characters, the kernel's nodename field).
 */
export function kernelHostname(pod: KubeObject, clusterDomain: string): string {
  const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
  if (!domain || asObj(pod['spec'])?.['setHostnameAsFQDN'] !== true) return hostname;
  const fqdn = `${hostname}.${domain}`;
  if (fqdn.length > 64) {
    throw new Error(
      `failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (64 characters is the max, ${fqdn.length} characters requested)`,
    );
  }
  return fqdn;
}

/**
 * GeneratePodHostNameAndDomain: spec.hostname or the pod's name (cut to 63 characters without a
 * trailing `-` or `.`), and `<subdomain>.<ns>.svc.<domain>` when spec.subdomain is set.
 */
export function podHostnameAndDomain(pod: KubeObject, clusterDomain: string): { hostname: string; domain: string } {
  const spec = asObj(pod['spec']) ?? {};
  let hostname = str(spec['hostname']) || (pod.metadata.name ?? '');
  if (hostname.length > 63) hostname = hostname.slice(0, 63).replace(/[-.]+$/, '');
  const subdomain = str(spec['subdomain']);
  const domain = subdomain ? `${subdomain}.${pod.metadata.namespace ?? ''}.svc.${clusterDomain}` : '';
  return { hostname, domain };
}
