/**
 * The disruption controller (pkg/controller/disruption): keeps each PodDisruptionBudget's status
 * (currentHealthy, desiredHealthy, expectedPods, disruptionsAllowed, disruptedPods and the
 * DisruptionAllowed condition) from the pods it selects and their controllers' scale, which the
 * eviction subresource then enforces; and sets stale DisruptionTarget pod conditions back to False.
 * Watch PDBs and pods → enqueue the PDB's key → sync(key); pods with a stale condition → a second queue.
 */
import type {
  Clientset,
  EventRecorder,
  GroupVersionResource,
  Lister,
  ResourceClient,
  SharedInformer,
  SharedInformerFactory,
  WorkQueue,
} from '../../client/interface.js';
import { objectKey, splitKey } from '../../client/interface.js';
import { isStatusError } from '../../machinery/errors.js';
import { labelSelectorFromMeta } from '../../machinery/labels.js';
import type { PodDisruptionBudget } from '../../api/policy/disruption-budget.js';
import type { GCResource } from '../garbage-collector/graph.js';
import { DEPLOYMENTS, PODS, type Pod, REPLICA_SETS, REPLICATION_CONTROLLERS } from '../controller-utils/types.js';
import { runController } from '../runtime.js';
import { getExpectedPodCount, type ScaleSources } from './expected-pods.js';
import { buildDisruptedPodMap, countHealthyPods, failSafeStatus, newPdbStatus } from './status.js';
import { clearedDisruptionTarget, STALE_POD_DISRUPTION_TIMEOUT_MS, staleDisruptionCleanupAfter } from './stale-disruption.js';

export const PDBS: GroupVersionResource = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' };
const STATEFUL_SETS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'statefulsets' };
const CRDS: GroupVersionResource = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };

export interface DisruptionControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  newQueue: () => WorkQueue;
  /** The built-in kinds the server serves (the controller manager's resource list). */
  resources: readonly GCResource[];
  now?: () => number;
  staleDisruptionTimeoutMs?: number;
  log?: (message: string) => void;
}

export class DisruptionController {
  readonly queue: WorkQueue;
  readonly staleQueue: WorkQueue;
  readonly #client: Clientset;
  readonly #pdbs: ResourceClient;
  readonly #pods: ResourceClient;
  readonly #recorder: EventRecorder;
  readonly #pdbInformer: SharedInformer;
  readonly #podInformer: SharedInformer;
  readonly #informers: SharedInformer[];
  readonly #scales: ScaleSources;
  readonly #now: () => number;
  readonly #staleTimeoutMs: number;
  readonly #log: (message: string) => void;

  constructor(options: DisruptionControllerOptions) {
    this.#client = options.client;
    this.#now = options.now ?? Date.now;
    this.#staleTimeoutMs = options.staleDisruptionTimeoutMs ?? STALE_POD_DISRUPTION_TIMEOUT_MS;
    this.#log = options.log ?? ((m) => console.error(m));
    this.#recorder = options.recorder;
    this.queue = options.newQueue();
    this.staleQueue = options.newQueue();
    this.#pdbs = options.client.resource(PDBS);
    this.#pods = options.client.resource(PODS);
    const inf = (gvr: GroupVersionResource) => options.informers.forResource(gvr);
    this.#pdbInformer = inf(PDBS);
    this.#podInformer = inf(PODS);
    const owners = [REPLICATION_CONTROLLERS, REPLICA_SETS, DEPLOYMENTS, STATEFUL_SETS, CRDS].map(inf) as [
      SharedInformer,
      SharedInformer,
      SharedInformer,
      SharedInformer,
      SharedInformer,
    ];
    this.#informers = [this.#pdbInformer, this.#podInformer, ...owners];
    this.#scales = {
      replicationControllers: owners[0].lister,
      replicaSets: owners[1].lister,
      deployments: owners[2].lister,
      statefulSets: owners[3].lister,
      customResourceDefinitions: owners[4].lister,
      resources: options.resources,
      client: (group, version, resource) => this.#client.resource({ group, version, resource }),
    };
    this.#pdbInformer.addEventHandler({
      onAdd: (pdb) => this.queue.add(objectKey(pdb)),
      onUpdate: (_old, pdb) => this.queue.add(objectKey(pdb)),
      onDelete: (pdb) => this.queue.add(objectKey(pdb)),
    });
    this.#podInformer.addEventHandler({
      onAdd: (pod) => this.#podChanged(pod as Pod, true),
      onUpdate: (_old, pod) => this.#podChanged(pod as Pod, true),
      onDelete: (pod) => this.#podChanged(pod as Pod, false),
    });
  }

  get #pdbLister(): Lister {
    return this.#pdbInformer.lister;
  }

  /** Waits for the caches, then runs the PDB and the stale-condition workers until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const onError = (what: string) => (key: string, err: unknown) =>
      this.#log(`disruption-controller: error syncing ${what} "${key}", requeuing: ${(err as Error).message}`);
    await runController(
      this.#informers,
      [
        { queue: this.queue, workers: 1, signal, sync: (k) => this.sync(k), onError: onError('PodDisruptionBudget') },
        { queue: this.staleQueue, workers: 1, signal, sync: (k) => this.syncStalePodDisruption(k), onError: onError('Pod') },
      ],
      signal,
    );
  }

  #podChanged(pod: Pod, live: boolean): void {
    const pdb = this.#pdbForPod(pod);
    if (pdb) this.queue.add(objectKey(pdb));
    if (!live) return;
    const after = staleDisruptionCleanupAfter(pod, this.#staleTimeoutMs, this.#now());
    if (after !== undefined) this.staleQueue.addAfter(objectKey(pod), after);
  }

  /** getPdbForPod: the first PDB selecting the pod (an empty selector selects every pod); a Warning when several do. */
  #pdbForPod(pod: Pod): PodDisruptionBudget | undefined {
    const labels = pod.metadata.labels ?? {};
    const pdbs = (this.#pdbLister.list(pod.metadata.namespace) as PodDisruptionBudget[]).filter((pdb) => {
      try {
        return labelSelectorFromMeta(pdb.spec?.selector).matches(labels);
      } catch {
        return false;
      }
    });
    const [first] = pdbs;
    if (first && pdbs.length > 1) {
      const msg = `Pod "${pod.metadata.namespace ?? ''}"/"${pod.metadata.name ?? ''}" matches multiple PodDisruptionBudgets.  Chose "${first.metadata.name ?? ''}" arbitrarily.`;
      this.#recorder.event(pod, 'Warning', 'MultiplePodDisruptionBudgets', msg);
    }
    return first;
  }

  /** sync: trySync, and on any failure but a conflict the fail-safe status (no disruptions allowed). */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pdb = this.#pdbLister.get(namespace, name) as PodDisruptionBudget | undefined;
    if (!pdb) return;
    try {
      await this.#trySync(key, pdb);
    } catch (err) {
      if (isStatusError(err, 'Conflict')) throw err;
      this.#log(`disruption-controller: failed to sync PDB ${key}: ${(err as Error).message}`);
      await this.#pdbs.updateStatus(namespace, failSafeStatus(pdb, err, this.#now()));
    }
  }

  async #trySync(key: string, pdb: PodDisruptionBudget): Promise<void> {
    let pods: Pod[];
    try {
      const selector = labelSelectorFromMeta(pdb.spec?.selector);
      pods = (this.#podInformer.lister.list(pdb.metadata.namespace) as Pod[]).filter((p) => selector.matches(p.metadata.labels ?? {}));
    } catch (err) {
      this.#recorder.event(pdb, 'Warning', 'NoPods', `Failed to get pods: ${(err as Error).message}`);
      throw err;
    }
    if (pods.length === 0) this.#recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
    let expected: Awaited<ReturnType<typeof getExpectedPodCount>>;
    try {
      expected = await getExpectedPodCount(this.#scales, pdb, pods);
    } catch (err) {
      const message = `Failed to calculate the number of expected pods: ${(err as Error).message}`;
      this.#recorder.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', message);
      throw err;
    }
    if (expected.unmanagedPods.length > 0) {
      this.#recorder.event(
        pdb,
        'Warning',
        'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${JSON.stringify(pdb.spec?.selector ?? null)}) were found to be unmanaged. ` +
          'As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. ' +
          'To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
      );
    }
    const now = this.#now();
    const disrupted = buildDisruptedPodMap(pods, pdb, now);
    for (const pod of disrupted.notDeleted) {
      const ref = `${pdb.metadata.namespace ?? ''}/${pdb.metadata.name ?? ''}`;
      this.#recorder.event(pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${ref} to be deleted but it wasn't`);
    }
    const currentHealthy = countHealthyPods(pods, disrupted.disruptedPods, now);
    const next = newPdbStatus(
      pdb,
      {
        currentHealthy,
        desiredHealthy: expected.desiredHealthy,
        expectedCount: expected.expectedCount,
        disruptedPods: disrupted.disruptedPods,
      },
      now,
    );
    if (next) await this.#pdbs.updateStatus(pdb.metadata.namespace ?? '', next);
    // the earliest approved eviction expires: count its pod as healthy again then
    if (disrupted.recheckAt !== undefined) this.queue.addAfter(key, Math.max(0, disrupted.recheckAt - now));
  }

  /** syncStalePodDisruption: sets a stale DisruptionTarget condition False (or waits until it is stale). */
  async syncStalePodDisruption(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.#podInformer.lister.get(namespace, name) as Pod | undefined;
    if (!pod) return;
    const after = staleDisruptionCleanupAfter(pod, this.#staleTimeoutMs, this.#now());
    if (after === undefined) return;
    if (after > 0) {
      this.staleQueue.addAfter(key, after);
      return;
    }
    const next = clearedDisruptionTarget(pod, this.#now());
    if (!next) return;
    await this.#pods.updateStatus(namespace, next);
  }
}
