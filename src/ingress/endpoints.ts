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

export class ServiceEndpointPicker implements EndpointPicker {
  readonly #o: ServiceEndpointPickerOptions;
  #cache = new Map<string, EndpointAddress[]>();
  /** Round-robin positions by backend; kept across invalidations so churn elsewhere does not reset them. */
  readonly #next = new Map<string, number>();

  constructor(options: ServiceEndpointPickerOptions) {
    this.#o = options;
  }

  pick(backend: ServiceBackend): EndpointAddress | undefined {
    const key = `${backend.namespace}/${backend.service}:${backend.port}`;
    let endpoints = this.#cache.get(key);
    if (!endpoints) this.#cache.set(key, (endpoints = this.resolve(backend)));
    if (endpoints.length === 0) return undefined;
    const next = (this.#next.get(key) ?? 0) % endpoints.length;
    this.#next.set(key, next + 1);
    return endpoints[next];
  }

  /** Forgets every resolved list (a Service or EndpointSlice changed). */
  invalidate(): void {
    this.#cache = new Map();
    if (this.#next.size > 10_000) this.#next.clear();
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
