/**
 * HorizontalPodAutoscaler conversion between autoscaling/v1 and autoscaling/v2 (the stored
 * version), as pkg/apis/autoscaling/v1/conversion.go does it: v1's targetCPUUtilizationPercentage
 * is a Resource cpu Utilization metric; every other v2 field round-trips through annotations.
 */
import type { KubeObject } from '../../machinery/object.js';
import { asObj, objs, type Obj } from '../core/access.js';
import { cloneJson } from '../../machinery/clone.js';

export const METRIC_SPECS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const METRIC_STATUSES_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
/** The CPU target autoscaling/v1 implies when none is given. */
export const DEFAULT_CPU_UTILIZATION = 80;

const ROUND_TRIP_ANNOTATIONS = [METRIC_SPECS_ANNOTATION, METRIC_STATUSES_ANNOTATION, CONDITIONS_ANNOTATION, BEHAVIOR_ANNOTATION];

function cpuUtilizationMetric(value: number): Obj {
  return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: value } } };
}

/** A v2 metric spec that v1 expresses as targetCPUUtilizationPercentage. */
function isCPUUtilization(m: Obj): boolean {
  const r = asObj(m['resource']);
  return m['type'] === 'Resource' && r?.['name'] === 'cpu' && typeof asObj(r['target'])?.['averageUtilization'] === 'number';
}

function copyFields(from: Obj, keys: readonly string[]): Obj {
  const out: Obj = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = cloneJson(from[k]);
  return out;
}

function parseJSON(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** autoscaling/v2 → autoscaling/v1. */
export function hpaV1FromV2(obj: KubeObject): KubeObject {
  const spec = asObj(obj['spec']) ?? {};
  const status = asObj(obj['status']);
  const metadata = cloneJson(obj.metadata);
  const annotations: Record<string, string> = { ...(metadata.annotations ?? {}) };
  const metrics = objs(spec['metrics']);
  const others = metrics.filter((m) => !isCPUUtilization(m));
  if (others.length > 0) annotations[METRIC_SPECS_ANNOTATION] = JSON.stringify(others);
  const currentMetrics = objs(status?.['currentMetrics']);
  if (currentMetrics.length > 0) annotations[METRIC_STATUSES_ANNOTATION] = JSON.stringify(currentMetrics);
  if (asObj(spec['behavior'])) annotations[BEHAVIOR_ANNOTATION] = JSON.stringify(spec['behavior']);
  const conditions = objs(status?.['conditions']);
  if (conditions.length > 0) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(conditions);
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;

  const v1Spec = copyFields(spec, ['scaleTargetRef', 'minReplicas', 'maxReplicas']);
  const cpu = metrics.find((m) => m['type'] === 'Resource' && asObj(m['resource'])?.['name'] === 'cpu');
  const target = asObj(asObj(cpu?.['resource'])?.['target'])?.['averageUtilization'];
  if (typeof target === 'number') v1Spec['targetCPUUtilizationPercentage'] = target;

  const out: KubeObject = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata, spec: v1Spec };
  if (status) {
    const v1Status: Obj = copyFields(status, ['observedGeneration', 'lastScaleTime']);
    v1Status['currentReplicas'] = typeof status['currentReplicas'] === 'number' ? status['currentReplicas'] : 0;
    v1Status['desiredReplicas'] = typeof status['desiredReplicas'] === 'number' ? status['desiredReplicas'] : 0;
    for (const m of currentMetrics) {
      const r = asObj(m['resource']);
      const current = asObj(r?.['current'])?.['averageUtilization'];
      if (m['type'] === 'Resource' && r?.['name'] === 'cpu' && typeof current === 'number')
        v1Status['currentCPUUtilizationPercentage'] = current;
    }
    out['status'] = v1Status;
  }
  return out;
}

/** autoscaling/v1 → autoscaling/v2; v1 without a CPU target or other metrics gets the 80% default. */
export function hpaV2FromV1(obj: KubeObject): KubeObject {
  const spec = asObj(obj['spec']) ?? {};
  const status = asObj(obj['status']);
  const metadata = cloneJson(obj.metadata);
  const annotations = metadata.annotations ?? {};

  const v2Spec = copyFields(spec, ['scaleTargetRef', 'minReplicas', 'maxReplicas']);
  const metrics: unknown[] = [];
  const others = parseJSON(annotations[METRIC_SPECS_ANNOTATION]);
  if (Array.isArray(others)) metrics.push(...others);
  if (typeof spec['targetCPUUtilizationPercentage'] === 'number')
    metrics.push(cpuUtilizationMetric(spec['targetCPUUtilizationPercentage']));
  if (metrics.length === 0) metrics.push(cpuUtilizationMetric(DEFAULT_CPU_UTILIZATION));
  v2Spec['metrics'] = metrics;
  const behavior = asObj(parseJSON(annotations[BEHAVIOR_ANNOTATION]));
  if (behavior) v2Spec['behavior'] = behavior;

  const out: KubeObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata, spec: v2Spec };
  if (status) {
    const v2Status = copyFields(status, ['observedGeneration', 'lastScaleTime', 'currentReplicas']);
    v2Status['desiredReplicas'] = typeof status['desiredReplicas'] === 'number' ? status['desiredReplicas'] : 0;
    const cpu = status['currentCPUUtilizationPercentage'];
    if (typeof cpu === 'number')
      v2Status['currentMetrics'] = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: cpu } } }];
    const current = parseJSON(annotations[METRIC_STATUSES_ANNOTATION]);
    if (Array.isArray(current)) v2Status['currentMetrics'] = current;
    const conditions = parseJSON(annotations[CONDITIONS_ANNOTATION]);
    if (Array.isArray(conditions)) v2Status['conditions'] = conditions;
    out['status'] = v2Status;
  }
  const kept = { ...annotations };
  for (const k of ROUND_TRIP_ANNOTATIONS) delete kept[k];
  if (Object.keys(kept).length > 0) metadata.annotations = kept;
  else delete metadata.annotations;
  return out;
}
