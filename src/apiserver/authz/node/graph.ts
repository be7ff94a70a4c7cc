/**
 * The node authorizer's graph (upstream plugin/pkg/auth/authorizer/node/graph.go), kept as
 * reference counts: for each object a pod bound to a node refers to (Secret, ConfigMap, PVC,
 * ServiceAccount, ResourceClaim), the nodes whose pods refer to it and how many. A
 * PersistentVolume reaches a node through the claim it is bound to, a Secret also through the
 * PersistentVolumes that refer to it. Each pod or volume change costs its own references only,
 * so the graph stays cheap at thousands of nodes; reads are one or two map lookups.
 *
 *   graph.setPod(key, pod | undefined) · graph.setVolume(name, pv | undefined)
 *   graph.reachable(nodeName, type, namespace, name): boolean
 *   graph.follow({ pods, volumes }): keeps the graph in step with the two watch caches
 */
import type { KubeObject } from '../../../machinery/object.js';
import type { WatchCache } from '../../watch/cache.js';
import { podReferences, type ReferenceType, volumeSecretReferences } from './pod-references.js';

export type VertexType = ReferenceType | 'persistentvolume';

interface PodEntry {
  node: string;
  /** `namespace/type/name` of each reference. */
  refs: string[];
}

interface VolumeEntry {
  /** `namespace/name` of the claim the volume is bound to (spec.claimRef). */
  claim: string;
  /** `namespace/name` of the Secrets it refers to. */
  secrets: string[];
}

function nodeNameOf(pod: KubeObject): string {
  const n = (pod['spec'] as { nodeName?: unknown } | undefined)?.nodeName;
  return typeof n === 'string' ? n : '';
}

export class NodeGraph {
  /** `namespace/type/name` → node name → how many of its pods refer to it. */
  readonly #refs = new Map<string, Map<string, number>>();
  readonly #pods = new Map<string, PodEntry>();
  readonly #volumes = new Map<string, VolumeEntry>();
  /** Secret `namespace/name` → the volumes that refer to it. */
  readonly #volumeSecrets = new Map<string, Set<string>>();

  /** Records the pod's current state under its storage key (undefined: deleted). */
  setPod(key: string, pod: KubeObject | undefined): void {
    const before = this.#pods.get(key);
    const node = pod ? nodeNameOf(pod) : '';
    const namespace = pod?.metadata.namespace ?? '';
    const refs = pod && node ? podReferences(pod).map((r) => `${namespace}/${r}`) : [];
    if (before && before.node === node && sameList(before.refs, refs)) return;
    if (before) for (const r of before.refs) this.#count(r, before.node, -1);
    if (!node) {
      this.#pods.delete(key);
      return;
    }
    for (const r of refs) this.#count(r, node, 1);
    this.#pods.set(key, { node, refs });
  }

  /** Records the PersistentVolume's current state (undefined: deleted). */
  setVolume(name: string, pv: KubeObject | undefined): void {
    const before = this.#volumes.get(name);
    if (before) for (const s of before.secrets) this.#volumeSecrets.get(s)?.delete(name);
    if (!pv) {
      this.#volumes.delete(name);
      return;
    }
    const ref = (pv['spec'] as { claimRef?: { namespace?: string; name?: string } } | undefined)?.claimRef;
    const claim = ref?.name ? `${ref.namespace ?? ''}/${ref.name}` : '';
    const secrets = volumeSecretReferences(pv);
    for (const s of secrets) {
      let volumes = this.#volumeSecrets.get(s);
      if (!volumes) this.#volumeSecrets.set(s, (volumes = new Set()));
      volumes.add(name);
    }
    this.#volumes.set(name, { claim, secrets });
  }

  /** Is there a path from the object to the node (a pod bound to it refers to the object, directly or through a volume)? */
  reachable(nodeName: string, type: VertexType, namespace: string, name: string): boolean {
    if (type === 'persistentvolume') {
      const claim = this.#volumes.get(name)?.claim;
      return claim
        ? this.#refers(nodeName, `${claim.slice(0, claim.indexOf('/'))}/persistentvolumeclaim/${claim.slice(claim.indexOf('/') + 1)}`)
        : false;
    }
    if (this.#refers(nodeName, `${namespace}/${type}/${name}`)) return true;
    if (type !== 'secret') return false;
    for (const volume of this.#volumeSecrets.get(`${namespace}/${name}`) ?? []) {
      if (this.reachable(nodeName, 'persistentvolume', '', volume)) return true;
    }
    return false;
  }

  /** How many pods the graph holds (bound to a node). */
  get podCount(): number {
    return this.#pods.size;
  }

  /**
   * Loads the caches' current objects and follows their events from then on. Synchronous: the
   * snapshot and the replayed history end at the same revision, and events arrive in order.
   */
  follow(caches: { pods: WatchCache; volumes: WatchCache }): () => void {
    const { pods, volumes } = caches;
    for (const pod of pods.list(pods.prefix)) this.setPod(`${pods.prefix}${pod.metadata.namespace}/${pod.metadata.name}`, pod);
    for (const pv of volumes.list(volumes.prefix)) this.setVolume(pv.metadata.name ?? '', pv);
    const stopPods = pods.watch(pods.oldestRevision, (ev) => this.setPod(ev.key, ev.type === 'DELETED' ? undefined : ev.object));
    const stopVolumes = volumes.watch(volumes.oldestRevision, (ev) =>
      this.setVolume(ev.object.metadata.name ?? '', ev.type === 'DELETED' ? undefined : ev.object),
    );
    return () => {
      stopPods?.();
      stopVolumes?.();
    };
  }

  #refers(nodeName: string, ref: string): boolean {
    return (this.#refs.get(ref)?.get(nodeName) ?? 0) > 0;
  }

  #count(ref: string, node: string, delta: number): void {
    let nodes = this.#refs.get(ref);
    if (!nodes) this.#refs.set(ref, (nodes = new Map()));
    const n = (nodes.get(node) ?? 0) + delta;
    if (n > 0) nodes.set(node, n);
    else nodes.delete(node);
    if (nodes.size === 0) this.#refs.delete(ref);
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
