/**
 * The scheduler cache (upstream internal/cache): a NodeInfo per node with the pods bound to it
 * and the pods the scheduler assumed (placed in a cycle, binding not yet confirmed by the
 * informer). An assumed pod is confirmed when the informer reports it bound, forgotten when
 * binding fails, and expires `ttlMs` after its binding finished if the informer never confirms it.
 *
 * It is also the cycle's snapshot (NodeInfoLister): the scheduling cycle runs synchronously
 * from filtering to assume, so the NodeInfos it reads cannot change under it.
 */
import type { NodeInfoLister } from '../framework/interface.js';
import { NodeInfo, type PodMatcher, selects } from '../framework/node-info.js';
import { PodInfo } from '../framework/pod-info.js';
import { LABEL_TOPOLOGY_REGION, LABEL_TOPOLOGY_ZONE, type Node, type Pod, podKey } from '../types.js';

export const DEFAULT_ASSUMED_POD_TTL_MS = 15 * 60_000;
/** Matchers whose topology counts are kept before they start over. */
const MAX_TOPOLOGY_MATCHERS = 256;

interface PodState {
  podInfo: PodInfo;
  nodeName: string;
  /** When an assumed pod whose binding finished expires. */
  deadline: number | undefined;
  bindingFinished: boolean;
}

export interface CacheOptions {
  ttlMs?: number;
  now?: () => number;
}

export class SchedulerCache implements NodeInfoLister {
  readonly #nodes = new Map<string, NodeInfo>();
  readonly #pods = new Map<string, PodState>();
  readonly #assumed = new Set<string>();
  readonly #ttlMs: number;
  readonly #now: () => number;
  #list: NodeInfo[] | undefined;
  /** Per matcher and topology key: pods selected per label value (see topologyCounts). */
  readonly #topology = new Map<PodMatcher, Map<string, Map<string, number>>>();
  #affinityList: NodeInfo[] | undefined;
  #antiAffinityList: NodeInfo[] | undefined;

  constructor(opts: CacheOptions = {}) {
    this.#ttlMs = opts.ttlMs ?? DEFAULT_ASSUMED_POD_TTL_MS;
    this.#now = opts.now ?? Date.now;
  }

  // --- nodes ---

  addNode(node: Node): NodeInfo {
    const name = node.metadata.name ?? '';
    let ni = this.#nodes.get(name);
    if (ni) ni.setNode(node);
    else this.#nodes.set(name, (ni = new NodeInfo(node)));
    this.#invalidate();
    return ni;
  }

  updateNode(_old: Node, node: Node): NodeInfo {
    return this.addNode(node);
  }

  removeNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const ni = this.#nodes.get(name);
    if (!ni) return;
    // Pods still bound there stay accounted until their own deletion arrives.
    if (ni.pods.length > 0) ni.node = undefined;
    else this.#nodes.delete(name);
    this.#invalidate();
  }

  // --- pods ---

  /** Places the pod (spec.nodeName set) on its node ahead of the binding. */
  assumePod(pod: Pod): PodInfo {
    const key = podKey(pod);
    if (this.#pods.has(key)) throw new Error(`pod ${key} is in the cache, so can't be assumed`);
    const pi = this.#addPod(pod);
    this.#assumed.add(key);
    return pi;
  }

  /** The binding call returned; start the expiry clock. */
  finishBinding(pod: Pod): void {
    const st = this.#pods.get(podKey(pod));
    if (!st || !this.#assumed.has(podKey(pod))) return;
    st.bindingFinished = true;
    st.deadline = this.#now() + this.#ttlMs;
  }

  /** Drops an assumed pod whose binding failed. */
  forgetPod(pod: Pod): void {
    const key = podKey(pod);
    if (!this.#assumed.has(key)) return;
    this.#removeState(key);
  }

  isAssumedPod(pod: Pod): boolean {
    return this.#assumed.has(podKey(pod));
  }

  getPod(pod: Pod): Pod | undefined {
    return this.#pods.get(podKey(pod))?.podInfo.pod;
  }

  /** The informer saw a bound pod: confirms an assumed pod, or adds it. */
  addPod(pod: Pod): void {
    const key = podKey(pod);
    const st = this.#pods.get(key);
    if (st && this.#assumed.has(key)) {
      this.#assumed.delete(key);
      if (st.nodeName !== pod.spec.nodeName) {
        // bound elsewhere than assumed
        this.#removeState(key);
        this.#addPod(pod);
      } else {
        this.#replace(st, pod);
      }
      return;
    }
    if (st) {
      this.#replace(st, pod);
      return;
    }
    this.#addPod(pod);
  }

  updatePod(_old: Pod, pod: Pod): void {
    this.addPod(pod);
  }

  removePod(pod: Pod): void {
    const key = podKey(pod);
    this.#assumed.delete(key);
    this.#removeState(key);
  }

  /** Removes assumed pods whose binding finished more than ttl ago without confirmation. */
  cleanupAssumedPods(now = this.#now()): void {
    for (const key of this.#assumed) {
      const st = this.#pods.get(key);
      if (st?.bindingFinished && st.deadline !== undefined && now >= st.deadline) {
        this.#assumed.delete(key);
        this.#removeState(key);
      }
    }
  }

  #addPod(pod: Pod): PodInfo {
    const nodeName = pod.spec.nodeName ?? '';
    let ni = this.#nodes.get(nodeName);
    if (!ni) this.#nodes.set(nodeName, (ni = new NodeInfo(undefined, nodeName)));
    const pi = new PodInfo(pod);
    ni.addPod(pi);
    this.#countTopology(ni, pi, 1);
    this.#pods.set(pi.key, { podInfo: pi, nodeName, deadline: undefined, bindingFinished: false });
    if (pi.hasAffinity()) this.#invalidateAffinity();
    return pi;
  }

  #replace(st: PodState, pod: Pod): void {
    const key = st.podInfo.key;
    const old = st.podInfo;
    this.#removeState(key);
    const pi = this.#addPod(pod);
    // Keep an unchanged PodInfo's identity cheap to compare: nothing else to carry over.
    if (old.hasAffinity() !== pi.hasAffinity()) this.#invalidateAffinity();
  }

  #removeState(key: string): void {
    const st = this.#pods.get(key);
    if (!st) return;
    this.#pods.delete(key);
    const ni = this.#nodes.get(st.nodeName);
    if (!ni) return;
    if (ni.removePod(key)) this.#countTopology(ni, st.podInfo, -1);
    if (st.podInfo.hasAffinity()) this.#invalidateAffinity();
    if (!ni.node && ni.pods.length === 0) {
      this.#nodes.delete(st.nodeName);
      this.#invalidate();
    }
  }

  /** Node changes (labels, nodes coming and going) start the topology counts over. */
  #invalidate(): void {
    this.#list = undefined;
    this.#topology.clear();
    this.#invalidateAffinity();
  }

  #countTopology(ni: NodeInfo, pi: PodInfo, by: 1 | -1): void {
    if (!ni.node) return;
    for (const [matcher, byKey] of this.#topology) {
      if (!selects(matcher, pi)) continue;
      for (const [key, counts] of byKey) {
        const v = ni.labels[key];
        if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + by);
      }
    }
  }

  /** Counted once per matcher and key, then kept up to date as pods come and go. */
  topologyCounts(matcher: PodMatcher, topologyKey: string): ReadonlyMap<string, number> {
    let byKey = this.#topology.get(matcher);
    if (!byKey) {
      if (this.#topology.size >= MAX_TOPOLOGY_MATCHERS) this.#topology.clear();
      this.#topology.set(matcher, (byKey = new Map()));
    }
    let counts = byKey.get(topologyKey);
    if (!counts) {
      counts = new Map();
      for (const ni of this.list()) {
        const v = ni.labels[topologyKey];
        if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + ni.countMatchingPods(matcher));
      }
      byKey.set(topologyKey, counts);
    }
    return counts;
  }

  #invalidateAffinity(): void {
    this.#affinityList = undefined;
    this.#antiAffinityList = undefined;
  }

  // --- NodeInfoLister ---

  /** Nodes interleaved across zones (upstream nodeTree), so a partial scan still spreads. */
  list(): readonly NodeInfo[] {
    if (this.#list) return this.#list;
    const zones = new Map<string, NodeInfo[]>();
    for (const ni of this.#nodes.values()) {
      if (!ni.node) continue;
      const z = `${ni.labels[LABEL_TOPOLOGY_REGION] ?? ''}:\u0000:${ni.labels[LABEL_TOPOLOGY_ZONE] ?? ''}`;
      let l = zones.get(z);
      if (!l) zones.set(z, (l = []));
      l.push(ni);
    }
    const lists = [...zones.values()];
    const out: NodeInfo[] = [];
    for (let i = 0; out.length < this.#countNodes(lists); i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
    this.#list = out;
    return out;
  }

  #countNodes(lists: NodeInfo[][]): number {
    let n = 0;
    for (const l of lists) n += l.length;
    return n;
  }

  get(name: string): NodeInfo | undefined {
    const ni = this.#nodes.get(name);
    return ni?.node ? ni : undefined;
  }

  havePodsWithAffinityList(): readonly NodeInfo[] {
    return (this.#affinityList ??= this.list().filter((ni) => ni.podsWithAffinity.length > 0));
  }

  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[] {
    return (this.#antiAffinityList ??= this.list().filter((ni) => ni.podsWithRequiredAntiAffinity.length > 0));
  }

  get nodeCount(): number {
    return this.list().length;
  }

  get podCount(): number {
    return this.#pods.size;
  }

  get assumedPodCount(): number {
    return this.#assumed.size;
  }
}
