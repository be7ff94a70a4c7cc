/**
 * The cluster zone from the Service and EndpointSlice listers, answering what CoreDNS'
 * kubernetes plugin answers (pods "insecure": a pod name is its IP with dashes, checked by
 * nobody): a Service's cluster IPs (A/AAAA), a headless Service's ready endpoints, endpoint
 * names (hostname, else the dashed IP), SRV for named ports, ExternalName as a CNAME, PTR for
 * service and endpoint IPs, the zone's SOA on NXDOMAIN and NODATA. Records live 5 s (the
 * plugin's default ttl), as does a negative answer (the SOA's minimum).
 */
import type { Answer, Question } from 'dns-packet';
import { arr, asObj, objs, str, strMap } from '../api/core/access.js';
import type { IndexFunc, Lister } from '../client/interface.js';
import type { KubeObject } from '../machinery/object.js';
import type { ClusterZone, ZoneAnswer } from './interface.js';
import { canonicalName, endpointName, inZone, parseClusterName, reverseIPv4 } from './names.js';

/** The EndpointSlice label naming its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** Index of the EndpointSlice lister: `namespace/service`. */
export const SLICES_BY_SERVICE = 'dns:service';
/** Index of the EndpointSlice lister: every endpoint address. */
export const SLICES_BY_ADDRESS = 'dns:address';
/** Index of the Service lister: every cluster IP. */
export const SERVICES_BY_CLUSTER_IP = 'dns:clusterIP';

/** What takes an index (an informer, or an Indexer in tests). */
type Indexed = { addIndexer(name: string, fn: IndexFunc): void };

/** The informers' indexers ClusterRecords reads through. */
export function addClusterDNSIndexers(services: Indexed, endpointSlices: Indexed): void {
  services.addIndexer(SERVICES_BY_CLUSTER_IP, (svc) => clusterIPsOf(svc));
  endpointSlices.addIndexer(SLICES_BY_SERVICE, (slice) => {
    const service = strMap(slice.metadata.labels)[SERVICE_NAME_LABEL];
    return service ? [`${slice.metadata.namespace ?? ''}/${service}`] : [];
  });
  endpointSlices.addIndexer(SLICES_BY_ADDRESS, (slice) => objs(slice['endpoints']).flatMap((ep) => arr(ep['addresses']).map(str)));
}

function clusterIPsOf(svc: KubeObject): string[] {
  const spec = asObj(svc['spec']) ?? {};
  const ips = arr(spec['clusterIPs']).map(str);
  const all = ips.length > 0 ? ips : [str(spec['clusterIP'])];
  return all.filter((ip) => ip !== '' && ip !== 'None');
}

/** One endpoint of a Service as DNS sees it. */
interface DNSEndpoint {
  ip: string;
  /** Its name under the Service: hostname, else the dashed IP. */
  name: string;
  ports: { name: string; port: number; protocol: string }[];
}

export interface ClusterRecordsOptions {
  /** --cluster-domain (cluster.local). */
  domain: string;
  services: Lister;
  /** With addClusterDNSIndexers' indexes. */
  endpointSlices: Lister;
  /** Milliseconds since the epoch (the SOA's serial is the Unix time of the last change, as CoreDNS gives it). */
  now?: () => number;
}

const TTL = 5;

/** dns-packet decodes type 255 as ANY, which its types do not list. */
function isAny(q: Question): boolean {
  return (q.type as string) === 'ANY';
}

export class ClusterRecords implements ClusterZone {
  readonly domain: string;
  readonly #services: Lister;
  readonly #slices: Lister;
  readonly #now: () => number;
  #serial: number;
  #generation = 0;

  constructor(options: ClusterRecordsOptions) {
    this.domain = canonicalName(options.domain);
    this.#services = options.services;
    this.#slices = options.endpointSlices;
    this.#now = options.now ?? Date.now;
    this.#serial = Math.floor(this.#now() / 1000);
  }

  get generation(): number {
    return this.#generation;
  }

  /** Tells the zone its listers changed (the informers' event handlers call it). */
  noteChange(): void {
    this.#generation++;
    this.#serial = Math.floor(this.#now() / 1000);
  }

  answer(question: Question): ZoneAnswer | undefined {
    const name = canonicalName(question.name);
    if (inZone(name, this.domain)) return this.#clusterName(question, name);
    if (question.type !== 'PTR') return undefined;
    const ip = reverseIPv4(name);
    const targets = ip ? this.#reverse(ip) : [];
    if (targets.length === 0) return undefined;
    return this.#found(targets.map((data) => ({ type: 'PTR', name: question.name, ttl: TTL, class: 'IN', data })));
  }

  #clusterName(q: Question, name: string): ZoneAnswer {
    const parsed = parseClusterName(name, this.domain);
    switch (parsed.kind) {
      case 'apex':
        if (q.type === 'SOA') return this.#found([this.#soa()]);
        if (q.type === 'NS') return this.#found([{ type: 'NS', name: q.name, ttl: TTL, class: 'IN', data: `ns.dns.${this.domain}` }]);
        return this.#nodata();
      case 'dns-version':
        return q.type === 'TXT' ? this.#found([{ type: 'TXT', name: q.name, ttl: TTL, class: 'IN', data: '1.1.0' }]) : this.#nodata();
      case 'empty': {
        if (parsed.namespace === undefined) return this.#nodata();
        if (parsed.service === undefined) return this.#services.list(parsed.namespace).length > 0 ? this.#nodata() : this.#nxdomain();
        return this.#services.get(parsed.namespace, parsed.service) ? this.#nodata() : this.#nxdomain();
      }
      case 'pod':
        return q.type === 'A' || isAny(q) ? this.#found([this.#address(q.name, parsed.ip)]) : this.#nodata();
      case 'service':
        return this.#service(q, parsed.namespace, parsed.service);
      case 'endpoint':
        return this.#endpoint(q, parsed.namespace, parsed.service, parsed.endpoint);
      case 'port':
        return this.#port(q, parsed.namespace, parsed.service, parsed.port, parsed.protocol);
      case 'none':
        return this.#nxdomain();
    }
  }

  #service(q: Question, namespace: string, name: string): ZoneAnswer {
    const svc = this.#services.get(namespace, name);
    if (!svc) return this.#nxdomain();
    const spec = asObj(svc['spec']) ?? {};
    if (spec['type'] === 'ExternalName') {
      const target = canonicalName(str(spec['externalName']));
      return this.#found([{ type: 'CNAME', name: q.name, ttl: TTL, class: 'IN', data: target }]);
    }
    const clusterIPs = clusterIPsOf(svc);
    const headless = clusterIPs.length === 0;
    const endpoints = headless ? this.#endpoints(svc) : [];
    // a headless Service without ready endpoints has no records at all (CoreDNS: NXDOMAIN)
    if (headless && endpoints.length === 0) return this.#nxdomain();
    if (q.type === 'SRV') return this.#srv(svc, endpoints, undefined, undefined);
    const ips = headless ? endpoints.map((e) => e.ip) : clusterIPs;
    return this.#addresses(q, ips);
  }

  #endpoint(q: Question, namespace: string, service: string, endpoint: string): ZoneAnswer {
    const svc = this.#services.get(namespace, service);
    const matching = svc ? this.#endpoints(svc).filter((e) => e.name === endpoint) : [];
    if (matching.length === 0) return this.#nxdomain();
    return this.#addresses(
      q,
      matching.map((e) => e.ip),
    );
  }

  #port(q: Question, namespace: string, service: string, port: string, protocol: string): ZoneAnswer {
    const svc = this.#services.get(namespace, service);
    if (!svc) return this.#nxdomain();
    const headless = clusterIPsOf(svc).length === 0;
    const answer = this.#srv(svc, headless ? this.#endpoints(svc) : [], port, protocol);
    if (answer.answers.length === 0) return this.#nxdomain();
    return q.type === 'SRV' ? answer : this.#nodata();
  }

  /** SRV records of the Service's named ports (only `port`/`protocol` when given). */
  #srv(svc: KubeObject, endpoints: DNSEndpoint[], port: string | undefined, protocol: string | undefined): ZoneAnswer {
    const namespace = svc.metadata.namespace ?? '';
    const serviceName = `${svc.metadata.name ?? ''}.${namespace}.svc.${this.domain}`;
    const owner = port === undefined ? serviceName : `_${port}._${protocol}.${serviceName}`;
    const matches = (p: { name: string; protocol: string }): boolean =>
      p.name !== '' && (port === undefined || (p.name.toLowerCase() === port && p.protocol.toLowerCase() === protocol));
    const targets: { target: string; port: number; ip: string }[] = [];
    const clusterIPs = clusterIPsOf(svc);
    if (clusterIPs.length > 0) {
      for (const p of objs(asObj(svc['spec'])?.['ports'])) {
        const sp = { name: str(p['name']), protocol: str(p['protocol']) || 'TCP' };
        if (matches(sp)) for (const ip of clusterIPs) targets.push({ target: serviceName, port: Number(p['port']), ip });
      }
    } else {
      for (const e of endpoints) {
        for (const p of e.ports) if (matches(p)) targets.push({ target: `${e.name}.${serviceName}`, port: p.port, ip: e.ip });
      }
    }
    const weight = targets.length > 0 ? Math.max(1, Math.floor(100 / targets.length)) : 0;
    const answers: Answer[] = targets.map((t) => ({
      type: 'SRV',
      name: owner,
      ttl: TTL,
      class: 'IN',
      data: { priority: 0, weight, port: t.port, target: t.target },
    }));
    return {
      rcode: 'NOERROR',
      answers,
      authorities: answers.length ? [] : [this.#soa()],
      additionals: targets.map((t) => this.#address(t.target, t.ip)),
    };
  }

  /** The Service's endpoints DNS publishes: ready ones (every one with publishNotReadyAddresses), one per IP. */
  #endpoints(svc: KubeObject): DNSEndpoint[] {
    const all = asObj(svc['spec'])?.['publishNotReadyAddresses'] === true;
    const byIP = new Map<string, DNSEndpoint>();
    for (const slice of this.#slices.byIndex(SLICES_BY_SERVICE, `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`)) {
      const ports = objs(slice['ports']).map((p) => ({
        name: str(p['name']),
        port: Number(p['port']),
        protocol: str(p['protocol']) || 'TCP',
      }));
      for (const ep of objs(slice['endpoints'])) {
        if (!all && asObj(ep['conditions'])?.['ready'] === false) continue;
        const hostname = str(ep['hostname']);
        for (const ip of arr(ep['addresses']).map(str)) {
          const known = byIP.get(ip);
          if (known) known.ports.push(...ports);
          else byIP.set(ip, { ip, name: endpointName(ip, hostname), ports: [...ports] });
        }
      }
    }
    return [...byIP.values()];
  }

  /** The names PTR gives for an IP: Services with it as a cluster IP, then endpoints with it. */
  #reverse(ip: string): string[] {
    const names = this.#services
      .byIndex(SERVICES_BY_CLUSTER_IP, ip)
      .map((svc) => `${svc.metadata.name ?? ''}.${svc.metadata.namespace ?? ''}.svc.${this.domain}`);
    for (const slice of this.#slices.byIndex(SLICES_BY_ADDRESS, ip)) {
      const service = strMap(slice.metadata.labels)[SERVICE_NAME_LABEL];
      const ep = objs(slice['endpoints']).find((e) => arr(e['addresses']).includes(ip));
      if (!service || !ep) continue;
      names.push(`${endpointName(ip, str(ep['hostname']))}.${service}.${slice.metadata.namespace ?? ''}.svc.${this.domain}`);
    }
    return [...new Set(names)];
  }

  #addresses(q: Question, ips: string[]): ZoneAnswer {
    const family = q.type === 'AAAA' ? 6 : 4;
    const wanted = isAny(q) ? ips : q.type === 'A' || q.type === 'AAAA' ? ips.filter((ip) => (ip.includes(':') ? 6 : 4) === family) : [];
    return wanted.length > 0 ? this.#found(wanted.map((ip) => this.#address(q.name, ip))) : this.#nodata();
  }

  #address(name: string, ip: string): Answer {
    return { type: ip.includes(':') ? 'AAAA' : 'A', name, ttl: TTL, class: 'IN', data: ip };
  }

  #soa(): Answer {
    return {
      type: 'SOA',
      name: this.domain,
      ttl: TTL,
      class: 'IN',
      data: {
        mname: `ns.dns.${this.domain}`,
        rname: `hostmaster.${this.domain}`,
        serial: this.#serial,
        refresh: 7200,
        retry: 1800,
        expire: 86400,
        minimum: TTL,
      },
    };
  }

  #found(answers: Answer[]): ZoneAnswer {
    return { rcode: 'NOERROR', answers, authorities: [], additionals: [] };
  }

  #nodata(): ZoneAnswer {
    return { rcode: 'NOERROR', answers: [], authorities: [this.#soa()], additionals: [] };
  }

  #nxdomain(): ZoneAnswer {
    return { rcode: 'NXDOMAIN', answers: [], authorities: [this.#soa()], additionals: [] };
  }
}
