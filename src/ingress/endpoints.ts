/**
 * Endpoint picking: a backend (Service name and port) resolved to the READY endpoints of the
 * Service's EndpointSlices, straight to the pods and not through the Service's virtual IP (seed
 * 001: the controller tracks endpoints itself, as ingress-nginx does), handed out round-robin.
 * `service.port.number` names a Service port by its `port`, `.name` by its name; the slices' port of
 * that name is the target port. Resolved lists are cached until a Service or EndpointSlice changes
 * (`invalidate`), so a request costs a map lookup.
 *
 *   new ServiceEndpointPicker({ services, endpointSlices })
 */
import type { Lister } from '../client/interface.js';
import type { KubeObject } from '../machinery/object.js';
import type { EndpointAddress, EndpointPicker, ServiceBackend } from './interface.js';

type Obj = Record<string, unknown>;

/** The index of EndpointSlices by `namespace/service` (label kubernetes.io/service-name). */
export const SLICES_BY_SERVICE = 'byService';
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** The indexer to add to the EndpointSlice informer under SLICES_BY_SERVICE. */
export function sliceServiceKey(slice: KubeObject): string[] {
  const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  return service ? [`${slice.metadata.namespace}/${service}`] : [];
}

export interface ServiceEndpointPickerOptions {
  services: Lister;
  /** With the SLICES_BY_SERVICE index. */
  endpointSlices: Lister;
}

interface Resolved {
  endpoints: EndpointAddress[];
  next: number;
}

export class ServiceEndpointPicker implements EndpointPicker {
  readonly #o: ServiceEndpointPickerOptions;
  #cache = new Map<string, Resolved>();

  constructor(options: ServiceEndpointPickerOptions) {
    this.#o = options;
  }

  pick(backend: ServiceBackend): EndpointAddress | undefined {
    const key = `${backend.namespace}/${backend.service}:${backend.port}`;
    let r = this.#cache.get(key);
    if (!r) this.#cache.set(key, (r = { endpoints: this.resolve(backend), next: 0 }));
    if (r.endpoints.length === 0) return undefined;
    const e = r.endpoints[r.next % r.endpoints.length];
    r.next = (r.next + 1) % r.endpoints.length;
    return e;
  }

  /** Forgets every resolved list (a Service or EndpointSlice changed). */
  invalidate(): void {
    this.#cache = new Map();
  }

  /** The ready endpoints of a backend, in a stable order. */
  resolve(backend: ServiceBackend): EndpointAddress[] {
    const service = this.#o.services.get(backend.namespace, backend.service);
    const ports = (((service?.['spec'] ?? {}) as Obj)['ports'] ?? []) as Obj[];
    const sp = ports.find((p) => (typeof backend.port === 'number' ? p['port'] === backend.port : p['name'] === backend.port));
    if (!sp || (sp['protocol'] ?? 'TCP') !== 'TCP') return [];
    const portName = typeof sp['name'] === 'string' ? sp['name'] : '';
    const seen = new Set<string>();
    const out: EndpointAddress[] = [];
    for (const slice of this.#o.endpointSlices.byIndex(SLICES_BY_SERVICE, `${backend.namespace}/${backend.service}`)) {
      if (slice['addressType'] !== 'IPv4') continue;
      const slicePort = ((slice['ports'] ?? []) as Obj[]).find((p) => (p['name'] ?? '') === portName && (p['protocol'] ?? 'TCP') === 'TCP');
      if (typeof slicePort?.['port'] !== 'number') continue;
      for (const e of (slice['endpoints'] ?? []) as Obj[]) {
        // conditions.ready unset means ready (upstream's reading)
        if (((e['conditions'] ?? {}) as Obj)['ready'] === false) continue;
        const ip = ((e['addresses'] ?? []) as string[])[0];
        if (!ip || seen.has(ip)) continue;
        seen.add(ip);
        out.push({ ip, port: slicePort['port'] });
      }
    }
    return out.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
  }
}
