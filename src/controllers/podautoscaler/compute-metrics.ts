/**
 * computeReplicasForMetrics (upstream horizontal.go): the replica count each metric of an HPA
 * asks for, the highest wins; the MetricStatus of each; the ScalingActive condition. Resource
 * and ContainerResource metrics are read from metrics.k8s.io; Pods, Object and External metrics
 * need a custom or external metrics API, which this cluster does not serve.
 */
import { asObj, num, str, type Obj } from '../../api/core/access.js';
import type { Clientset } from '../../client/interface.js';
import { newMilliQuantity, parseQuantity } from '../../machinery/quantity.js';
import type { Pod } from '../controller-utils/types.js';
import { getResourceMetric } from './metrics-client.js';
import type { HorizontalControllerTimings } from './options.js';
import { rawResourceReplicas, resourceReplicas } from './replica-calculator.js';

export interface HPACondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export interface MetricsResult {
  /** -1 when the metrics give no answer (error set). */
  replicas: number;
  /** The metric that asked for the most replicas, e.g. "cpu resource utilization (percentage of request)". */
  metricName: string;
  statuses: Obj[];
  condition: HPACondition;
  error?: string;
  /** Warning events to record: reason and message. */
  warnings: { reason: string; message: string }[];
}

export interface MetricsContext {
  client: Clientset;
  namespace: string;
  selector: string;
  pods: readonly Pod[];
  currentReplicas: number;
  timings: HorizontalControllerTimings;
  now: number;
}

interface One {
  replicas: number;
  name: string;
  status: Obj;
}

class MetricError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const FAILED_REASON: Record<string, string> = {
  Resource: 'FailedGetResourceMetric',
  ContainerResource: 'FailedGetContainerResourceMetric',
  Pods: 'FailedGetPodsMetric',
  Object: 'FailedGetObjectMetric',
  External: 'FailedGetExternalMetric',
};

/** computeStatusForResourceMetricGeneric. */
async function resourceMetric(
  ctx: MetricsContext,
  source: Obj,
  container: string,
): Promise<{ replicas: number; name: string; current: Obj }> {
  const resource = str(source['name']);
  const target = asObj(source['target']) ?? {};
  const kind = container ? `${resource} container resource` : `${resource} resource`;
  const byValue = target['averageValue'] !== undefined && target['averageValue'] !== null;
  const targetUtilization = num(target['averageUtilization']);
  if (!byValue && targetUtilization === undefined) {
    throw new Error('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
  }
  const what = byValue ? `${resource} usage` : `${resource} utilization`;
  try {
    const { metrics } = await getResourceMetric(ctx.client, resource, ctx.namespace, ctx.selector, container).catch((err: Error) => {
      throw new Error(`unable to get metrics for resource ${resource}: ${err.message}`);
    });
    const input = { currentReplicas: ctx.currentReplicas, pods: ctx.pods, metrics, resource, timings: ctx.timings, now: ctx.now };
    if (byValue) {
      const r = rawResourceReplicas(input, parseQuantity(str(target['averageValue'])).milliValue());
      return { replicas: r.replicas, name: kind, current: { averageValue: newMilliQuantity(r.usage).toString() } };
    }
    const r = resourceReplicas(input, targetUtilization as number, container);
    return {
      replicas: r.replicas,
      name: `${kind} utilization (percentage of request)`,
      current: { averageValue: newMilliQuantity(r.rawAverage).toString(), averageUtilization: r.utilization },
    };
  } catch (err) {
    throw new Error(`failed to get ${what}: ${(err as Error).message}`);
  }
}

async function computeOne(ctx: MetricsContext, spec: Obj): Promise<One> {
  const type = str(spec['type']);
  const reason = FAILED_REASON[type] ?? 'InvalidMetricSourceType';
  try {
    if (type === 'Resource') {
      const source = asObj(spec['resource']) ?? {};
      const r = await resourceMetric(ctx, source, '');
      return { replicas: r.replicas, name: r.name, status: { type, resource: { name: source['name'], current: r.current } } };
    }
    if (type === 'ContainerResource') {
      const source = asObj(spec['containerResource']) ?? {};
      const r = await resourceMetric(ctx, source, str(source['container']));
      return {
        replicas: r.replicas,
        name: r.name,
        status: { type, containerResource: { name: source['name'], container: source['container'], current: r.current } },
      };
    }
    if (type in FAILED_REASON) {
      const metric = str(asObj(asObj(spec[type.toLowerCase()])?.['metric'])?.['name']);
      const api = type === 'External' ? 'external' : 'custom';
      throw new Error(
        `unable to get metric ${metric}: unable to fetch metrics from ${api} metrics API: no ${api} metrics API (${api}.metrics.k8s.io) registered`,
      );
    }
    throw new Error(`unknown metric source type "${type}"`);
  } catch (err) {
    throw new MetricError(reason, (err as Error).message);
  }
}

export async function computeReplicasForMetrics(ctx: MetricsContext, specs: readonly Obj[]): Promise<MetricsResult> {
  const statuses: Obj[] = [];
  const warnings: MetricsResult['warnings'] = [];
  let replicas = 0;
  let metricName = '';
  let invalid = 0;
  let first: MetricError | undefined;
  for (const spec of specs) {
    try {
      const one = await computeOne(ctx, spec);
      statuses.push(one.status);
      if (one.replicas > replicas) {
        replicas = one.replicas;
        metricName = one.name;
      }
    } catch (err) {
      const e = err as MetricError;
      warnings.push({ reason: e.reason, message: e.message });
      statuses.push({ type: '' });
      first ??= e;
      invalid++;
    }
  }
  if (first && (invalid >= specs.length || replicas < ctx.currentReplicas)) {
    return {
      replicas: -1,
      metricName: '',
      statuses,
      warnings,
      condition: {
        type: 'ScalingActive',
        status: 'False',
        reason: first.reason,
        message: `the HPA was unable to compute the replica count: ${first.message}`,
      },
      error: `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${first.message}`,
    };
  }
  return {
    replicas,
    metricName,
    statuses,
    warnings,
    condition: {
      type: 'ScalingActive',
      status: 'True',
      reason: 'ValidMetricFound',
      message: `the HPA was able to successfully calculate a replica count from ${metricName}`,
    },
  };
}
