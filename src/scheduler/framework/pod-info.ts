/**
 * A pod with what the scheduler derives from it once: requests, host ports and parsed affinity
 * terms (upstream framework.PodInfo), and its place in the queue (QueuedPodInfo).
 */
import { labelSelectorFromMeta, newRequirement, nothing, type Selector } from '../../machinery/labels.js';
import type { ContainerPort, Pod, PodAffinityTerm, WeightedPodAffinityTerm } from '../types.js';
import { podKey } from '../types.js';
import { computePodRequests, type Resource } from './resource.js';

/** A pod (anti-)affinity term with its selectors parsed. */
export interface AffinityTerm {
  selector: Selector;
  topologyKey: string;
  namespaces: ReadonlySet<string>;
  /** Nothing when the term has no namespaceSelector. */
  namespaceSelector: Selector;
  weight: number;
}

/** Looks up a namespace's labels (for namespaceSelector); undefined when unknown. */
export type NamespaceLabels = (namespace: string) => Record<string, string> | undefined;

export function affinityTermMatches(term: AffinityTerm, pod: Pod, nsLabels: NamespaceLabels | undefined): boolean {
  const ns = pod.metadata.namespace ?? '';
  if (!term.namespaces.has(ns)) {
    const sel = term.namespaceSelector;
    if (sel.nothing) return false;
    if (!sel.isEmpty() && !sel.matches(nsLabels?.(ns) ?? {})) return false;
  }
  return term.selector.matches(pod.metadata.labels);
}

const NOTHING = nothing();

function parseSelector(ls: PodAffinityTerm['labelSelector']): Selector {
  try {
    return labelSelectorFromMeta(ls);
  } catch {
    return NOTHING;
  }
}

export function newAffinityTerm(pod: Pod, term: PodAffinityTerm, weight = 0): AffinityTerm {
  let selector = parseSelector(term.labelSelector);
  const labels = pod.metadata.labels ?? {};
  if (term.labelSelector && (term.matchLabelKeys?.length || term.mismatchLabelKeys?.length)) {
    try {
      for (const k of term.matchLabelKeys ?? []) if (labels[k] !== undefined) selector = selector.add(newRequirement(k, 'in', [labels[k]]));
      for (const k of term.mismatchLabelKeys ?? [])
        if (labels[k] !== undefined) selector = selector.add(newRequirement(k, 'notin', [labels[k]]));
    } catch {
      // invalid keys leave the selector as written
    }
  }
  const namespaces =
    (term.namespaces?.length ?? 0) === 0 && !term.namespaceSelector
      ? new Set([pod.metadata.namespace ?? ''])
      : new Set(term.namespaces ?? []);
  const namespaceSelector = term.namespaceSelector ? parseSelector(term.namespaceSelector) : NOTHING;
  return { selector, topologyKey: term.topologyKey, namespaces, namespaceSelector, weight };
}

function terms(pod: Pod, list: PodAffinityTerm[] | undefined): AffinityTerm[] {
  return (list ?? []).map((t) => newAffinityTerm(pod, t));
}

function weighted(pod: Pod, list: WeightedPodAffinityTerm[] | undefined): AffinityTerm[] {
  return (list ?? []).filter((w) => w.weight !== 0).map((w) => newAffinityTerm(pod, w.podAffinityTerm, w.weight));
}

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

const NO_TERMS: AffinityTerm[] = [];

export class PodInfo {
  readonly pod: Pod;
  readonly key: string;
  readonly priority: number;
  /** Requests as the Fit filter counts them. */
  readonly requests: Resource;
  /** Requests with 100m / 200Mi defaults for missing cpu / memory (for scoring). */
  readonly nonZeroRequests: Resource;
  readonly hostPorts: HostPort[];
  readonly requiredAffinityTerms: AffinityTerm[];
  readonly requiredAntiAffinityTerms: AffinityTerm[];
  readonly preferredAffinityTerms: AffinityTerm[];
  readonly preferredAntiAffinityTerms: AffinityTerm[];

  constructor(pod: Pod) {
    this.pod = pod;
    this.key = podKey(pod);
    this.priority = pod.spec.priority ?? 0;
    this.requests = computePodRequests(pod, false);
    this.nonZeroRequests = computePodRequests(pod, true);
    this.hostPorts = podHostPorts(pod);
    const a = pod.spec.affinity;
    const pa = a?.podAffinity;
    const paa = a?.podAntiAffinity;
    this.requiredAffinityTerms = pa ? terms(pod, pa.requiredDuringSchedulingIgnoredDuringExecution) : NO_TERMS;
    this.requiredAntiAffinityTerms = paa ? terms(pod, paa.requiredDuringSchedulingIgnoredDuringExecution) : NO_TERMS;
    this.preferredAffinityTerms = pa ? weighted(pod, pa.preferredDuringSchedulingIgnoredDuringExecution) : NO_TERMS;
    this.preferredAntiAffinityTerms = paa ? weighted(pod, paa.preferredDuringSchedulingIgnoredDuringExecution) : NO_TERMS;
  }

  hasAffinity(): boolean {
    return (
      this.requiredAffinityTerms.length +
        this.requiredAntiAffinityTerms.length +
        this.preferredAffinityTerms.length +
        this.preferredAntiAffinityTerms.length >
      0
    );
  }
}

function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  const add = (ports: ContainerPort[] | undefined) => {
    for (const p of ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  };
  for (const c of pod.spec.containers ?? []) add(c.ports);
  for (const c of pod.spec.initContainers ?? []) if (c.restartPolicy === 'Always') add(c.ports);
  return out;
}

/** A pod waiting in the scheduling queue. */
export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** When the pod was last added to the queue (ms). */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** When the pod was first seen by the queue (ms). */
  initialAttemptTimestamp: number;
  /** Plugins that rejected it in the last attempt; the queue moves it on their events. */
  unschedulablePlugins: Set<string>;
  /** A PreEnqueue plugin kept it out of activeQ. */
  gated: boolean;
  /** The cycle in which it was popped. */
  schedulingCycle: number;
}

export function newQueuedPodInfo(pod: Pod, now: number): QueuedPodInfo {
  return {
    podInfo: new PodInfo(pod),
    timestamp: now,
    attempts: 0,
    initialAttemptTimestamp: now,
    unschedulablePlugins: new Set(),
    gated: false,
    schedulingCycle: 0,
  };
}
