/**
 * clientConfig.service to an address: the Service's port, then a ready address of its
 * EndpointSlices on the matching port (upstream's endpoint service resolver; the default one
 * dials the ClusterIP, which only the node's proxy reaches).
 */
import { arr, asObj, num, objs, str } from '../../../api/core/access.js';
import type { KubeObject } from '../../../machinery/object.js';
import type { ServiceEndpoint, ServiceResolver } from './interface.js';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface EndpointServiceResolverOptions {
  service(namespace: string, name: string): KubeObject | undefined;
  endpointSlices(namespace: string): readonly KubeObject[];
  /** Picks one of the ready endpoints (default: at random). */
  pick?: (candidates: readonly ServiceEndpoint[]) => ServiceEndpoint;
}

export class EndpointServiceResolver implements ServiceResolver {
  readonly #options: EndpointServiceResolverOptions;

  constructor(options: EndpointServiceResolverOptions) {
    this.#options = options;
  }

  resolve(namespace: string, name: string, port: number): ServiceEndpoint {
    const svc = this.#options.service(namespace, name);
    if (!svc) throw new Error(`service "${name}" not found`);
    const spec = asObj(svc['spec']) ?? {};
    if (spec['type'] === 'ExternalName') return { host: str(spec['externalName']), port };
    const svcPort = objs(spec['ports']).find((p) => num(p['port']) === port);
    if (!svcPort) throw new Error(`no service port ${port} found for service "${name}"`);
    const portName = str(svcPort['name']);
    const candidates: ServiceEndpoint[] = [];
    for (const slice of this.#options.endpointSlices(namespace)) {
      if (slice.metadata.labels?.[SERVICE_NAME_LABEL] !== name) continue;
      const slicePort = objs(slice['ports']).find((p) => str(p['name']) === portName);
      const target = slicePort ? num(slicePort['port']) : undefined;
      if (target === undefined) continue;
      for (const ep of objs(slice['endpoints'])) {
        if (asObj(ep['conditions'])?.['ready'] === false) continue;
        const address = str(arr(ep['addresses'])[0]);
        if (address) candidates.push({ host: address, port: target });
      }
    }
    if (candidates.length === 0) throw new Error(`no endpoints available for service "${name}"`);
    const pick = this.#options.pick ?? ((c) => c[Math.floor(Math.random() * c.length)] as ServiceEndpoint);
    return pick(candidates);
  }
}
