/**
 * The names of the cluster zone, as CoreDNS' kubernetes plugin reads them:
 *
 *   <service>.<ns>.svc.<domain>                     a Service (A/AAAA, CNAME, SRV)
 *   <endpoint>.<service>.<ns>.svc.<domain>          an endpoint by hostname or dashed IP
 *   _<port>._<proto>.<service>.<ns>.svc.<domain>    SRV of a named port
 *   <a-b-c-d>.<ns>.pod.<domain>                     a pod by its IP
 *   d.c.b.a.in-addr.arpa                            PTR of a service or endpoint IP
 */

/** A name inside the cluster domain, split into what it asks for. */
export type ClusterName =
  | { kind: 'apex' }
  | { kind: 'dns-version' }
  /** A name with names below it and no records of its own: svc.<domain>, <ns>.svc.<domain>, _tcp.<svc>… */
  | { kind: 'empty'; namespace?: string; service?: string; protocol?: string }
  | { kind: 'service'; namespace: string; service: string }
  | { kind: 'endpoint'; namespace: string; service: string; endpoint: string }
  | { kind: 'port'; namespace: string; service: string; port: string; protocol: string }
  | { kind: 'pod'; namespace: string; ip: string }
  | { kind: 'none' };

/** Lowercase without the trailing dot. */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Whether `name` (canonical) is `zone` or below it. */
export function inZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

function dashedIPv4(label: string): string | undefined {
  const parts = label.split('-');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number).join('.');
}

/** What a canonical name inside `domain` asks for (call only when inZone(name, domain)). */
export function parseClusterName(name: string, domain: string): ClusterName {
  if (name === domain) return { kind: 'apex' };
  // labels from the zone down: svc, <ns>, <service>, …
  const labels = name
    .slice(0, -(domain.length + 1))
    .split('.')
    .reverse();
  const [top, namespace, third, fourth, fifth, ...rest] = labels;
  if (rest.length > 0) return { kind: 'none' };
  if (top === 'dns-version' && namespace === undefined) return { kind: 'dns-version' };
  if (top === 'pod') {
    if (namespace === undefined) return { kind: 'empty' };
    if (third === undefined) return { kind: 'empty', namespace };
    const ip = dashedIPv4(third);
    return ip && fourth === undefined ? { kind: 'pod', namespace, ip } : { kind: 'none' };
  }
  if (top !== 'svc') return { kind: 'none' };
  if (namespace === undefined) return { kind: 'empty' };
  if (third === undefined) return { kind: 'empty', namespace };
  const service = third;
  if (fourth === undefined) return { kind: 'service', namespace, service };
  if (fourth.startsWith('_')) {
    const protocol = fourth.slice(1);
    if (fifth === undefined) return { kind: 'empty', namespace, service, protocol };
    return fifth.startsWith('_') ? { kind: 'port', namespace, service, protocol, port: fifth.slice(1) } : { kind: 'none' };
  }
  return fifth === undefined ? { kind: 'endpoint', namespace, service, endpoint: fourth } : { kind: 'none' };
}

/** The IPv4 address of a canonical `d.c.b.a.in-addr.arpa` name, or undefined. */
export function reverseIPv4(name: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/.exec(name);
  if (!m) return undefined;
  const octets = [m[4], m[3], m[2], m[1]].map(Number);
  return octets.every((o) => o <= 255) ? octets.join('.') : undefined;
}

/** An endpoint's name under its service: its hostname, else its IP with dashes (10-244-0-5). */
export function endpointName(ip: string, hostname: string | undefined): string {
  return hostname || ip.replaceAll('.', '-').replaceAll(':', '-');
}
