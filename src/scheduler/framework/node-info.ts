/**
 * What the scheduler knows about one node: the Node, the pods on it (bound and assumed), their
 * summed requests, used host ports and the pods with (anti-)affinity (upstream framework.NodeInfo).
 */
import type { Selector } from '../../machinery/labels.js';
import type { Node, Pod } from '../types.js';
import type { HostPort, PodInfo } from './pod-info.js';
import { Resource } from './resource.js';

let generation = 0;
/** A process-wide counter; a NodeInfo's generation changes on every mutation. */
export function nextGeneration(): number {
  return ++generation;
}

/** Pods of one namespace whose labels match a selector. */
export interface PodMatcher {
  readonly selector: Selector;
  readonly namespace: string;
}

export class NodeInfo {
  /** Undefined while pods reference a node the cache has not seen yet. */
  node: Node | undefined;
  name: string;
  labels: Record<string, string>;
  pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  /** "ip protocol port" entries in use. */
  usedPorts = new Map<string, number>();
  requested = new Resource();
  nonZeroRequested = new Resource();
  allocatable = new Resource();
  generation = nextGeneration();
  /** Pods here matching each asked-for PodMatcher, kept up to date as pods come and go. */
  #matchCounts: Map<PodMatcher, number> | undefined;

  constructor(node?: Node, name?: string) {
    this.node = node;
    this.name = node?.metadata.name ?? name ?? '';
    this.labels = node?.metadata.labels ?? {};
    if (node) this.setNode(node);
  }

  setNode(node: Node): void {
    this.node = node;
    this.name = node.metadata.name ?? '';
    this.labels = node.metadata.labels ?? {};
    this.allocatable = Resource.fromList(node.status?.allocatable);
    this.generation = nextGeneration();
  }

  addPod(pi: PodInfo): void {
    this.pods.push(pi);
    if (pi.hasAffinity()) this.podsWithAffinity.push(pi);
    if (pi.requiredAntiAffinityTerms.length > 0) this.podsWithRequiredAntiAffinity.push(pi);
    this.#account(pi, 1);
  }

  /** Removes the pod with this key; returns false when it was not here. */
  removePod(key: string): boolean {
    const i = this.pods.findIndex((p) => p.key === key);
    if (i < 0) return false;
    const pi = this.pods[i]!;
    this.pods[i] = this.pods[this.pods.length - 1]!;
    this.pods.pop();
    const drop = (list: PodInfo[]) => {
      const j = list.findIndex((p) => p.key === key);
      if (j >= 0) list.splice(j, 1);
    };
    if (pi.hasAffinity()) drop(this.podsWithAffinity);
    if (pi.requiredAntiAffinityTerms.length > 0) drop(this.podsWithRequiredAntiAffinity);
    this.#account(pi, -1);
    return true;
  }

  #account(pi: PodInfo, sign: 1 | -1): void {
    this.requested.add(pi.requests, sign);
    this.nonZeroRequested.add(pi.nonZeroRequests, sign);
    for (const hp of pi.hostPorts) {
      const k = portKey(hp);
      const n = (this.usedPorts.get(k) ?? 0) + sign;
      if (n > 0) this.usedPorts.set(k, n);
      else this.usedPorts.delete(k);
    }
    this.generation = nextGeneration();
    if (this.#matchCounts) for (const [m, n] of this.#matchCounts) if (selects(m, pi)) this.#matchCounts.set(m, n + sign);
  }

  /**
   * Pods here (not being deleted) that `matcher` selects. Counted once per matcher object, then
   * kept up to date as pods come and go: spreading asks this for the same matchers on every
   * node in every cycle, so callers should reuse one matcher object per selector and namespace.
   */
  countMatchingPods(matcher: PodMatcher): number {
    if (this.pods.length === 0 && !this.#matchCounts) return 0;
    this.#matchCounts ??= new Map();
    let n = this.#matchCounts.get(matcher);
    if (n === undefined) {
      n = 0;
      for (const p of this.pods) if (selects(matcher, p)) n++;
      if (this.#matchCounts.size >= MAX_MATCH_COUNTS) this.#matchCounts.clear();
      this.#matchCounts.set(matcher, n);
    }
    return n;
  }

  /** Whether any wanted host port conflicts with ports in use (0.0.0.0 conflicts with every IP). */
  portsConflict(wanted: readonly HostPort[]): boolean {
    for (const hp of wanted) {
      if (hp.ip === '0.0.0.0') {
        for (const k of this.usedPorts.keys()) {
          const [, proto, port] = k.split(' ');
          if (proto === hp.protocol && Number(port) === hp.port) return true;
        }
      } else if (this.usedPorts.has(portKey(hp)) || this.usedPorts.has(portKey({ ...hp, ip: '0.0.0.0' }))) {
        return true;
      }
    }
    return false;
  }

  /** A copy whose pod lists and sums can change without touching this one (for preemption dry runs). */
  clone(): NodeInfo {
    const c = new NodeInfo(undefined, this.name);
    c.node = this.node;
    c.labels = this.labels;
    c.pods = [...this.pods];
    c.podsWithAffinity = [...this.podsWithAffinity];
    c.podsWithRequiredAntiAffinity = [...this.podsWithRequiredAntiAffinity];
    c.usedPorts = new Map(this.usedPorts);
    c.requested = this.requested.clone();
    c.nonZeroRequested = this.nonZeroRequested.clone();
    c.allocatable = this.allocatable;
    c.generation = this.generation;
    return c;
  }

  podByKey(key: string): Pod | undefined {
    return this.pods.find((p) => p.key === key)?.pod;
  }
}

/** Whether the pod counts for the matcher: in its namespace, selected, not being deleted. */
export function selects(matcher: PodMatcher, pi: PodInfo): boolean {
  const m = pi.pod.metadata;
  return !m.deletionTimestamp && m.namespace === matcher.namespace && matcher.selector.matches(m.labels);
}

/** Matchers remembered per node before the memo starts over. */
const MAX_MATCH_COUNTS = 256;

function portKey(hp: HostPort): string {
  return `${hp.ip} ${hp.protocol} ${hp.port}`;
}
