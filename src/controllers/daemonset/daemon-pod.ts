/**
 * A daemon pod's template (pkg/controller/daemon/util): the tolerations every daemon pod gets,
 * the node affinity that pins it to one node (`matchFields metadata.name In [node]`, bound by
 * the default scheduler), the labels naming its template, and which node a pod is meant for.
 */
import type { Pod as SchedulerPod, Toleration } from '../../scheduler/types.js';
import { semanticEqual } from '../controller-utils/equality.js';
import type { Pod, PodTemplateSpec } from '../controller-utils/types.js';
import { cloneJson } from '../../machinery/clone.js';
import { type DaemonSet, DAEMON_SET_UNIQUE_LABEL, TEMPLATE_GENERATION_ANNOTATION, TEMPLATE_GENERATION_LABEL } from './types.js';

type PodSpec = Partial<SchedulerPod['spec']>;
type Affinity = NonNullable<SchedulerPod['spec']['affinity']>;

const exists = (key: string, effect: string): Toleration => ({ key, operator: 'Exists', effect });

/** The tolerations AddOrUpdateDaemonPodTolerations adds to every daemon pod. */
export const DAEMON_POD_TOLERATIONS: readonly Toleration[] = [
  exists('node.kubernetes.io/not-ready', 'NoExecute'),
  exists('node.kubernetes.io/unreachable', 'NoExecute'),
  exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
  exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
  exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
  exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
];
/** Added too when the pod uses the host's network. */
export const NETWORK_UNAVAILABLE_TOLERATION: Toleration = exists('node.kubernetes.io/network-unavailable', 'NoSchedule');

/** Toleration.MatchToleration: same key, operator, value and effect. */
function matchToleration(a: Toleration, b: Toleration): boolean {
  return (
    (a.key ?? '') === (b.key ?? '') &&
    (a.operator ?? '') === (b.operator ?? '') &&
    (a.value ?? '') === (b.value ?? '') &&
    (a.effect ?? '') === (b.effect ?? '')
  );
}

/** AddOrUpdateTolerationInPodSpec: replaces a matching toleration, or appends. */
function addOrUpdateToleration(spec: PodSpec, toleration: Toleration): void {
  const current = spec.tolerations ?? [];
  let updated = false;
  const next: Toleration[] = [];
  for (const t of current) {
    if (!matchToleration(toleration, t)) next.push(t);
    else if (semanticEqual(toleration, t)) return;
    else {
      next.push({ ...toleration });
      updated = true;
    }
  }
  if (!updated) next.push({ ...toleration });
  spec.tolerations = next;
}

/** AddOrUpdateDaemonPodTolerations. */
export function addDaemonPodTolerations(spec: PodSpec): void {
  for (const t of DAEMON_POD_TOLERATIONS) addOrUpdateToleration(spec, t);
  if (spec['hostNetwork'] === true) addOrUpdateToleration(spec, NETWORK_UNAVAILABLE_TOLERATION);
}

/**
 * ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes the single term
 * `matchFields metadata.name In [nodeName]` (the controller already checked the others).
 */
export function replaceNodeNameNodeAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const terms = [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }];
  const next: Affinity = { ...affinity };
  next.nodeAffinity = { ...next.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } };
  return next;
}

/** GetTemplateGeneration: the annotation the API server keeps (undefined when absent or not a number). */
export function templateGeneration(ds: DaemonSet): number | undefined {
  const v = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

/** CreatePodTemplate: the template with the daemon tolerations and the generation and hash labels. */
export function createPodTemplate(template: PodTemplateSpec | undefined, generation: number | undefined, hash: string): PodTemplateSpec {
  const t = cloneJson(template ?? {});
  const spec = (t.spec ??= {}) as PodSpec;
  addDaemonPodTolerations(spec);
  const labels = { ...t.metadata?.labels };
  if (generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = String(generation);
  if (hash) labels[DAEMON_SET_UNIQUE_LABEL] = hash;
  t.metadata = { ...t.metadata, labels };
  return t;
}

/** IsPodUpdated: the pod carries the current revision's hash, or the current template generation. */
export function isPodUpdated(pod: Pod, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const generationMatches = generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === String(generation);
  const hashMatches = hash.length > 0 && labels[DAEMON_SET_UNIQUE_LABEL] === hash;
  return hashMatches || generationMatches;
}

/**
 * GetTargetNodeName: spec.nodeName once bound, else the node its `metadata.name` matchFields
 * names; undefined for a pod aimed at no single node.
 */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const affinity = (pod.spec as PodSpec | undefined)?.affinity;
  const terms = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}
