/**
 * The HorizontalPodAutoscaler controller (upstream pkg/controller/podautoscaler/horizontal.go):
 * every sync period each HPA reads its target's scale, computes the replicas its metrics ask for
 * (compute-metrics.ts), normalizes them by min/max, stabilization and the scaling behavior
 * (normalize.ts), writes the target's scale when the count changes, and reports conditions
 * (AbleToScale, ScalingActive, ScalingLimited), events and status.
 * Watch HPAs → enqueue → sync(key), then again one sync period later.
 */
import { asObj, objs, str, type Obj } from '../../api/core/access.js';
import type {
  Clientset,
  EventRecorder,
  GroupVersionResource,
  ResourceClient,
  SharedInformer,
  SharedInformerFactory,
  WorkQueue,
} from '../../client/interface.js';
import { objectKey, splitKey } from '../../client/interface.js';
import { cloneJson } from '../../machinery/clone.js';
import { parseSelector, type Selector } from '../../machinery/labels.js';
import type { KubeObject } from '../../machinery/object.js';
import { rfc3339 } from '../../machinery/time.js';
import { defaultHPA } from '../../api/autoscaling/hpa.js';
import { PODS, type Pod } from '../controller-utils/types.js';
import { runController } from '../runtime.js';
import { computeReplicasForMetrics } from './compute-metrics.js';
import { type HPA, setCondition } from './hpa-status.js';
import { ScalingHistory } from './normalize.js';
import { DEFAULT_HPA_TIMINGS, type HorizontalControllerTimings } from './options.js';
import { ScaleTargets } from './scale-target.js';

export const HPAS: GroupVersionResource = { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' };

export interface HorizontalControllerOptions {
  client: Clientset;
  /**
   * Resolves a scale target's kind to its resource (custom resources through their CRD), as
   * upstream's RESTMapper with the controller manager's own identity; `client` when absent.
   */
  mapper?: Clientset;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  newQueue: () => WorkQueue;
  timings?: Partial<HorizontalControllerTimings>;
  now?: () => number;
  log?: (message: string) => void;
}

export class HorizontalController {
  readonly queue: WorkQueue;
  readonly #hpas: ResourceClient;
  readonly #client: Clientset;
  readonly #recorder: EventRecorder;
  readonly #hpaInformer: SharedInformer;
  readonly #podInformer: SharedInformer;
  readonly #timings: HorizontalControllerTimings;
  readonly #history: ScalingHistory;
  readonly #targets: ScaleTargets;
  readonly #now: () => number;
  readonly #log: (message: string) => void;

  constructor(options: HorizontalControllerOptions) {
    this.queue = options.newQueue();
    this.#client = options.client;
    this.#hpas = options.client.resource(HPAS);
    this.#recorder = options.recorder;
    this.#timings = { ...DEFAULT_HPA_TIMINGS, ...options.timings };
    this.#now = options.now ?? Date.now;
    this.#log = options.log ?? ((m) => console.error(m));
    this.#history = new ScalingHistory({ downscaleStabilizationMs: this.#timings.downscaleStabilizationMs, now: this.#now });
    this.#targets = new ScaleTargets(options.client, options.mapper);
    this.#hpaInformer = options.informers.forResource(HPAS);
    this.#podInformer = options.informers.forResource(PODS);
    this.#hpaInformer.addEventHandler({
      onAdd: (hpa) => this.queue.add(objectKey(hpa)),
      // the controller's own status writes do not need another pass before the sync period
      onUpdate: (old, cur) => {
        if (old.metadata.generation !== cur.metadata.generation) this.queue.add(objectKey(cur));
      },
      onDelete: (hpa) => this.queue.add(objectKey(hpa)),
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    await runController(
      [this.#hpaInformer, this.#podInformer],
      [
        {
          queue: this.queue,
          workers,
          signal,
          sync: (key) => this.sync(key),
          onError: (key, err) => this.#log(`horizontal-pod-autoscaler: error syncing "${key}": ${(err as Error).message}`),
        },
      ],
      signal,
    );
  }

  /** reconcileKey: reconciles the HPA, then looks again one sync period later (also after a failure). */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.#hpaInformer.lister.get(namespace, name);
    if (!cached) {
      this.#history.forget(key);
      return;
    }
    try {
      await this.reconcile(key, cloneJson(cached) as HPA);
    } catch (err) {
      this.#log(`horizontal-pod-autoscaler: ${key}: ${(err as Error).message}`);
    }
    this.queue.addAfter(key, this.#timings.syncPeriodMs);
  }

  async reconcile(key: string, hpa: HPA): Promise<void> {
    const original = JSON.stringify(hpa.status ?? {});
    // the API's defaults (behavior's scaleUp and scaleDown rules) whatever the object came through
    defaultHPA(hpa);
    const now = this.#now();
    const namespace = hpa.metadata.namespace ?? '';
    const spec = hpa.spec ?? {};
    const ref = spec.scaleTargetRef ?? {};
    const reference = `${ref.kind}/${ref.name}`;
    let target: Awaited<ReturnType<ScaleTargets['get']>>;
    try {
      target = await this.#targets.get(namespace, ref);
    } catch (err) {
      const message = (err as Error).message;
      this.#recorder.event(hpa, 'Warning', 'FailedGetScale', message);
      setCondition(
        hpa,
        {
          type: 'AbleToScale',
          status: 'False',
          reason: 'FailedGetScale',
          message: `the HPA controller was unable to get the target's current scale: ${message}`,
        },
        now,
      );
      await this.#updateStatusIfNeeded(hpa, original);
      throw new Error(`failed to query scale subresource for ${reference}: ${message}`);
    }
    setCondition(
      hpa,
      {
        type: 'AbleToScale',
        status: 'True',
        reason: 'SucceededGetScale',
        message: "the HPA controller was able to get the target's current scale",
      },
      now,
    );
    const scale = target.scale;
    const currentReplicas = Number(asObj(scale['spec'])?.['replicas'] ?? 0);
    const minReplicas = spec.minReplicas ?? 1;
    const maxReplicas = spec.maxReplicas ?? 0;
    let desiredReplicas = 0;
    let rescale = true;
    let reason = '';
    let statuses = hpa.status?.currentMetrics ?? [];
    if (currentReplicas === 0 && minReplicas !== 0) {
      rescale = false;
      setCondition(
        hpa,
        {
          type: 'ScalingActive',
          status: 'False',
          reason: 'ScalingDisabled',
          message: 'scaling is disabled since the replica count of the target is zero',
        },
        now,
      );
    } else if (currentReplicas > maxReplicas) {
      reason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = maxReplicas;
    } else if (currentReplicas < minReplicas) {
      reason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = minReplicas;
    } else {
      const selector = this.#selector(hpa, scale, now);
      const pods = selector
        ? (this.#podInformer.lister.list(namespace).filter((p) => selector.matches(p.metadata.labels ?? {})) as Pod[])
        : [];
      const result = selector
        ? await computeReplicasForMetrics(
            { client: this.#client, namespace, selector: selector.toString(), pods, currentReplicas, timings: this.#timings, now },
            objs(spec.metrics),
          )
        : undefined;
      for (const w of result?.warnings ?? []) this.#recorder.event(hpa, 'Warning', w.reason, w.message);
      if (result) setCondition(hpa, result.condition, now);
      if (!result || result.error !== undefined) {
        const error = result?.error ?? "the HPA target's scale has no valid selector";
        if (result) statuses = result.statuses;
        this.#setStatus(hpa, currentReplicas, hpa.status?.desiredReplicas ?? 0, statuses, false, now);
        await this.#updateStatusIfNeeded(hpa, original);
        this.#recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', error);
        throw new Error(`failed to compute desired number of replicas based on listed metrics for ${reference}: ${error}`);
      }
      statuses = result.statuses;
      desiredReplicas = result.replicas;
      if (desiredReplicas > currentReplicas) reason = `${result.metricName} above target`;
      if (desiredReplicas < currentReplicas) reason = 'All metrics below target';
      const normalized = this.#history.normalize({
        key,
        currentReplicas,
        desiredReplicas,
        minReplicas,
        maxReplicas,
        behavior: spec.behavior,
      });
      setCondition(hpa, { type: 'AbleToScale', status: 'True', ...normalized.ableToScale }, now);
      setCondition(hpa, { type: 'ScalingLimited', ...normalized.limited }, now);
      desiredReplicas = normalized.replicas;
      rescale = desiredReplicas !== currentReplicas;
    }
    if (rescale) {
      try {
        await this.#targets.update(namespace, target.gvr, { ...scale, spec: { ...asObj(scale['spec']), replicas: desiredReplicas } });
      } catch (err) {
        const message = (err as Error).message;
        this.#recorder.event(hpa, 'Warning', 'FailedRescale', `New size: ${desiredReplicas}; reason: ${reason}; error: ${message}`);
        setCondition(
          hpa,
          {
            type: 'AbleToScale',
            status: 'False',
            reason: 'FailedUpdateScale',
            message: `the HPA controller was unable to update the target scale: ${message}`,
          },
          now,
        );
        this.#setStatus(hpa, currentReplicas, hpa.status?.desiredReplicas ?? 0, statuses, false, now);
        await this.#updateStatusIfNeeded(hpa, original);
        throw new Error(`failed to rescale ${reference}: ${message}`);
      }
      setCondition(
        hpa,
        {
          type: 'AbleToScale',
          status: 'True',
          reason: 'SucceededRescale',
          message: `the HPA controller was able to update the target scale to ${desiredReplicas}`,
        },
        now,
      );
      this.#recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desiredReplicas}; reason: ${reason}`);
      this.#history.recordScale(key, spec.behavior, currentReplicas, desiredReplicas);
    } else {
      desiredReplicas = currentReplicas;
    }
    this.#setStatus(hpa, currentReplicas, desiredReplicas, statuses, rescale, now);
    await this.#updateStatusIfNeeded(hpa, original);
  }

  /** validateAndParseSelector: the target's scale must name its pods; undefined (with the condition set) when it does not. */
  #selector(hpa: HPA, scale: KubeObject, now: number): Selector | undefined {
    const text = str(asObj(scale['status'])?.['selector']);
    if (!text) {
      this.#recorder.event(hpa, 'Warning', 'SelectorRequired', 'selector is required');
      setCondition(
        hpa,
        { type: 'ScalingActive', status: 'False', reason: 'InvalidSelector', message: "the HPA target's scale is missing a selector" },
        now,
      );
      return undefined;
    }
    try {
      return parseSelector(text);
    } catch (err) {
      const message = `couldn't convert selector into a corresponding internal selector object: ${(err as Error).message}`;
      this.#recorder.event(hpa, 'Warning', 'InvalidSelector', message);
      setCondition(hpa, { type: 'ScalingActive', status: 'False', reason: 'InvalidSelector', message }, now);
      return undefined;
    }
  }

  #setStatus(hpa: HPA, currentReplicas: number, desiredReplicas: number, metrics: Obj[], rescale: boolean, now: number): void {
    const status = (hpa.status ??= {});
    status.currentReplicas = currentReplicas;
    status.desiredReplicas = desiredReplicas;
    if (metrics.length > 0) status.currentMetrics = metrics;
    else delete status.currentMetrics;
    if (rescale) status.lastScaleTime = rfc3339(now);
  }

  async #updateStatusIfNeeded(hpa: HPA, original: string): Promise<void> {
    if (JSON.stringify(hpa.status ?? {}) === original) return;
    await this.#hpas.updateStatus(hpa.metadata.namespace ?? '', hpa);
  }
}
