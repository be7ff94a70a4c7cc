/**
 * The EndpointSlice controller (pkg/controller/endpointslice): for each Service with a selector,
 * EndpointSlices labelled kubernetes.io/service-name and managed-by endpointslice-controller.k8s.io,
 * owned by the Service (the garbage collector removes them with it), with one endpoint per
 * selected pod: conditions ready/serving/terminating, nodeName, zone, hostname, targetRef; at
 * most 100 endpoints per slice. Keys are service keys.
 */
import {
  type Clientset,
  type GroupVersionResource,
  type Lister,
  type ResourceClient,
  type SharedInformerFactory,
  splitKey,
  type WorkQueue,
} from '../../client/interface.js';
import { enqueueServicesOnChanges } from '../endpoints/service-pods.js';
import { hasStatusCause, isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { isMasterService, PODS, SERVICES } from '../endpoints/endpoints-controller.js';
import { selectsPod, serviceSelector, serviceSpec } from '../endpoints/pod-endpoints.js';
import { RequeueAfter, runWorkers } from '../../client/workqueue-workers.js';
import { desiredGroups } from './desired.js';
import { CONTROLLER_NAME, DEFAULT_MAX_ENDPOINTS_PER_SLICE, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, planSlices } from './reconciler.js';

export const ENDPOINT_SLICES: GroupVersionResource = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
export const NODES: GroupVersionResource = { group: '', version: 'v1', resource: 'nodes' };
const LABEL_ZONE = 'topology.kubernetes.io/zone';

export interface EndpointSliceControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  newQueue: () => WorkQueue;
  /** --max-endpoints-per-slice (100). */
  maxEndpointsPerSlice?: number;
  workers?: number;
  log?: (message: string) => void;
}

export class EndpointSliceController {
  readonly queue: WorkQueue;
  readonly #client: ResourceClient;
  readonly #informers: SharedInformerFactory;
  readonly #services: Lister;
  readonly #pods: Lister;
  readonly #slices: Lister;
  readonly #nodes: Lister;
  readonly #max: number;
  readonly #workers: number;
  readonly #log: (message: string) => void;
  /** Our own writes not yet seen by the informer (upstream endpointSliceTracker): slice name → resourceVersion, or '' once deleted. */
  readonly #expected = new Map<string, { since: number; slices: Map<string, string> }>();

  constructor(options: EndpointSliceControllerOptions) {
    this.#client = options.client.resource(ENDPOINT_SLICES);
    this.#informers = options.informers;
    this.#max = options.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE;
    this.#workers = options.workers ?? 5;
    this.#log = options.log ?? (() => {});
    this.queue = options.newQueue();
    const services = options.informers.forResource(SERVICES);
    const pods = options.informers.forResource(PODS);
    const slices = options.informers.forResource(ENDPOINT_SLICES);
    this.#services = services.lister;
    this.#pods = pods.lister;
    this.#slices = slices.lister;
    this.#nodes = options.informers.forResource(NODES).lister;
    enqueueServicesOnChanges(this.queue, services, pods);
    // a slice changed or removed by someone else is put back
    const enqueueSlice = (slice: KubeObject): void => {
      const labels = slice.metadata.labels ?? {};
      const svc = labels[LABEL_SERVICE_NAME];
      if (svc && labels[LABEL_MANAGED_BY] === CONTROLLER_NAME) this.queue.add(`${slice.metadata.namespace ?? ''}/${svc}`);
    };
    slices.addEventHandler({ onUpdate: (_o, s) => enqueueSlice(s), onDelete: enqueueSlice });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.#informers.waitForCacheSync(signal);
    await runWorkers({
      queue: this.queue,
      sync: (key) => this.sync(key),
      workers: this.#workers,
      signal,
      onError: (key, err) => this.#log(`endpointslices ${key}: ${(err as Error).message}`),
    });
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.#services.get(namespace, name);
    // a deleted service's slices go with it through their ownerReferences (garbage collector)
    if (!svc || svc.metadata.deletionTimestamp) {
      this.#expected.delete(key);
      return;
    }
    if (!serviceSelector(svc) || serviceSpec(svc).type === 'ExternalName' || isMasterService(svc)) return;
    const pods = this.#pods.list(namespace).filter((p) => selectsPod(svc, p));
    const zoneOf = (node: string): string | undefined => this.#nodes.get('', node)?.metadata.labels?.[LABEL_ZONE];
    const groups = desiredGroups(svc, pods, zoneOf);
    const existing = this.#slices
      .list(namespace, `${LABEL_SERVICE_NAME}=${name},${LABEL_MANAGED_BY}=${CONTROLLER_NAME}`)
      .filter((s) => !s.metadata.deletionTimestamp);
    if (this.#stale(key, existing)) throw new RequeueAfter(100, `endpointslices of ${key}: informer cache is behind our writes`);
    const plan = planSlices(svc, existing, groups, this.#max);
    const expected = new Map<string, string>();
    this.#expected.set(key, { since: Date.now(), slices: expected });
    for (const slice of plan.create) {
      try {
        const made = await this.#client.create(namespace, slice);
        expected.set(made.metadata.name ?? '', made.metadata.resourceVersion ?? '0');
      } catch (err) {
        if (hasStatusCause(err, 'NamespaceTerminating')) return;
        throw err;
      }
    }
    for (const slice of plan.update) {
      const done = await this.#client.update(namespace, slice);
      expected.set(done.metadata.name ?? '', done.metadata.resourceVersion ?? '0');
    }
    for (const slice of plan.delete) {
      try {
        await this.#client.delete(namespace, slice.metadata.name ?? '', { preconditions: { uid: slice.metadata.uid } });
        expected.set(slice.metadata.name ?? '', '');
      } catch (err) {
        if (!isStatusError(err, 'NotFound')) throw err;
      }
    }
  }

  /** True while the informer has not caught up with the last writes for this service. */
  #stale(key: string, existing: readonly KubeObject[]): boolean {
    const entry = this.#expected.get(key);
    // someone else may have removed a slice before we saw it: expectations expire
    if (!entry || Date.now() - entry.since > 5000) {
      this.#expected.delete(key);
      return false;
    }
    for (const [name, rv] of entry.slices) {
      const seen = existing.find((s) => s.metadata.name === name);
      if (rv === '' ? seen : !seen || Number(seen.metadata.resourceVersion ?? 0) < Number(rv)) return true;
    }
    this.#expected.delete(key);
    return false;
  }
}
