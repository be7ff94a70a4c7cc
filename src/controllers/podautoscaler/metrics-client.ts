/**
 * The resource metrics the HPA reads (upstream podautoscaler/metrics' resourceMetricsClient):
 * PodMetrics of the target's pods from metrics.k8s.io, each pod's usage of one resource in
 * milli-units (the sum of its containers', or one container's), with the sample's timestamp
 * and window.
 */
import { asObj, objs, str } from '../../api/core/access.js';
import type { Clientset, GroupVersionResource } from '../../client/interface.js';
import { parseGoDuration } from '../../machinery/protobuf/go-duration.js';
import type { KubeObject } from '../../machinery/object.js';
import { parseQuantity } from '../../machinery/quantity.js';

export const POD_METRICS: GroupVersionResource = { group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods' };

export interface PodMetric {
  /** Epoch ms. */
  timestamp: number;
  windowMs: number;
  /** Milli-units: millicores, millibytes. */
  value: number;
}

/** Pod name → metric. */
export type PodMetricsInfo = Map<string, PodMetric>;

function milli(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  try {
    return parseQuantity(str(v)).milliValue();
  } catch {
    return undefined;
  }
}

function windowMs(v: unknown): number {
  try {
    return Number(parseGoDuration(str(v)) / 1_000_000n);
  } catch {
    return 0;
  }
}

/** GetResourceMetric: the usage of `resource` by the pods the selector picks (of `container` when given). */
export async function getResourceMetric(
  client: Clientset,
  resource: string,
  namespace: string,
  selector: string,
  container: string,
): Promise<{ metrics: PodMetricsInfo; timestamp: number }> {
  let items: KubeObject[];
  try {
    items = (await client.resource(POD_METRICS).list(namespace, { labelSelector: selector })).items;
  } catch (err) {
    throw new Error(`unable to fetch metrics from resource metrics API: ${(err as Error).message}`);
  }
  if (items.length === 0) throw new Error('no metrics returned from resource metrics API');
  const metrics: PodMetricsInfo = new Map();
  for (const m of items) {
    const containers = objs(m['containers']);
    const base = { timestamp: Date.parse(str(m['timestamp'])), windowMs: windowMs(m['window']) };
    if (container) {
      const c = containers.find((x) => x['name'] === container);
      if (!c) {
        throw new Error(
          `failed to get container metrics: container ${container} not present in metrics for pod ${m.metadata.namespace}/${m.metadata.name}`,
        );
      }
      const v = milli(asObj(c['usage'])?.[resource]);
      if (v !== undefined) metrics.set(m.metadata.name ?? '', { ...base, value: v });
      continue;
    }
    let sum = 0;
    let missing = containers.length === 0;
    for (const c of containers) {
      const v = milli(asObj(c['usage'])?.[resource]);
      if (v === undefined) missing = true;
      else sum += v;
    }
    if (!missing) metrics.set(m.metadata.name ?? '', { ...base, value: sum });
  }
  return { metrics, timestamp: Date.parse(str(items[0]?.['timestamp'])) };
}
