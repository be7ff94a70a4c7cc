/**
 * The endpoints controller (pkg/controller/endpoint): for each Service with a selector, an
 * Endpoints object of the same name whose subsets list the selected pods' IPs — ready ones in
 * addresses, the others in notReadyAddresses (all ready with publishNotReadyAddresses) — on the
 * ports the Service's targetPorts resolve to in each pod. Keys are service keys.
 */
import {
  type Clientset,
  type GroupVersionResource,
  type Lister,
  objectKey,
  type ResourceClient,
  type SharedInformerFactory,
  splitKey,
  type WorkQueue,
} from '../../client/interface.js';
import { jsonEqual } from '../../machinery/json-equal.js';
import { enqueueServicesOnChanges } from './service-pods.js';
import { hasStatusCause, isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { runWorkers } from '../../client/workqueue-workers.js';
import {
  findPort,
  isHeadless,
  isPodReady,
  podIPs,
  podSpec,
  podTargetRef,
  selectsPod,
  serviceIPFamily,
  serviceSelector,
  serviceSpec,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from './pod-endpoints.js';
import { type EndpointAddress, type EndpointSubset, repackSubsets } from './repack.js';
import { cloneJson } from '../../machinery/clone.js';

export const SERVICES: GroupVersionResource = { group: '', version: 'v1', resource: 'services' };
export const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };
export const ENDPOINTS: GroupVersionResource = { group: '', version: 'v1', resource: 'endpoints' };
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';

export interface EndpointsControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  newQueue: () => WorkQueue;
  workers?: number;
  log?: (message: string) => void;
}

/** The apiserver keeps default/kubernetes' endpoints itself. */
export function isMasterService(svc: { metadata: { namespace?: string; name?: string } }): boolean {
  return svc.metadata.namespace === 'default' && svc.metadata.name === 'kubernetes';
}

/** The subsets a Service's pods call for (upstream syncService, before RepackSubsets). */
export function computeSubsets(svc: KubeObject, pods: readonly KubeObject[]): EndpointSubset[] {
  const spec = serviceSpec(svc);
  const tolerateUnready = spec.publishNotReadyAddresses === true;
  const subsets: EndpointSubset[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const ip = podIPs(pod, serviceIPFamily(svc, pod))[0];
    if (!ip) continue;
    const addr: EndpointAddress = { ip, targetRef: podTargetRef(pod) };
    const nodeName = podSpec(pod).nodeName;
    if (nodeName) addr.nodeName = nodeName;
    if (shouldSetHostname(pod, svc)) addr.hostname = podSpec(pod).hostname;
    const add = (ports: EndpointSubset['ports']): void => {
      const ready = tolerateUnready || isPodReady(pod);
      subsets.push({ ...(ready ? { addresses: [cloneJson(addr)] } : { notReadyAddresses: [cloneJson(addr)] }), ports });
    };
    const svcPorts = spec.ports ?? [];
    // a headless service without ports still publishes addresses
    if (svcPorts.length === 0 && isHeadless(svc)) add(undefined);
    for (const sp of svcPorts) {
      const port = findPort(pod, sp);
      if (port === undefined) continue; // the pod has no such named port
      add([
        {
          ...(sp.name ? { name: sp.name } : {}),
          port,
          protocol: sp.protocol ?? 'TCP',
          ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}),
        },
      ]);
    }
  }
  return repackSubsets(subsets);
}

export class EndpointsController {
  readonly queue: WorkQueue;
  readonly #client: ResourceClient;
  readonly #informers: SharedInformerFactory;
  readonly #services: Lister;
  readonly #pods: Lister;
  readonly #endpoints: Lister;
  readonly #workers: number;
  readonly #log: (message: string) => void;

  constructor(options: EndpointsControllerOptions) {
    this.#client = options.client.resource(ENDPOINTS);
    this.#informers = options.informers;
    this.#workers = options.workers ?? 5;
    this.#log = options.log ?? (() => {});
    this.queue = options.newQueue();
    const services = options.informers.forResource(SERVICES);
    const pods = options.informers.forResource(PODS);
    const endpoints = options.informers.forResource(ENDPOINTS);
    this.#services = services.lister;
    this.#pods = pods.lister;
    this.#endpoints = endpoints.lister;
    const enqueue = (obj: KubeObject): void => this.queue.add(objectKey(obj));
    enqueueServicesOnChanges(this.queue, services, pods);
    endpoints.addEventHandler({ onDelete: enqueue });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.#informers.waitForCacheSync(signal);
    await runWorkers({
      queue: this.queue,
      sync: (key) => this.sync(key),
      workers: this.#workers,
      signal,
      onError: (key, err) => this.#log(`endpoints ${key}: ${(err as Error).message}`),
    });
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.#services.get(namespace, name);
    if (!svc) {
      // the service is gone: so are its endpoints
      try {
        if (this.#endpoints.get(namespace, name)) await this.#client.delete(namespace, name);
      } catch (err) {
        if (!isStatusError(err, 'NotFound')) throw err;
      }
      return;
    }
    const selector = serviceSelector(svc);
    if (!selector || serviceSpec(svc).type === 'ExternalName' || isMasterService(svc)) return;
    const pods = this.#pods.list(namespace).filter((p) => selectsPod(svc, p));
    const subsets = computeSubsets(svc, pods);
    const labels: Record<string, string> = { ...svc.metadata.labels };
    if (isHeadless(svc)) labels[LABEL_HEADLESS] = '';
    else delete labels[LABEL_HEADLESS];
    const current = this.#endpoints.get(namespace, name);
    const currentSubsets = (current?.['subsets'] as EndpointSubset[] | undefined) ?? [];
    if (current && jsonEqual(currentSubsets, subsets) && jsonEqual(current.metadata.labels ?? {}, labels)) return;
    const next: KubeObject = current ? cloneJson(current) : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace } };
    next.metadata.labels = labels;
    if (Object.keys(labels).length === 0) delete next.metadata.labels;
    if (subsets.length > 0) next['subsets'] = subsets;
    else delete next['subsets'];
    try {
      if (current) await this.#client.update(namespace, next);
      else await this.#client.create(namespace, next);
    } catch (err) {
      // a namespace being deleted refuses new content; the endpoints go with it
      if (!current && hasStatusCause(err, 'NamespaceTerminating')) return;
      throw err;
    }
  }
}
