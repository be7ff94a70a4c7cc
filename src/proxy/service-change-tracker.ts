/**
 * upstream's ServiceChangeTracker and EndpointsChangeTracker in one: fed by the Service and
 * EndpointSlice (discovery.k8s.io/v1) informers, it keeps the ProxyState — one ServicePort per
 * port of every Service with a cluster IP (headless and ExternalName Services have none), the
 * endpoints of each from all slices labelled kubernetes.io/service-name, matched by port name —
 * and the keys of the service ports that changed since the last `takeChanges()`.
 *
 * Handlers only recompute the one Service the event is about and compare with what was known,
 * so a change to one Service or slice costs in proportion to that Service.
 */
import { jsonEqual } from '../machinery/json-equal.js';
import type { KubeObject } from '../machinery/object.js';
import type { ResourceEventHandler, SharedInformerFactory } from '../client/interface.js';
import type { Endpoint, Protocol, ProxyState, ServicePort } from './interface.js';

export const SERVICES = { group: '', version: 'v1', resource: 'services' };
export const ENDPOINT_SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
/** upstream's default sessionAffinityConfig.clientIP.timeoutSeconds (3 hours). */
export const DEFAULT_STICKY_SECONDS = 10800;

interface ServiceView {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: { name?: string; protocol?: string; port: number; nodePort?: number }[];
  externalIPs?: string[];
  sessionAffinity?: string;
  sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
  externalTrafficPolicy?: string;
  internalTrafficPolicy?: string;
  healthCheckNodePort?: number;
  loadBalancerSourceRanges?: string[];
}

interface SliceView {
  addressType?: string;
  ports?: { name?: string; port?: number; protocol?: string }[];
  endpoints?: {
    addresses?: string[];
    conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
    nodeName?: string;
  }[];
}

const nsName = (obj: KubeObject): string => `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;

/** upstream's ServicePortName.String(): `namespace/name:port`, the colon kept only with a port name. */
export function servicePortKey(namespace: string, name: string, portName: string): string {
  return portName ? `${namespace}/${name}:${portName}` : `${namespace}/${name}`;
}

/** The service ports a Service asks the proxy for (none for headless and ExternalName Services). */
export function servicePortsOf(svc: KubeObject): ServicePort[] {
  const spec = (svc['spec'] ?? {}) as ServiceView;
  if (spec.type === 'ExternalName') return [];
  const clusterIPs = (spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])).filter((ip) => ip && ip !== 'None' && !ip.includes(':'));
  if (clusterIPs.length === 0) return [];
  const status = (svc['status'] ?? {}) as { loadBalancer?: { ingress?: { ip?: string }[] } };
  const loadBalancerIPs = (status.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip && !i.ip.includes(':') ? [i.ip] : []));
  const externalIPs = (spec.externalIPs ?? []).filter((ip) => !ip.includes(':'));
  const sourceRanges =
    spec.type === 'LoadBalancer' ? (spec.loadBalancerSourceRanges ?? []).map((r) => r.trim()).filter((r) => r && !r.includes(':')) : [];
  const externallyAccessible = spec.type === 'NodePort' || spec.type === 'LoadBalancer' || externalIPs.length > 0;
  const namespace = svc.metadata.namespace ?? '';
  const name = svc.metadata.name ?? '';
  return (spec.ports ?? []).flatMap((p): ServicePort[] => {
    const protocol = (p.protocol ?? 'TCP') as Protocol;
    if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') return [];
    const portName = p.name ?? '';
    return [
      {
        key: servicePortKey(namespace, name, portName),
        namespace,
        name,
        portName,
        protocol,
        clusterIPs,
        port: p.port,
        ...(p.nodePort ? { nodePort: p.nodePort } : {}),
        externalIPs,
        loadBalancerIPs: spec.type === 'LoadBalancer' ? loadBalancerIPs : [],
        ...(sourceRanges.length > 0 ? { loadBalancerSourceRanges: sourceRanges } : {}),
        ...(spec.sessionAffinity === 'ClientIP'
          ? { stickySeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_STICKY_SECONDS }
          : {}),
        externalPolicyLocal: externallyAccessible && spec.externalTrafficPolicy === 'Local',
        internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
        ...(spec.healthCheckNodePort ? { healthCheckNodePort: spec.healthCheckNodePort } : {}),
      },
    ];
  });
}

/**
 * The endpoints of each port name of a Service from its slices (IPv4 only; an address listed by
 * two slices counts once, as upstream's endpointSliceCache merges them).
 */
export function endpointsByPortName(slices: Iterable<KubeObject>, nodeName: string): Map<string, Endpoint[]> {
  const byPort = new Map<string, Map<string, Endpoint>>();
  for (const slice of slices) {
    const s = slice as unknown as SliceView;
    if (s.addressType !== 'IPv4') continue;
    for (const port of s.ports ?? []) {
      if (port.port === undefined) continue;
      const portName = port.name ?? '';
      let eps = byPort.get(portName);
      if (!eps) byPort.set(portName, (eps = new Map()));
      for (const ep of s.endpoints ?? []) {
        const ip = ep.addresses?.[0];
        if (!ip) continue;
        const ready = ep.conditions?.ready ?? true;
        const endpoint: Endpoint = {
          ip,
          port: port.port,
          ready,
          serving: ep.conditions?.serving ?? ready,
          terminating: ep.conditions?.terminating ?? false,
          ...(ep.nodeName ? { nodeName: ep.nodeName } : {}),
          isLocal: ep.nodeName !== undefined && ep.nodeName === nodeName,
        };
        if (!eps.has(`${ip}:${port.port}`)) eps.set(`${ip}:${port.port}`, endpoint);
      }
    }
  }
  const out = new Map<string, Endpoint[]>();
  for (const [portName, eps] of byPort)
    out.set(
      portName,
      [...eps.values()].sort((a, b) => compareEndpoints(a, b)),
    );
  return out;
}

const compareEndpoints = (a: Endpoint, b: Endpoint): number => (a.ip === b.ip ? a.port - b.port : a.ip < b.ip ? -1 : 1);

export interface ServiceChangeTrackerOptions {
  informers: SharedInformerFactory;
  /** This proxy's node: endpoints on it are isLocal. */
  nodeName: string;
  /** Called after each change that touched a service port (to wake the sync loop). */
  onChange?: () => void;
}

export class ServiceChangeTracker {
  readonly #nodeName: string;
  readonly #onChange: (() => void) | undefined;
  /** Services by namespace/name. */
  readonly #serviceObjects = new Map<string, KubeObject>();
  /** Slices by the namespace/name of their Service, then by slice name. */
  readonly #slices = new Map<string, Map<string, KubeObject>>();
  /** The service port keys each Service contributed, by namespace/name. */
  readonly #portsOf = new Map<string, string[]>();
  readonly #services = new Map<string, ServicePort>();
  readonly #endpoints = new Map<string, readonly Endpoint[]>();
  #changed = new Set<string>();
  readonly state: ProxyState = { services: this.#services, endpoints: this.#endpoints };

  constructor(options: ServiceChangeTrackerOptions) {
    this.#nodeName = options.nodeName;
    this.#onChange = options.onChange;
    const services: ResourceEventHandler = {
      onAdd: (o) => this.#setService(nsName(o), o),
      onUpdate: (_old, o) => this.#setService(nsName(o), o),
      onDelete: (o) => this.#setService(nsName(o), undefined),
    };
    const slices: ResourceEventHandler = {
      onAdd: (o) => this.#setSlice(o, o),
      onUpdate: (old, o) => {
        if (sliceService(old) !== sliceService(o)) this.#setSlice(old, undefined);
        this.#setSlice(o, o);
      },
      onDelete: (o) => this.#setSlice(o, undefined),
    };
    options.informers.forResource(SERVICES).addEventHandler(services);
    options.informers.forResource(ENDPOINT_SLICES).addEventHandler(slices);
  }

  /** The service port keys changed since the previous call (removed ones included); resets the set. */
  takeChanges(): Set<string> {
    const changed = this.#changed;
    this.#changed = new Set();
    return changed;
  }

  /** Whether changes are waiting for a sync. */
  get pending(): boolean {
    return this.#changed.size > 0;
  }

  #setService(key: string, svc: KubeObject | undefined): void {
    if (svc) this.#serviceObjects.set(key, svc);
    else this.#serviceObjects.delete(key);
    this.#recompute(key);
  }

  #setSlice(slice: KubeObject, now: KubeObject | undefined): void {
    const service = sliceService(slice);
    if (service === undefined) return;
    let slices = this.#slices.get(service);
    if (now) {
      if (!slices) this.#slices.set(service, (slices = new Map()));
      slices.set(slice.metadata.name ?? '', now);
    } else if (slices) {
      slices.delete(slice.metadata.name ?? '');
      if (slices.size === 0) this.#slices.delete(service);
    }
    this.#recompute(service);
  }

  /** Recomputes one Service's service ports and endpoints; records the keys that differ. */
  #recompute(service: string): void {
    const svc = this.#serviceObjects.get(service);
    const ports = svc ? servicePortsOf(svc) : [];
    const endpoints = ports.length > 0 ? endpointsByPortName(this.#slices.get(service)?.values() ?? [], this.#nodeName) : new Map();
    const before = new Set(this.#portsOf.get(service) ?? []);
    let touched = false;
    for (const port of ports) {
      before.delete(port.key);
      const eps = endpoints.get(port.portName) ?? [];
      if (!jsonEqual(this.#services.get(port.key), port) || !jsonEqual(this.#endpoints.get(port.key) ?? [], eps)) {
        this.#changed.add(port.key);
        touched = true;
      }
      this.#services.set(port.key, port);
      if (eps.length > 0) this.#endpoints.set(port.key, eps);
      else this.#endpoints.delete(port.key);
    }
    for (const gone of before) {
      this.#services.delete(gone);
      this.#endpoints.delete(gone);
      this.#changed.add(gone);
      touched = true;
    }
    if (ports.length > 0)
      this.#portsOf.set(
        service,
        ports.map((p) => p.key),
      );
    else this.#portsOf.delete(service);
    if (touched) this.#onChange?.();
  }
}

/** namespace/name of the Service a slice belongs to (undefined without the label). */
function sliceService(slice: KubeObject): string | undefined {
  const name = slice.metadata.labels?.[LABEL_SERVICE_NAME];
  return name ? `${slice.metadata.namespace ?? ''}/${name}` : undefined;
}
