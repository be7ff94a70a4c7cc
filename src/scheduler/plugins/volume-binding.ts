/**
 * VolumeBinding (upstream plugins/volumebinding): a pod's PersistentVolumeClaims decide where it
 * may run. PreFilter: every claim must exist, and an unbound claim of an Immediate class makes
 * the pod wait for the PV controller. Filter: a bound claim's PV must admit the node (node
 * affinity of local volumes); an unbound WaitForFirstConsumer claim needs a matching available
 * PV that admits the node, or a class that can provision there (allowedTopologies). Reserve
 * keeps the chosen PVs from other pods; PreBind writes the decisions — the PV's claimRef, or the
 * claim's volume.kubernetes.io/selected-node for its provisioner — and waits until the PV
 * controller has bound every claim.
 */
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  claimClass,
  findMatchingVolume,
  isDelayBindingMode,
  NOT_SUPPORTED_PROVISIONER,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from '../../api/storage/volume-helpers.js';
import type { ResourceClient } from '../../client/interface.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import type { CycleState } from '../framework/cycle-state.js';
import type {
  ClusterEvent,
  EnqueueExtensions,
  FilterPlugin,
  FrameworkHandle,
  PreBindPlugin,
  PreFilterPlugin,
  ReservePlugin,
} from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { asStatus, type Status, skip, success, unresolvable } from '../framework/status.js';
import type { Node } from '../types.js';
import { nodeSelectorTermsMatch } from './helper/node-affinity.js';

export const VOLUME_BINDING = 'VolumeBinding';
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
const UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
const STATE_KEY = `PreFilter${VOLUME_BINDING}`;
/** How often PreBind looks whether the PV controller has bound the claims, and for how long (--bind-timeout-seconds 600). */
const BIND_POLL_MS = 100;
const BIND_TIMEOUT_MS = 600_000;

/** What one node would need: PVs to bind to claims, claims to provision there. */
interface Decision {
  bindings: { claim: PersistentVolumeClaim; volume: PersistentVolume }[];
  provisions: { claim: PersistentVolumeClaim; storageClass: StorageClass }[];
}

interface State {
  /** Bound claims with their PV (undefined: it does not exist), looked up once per cycle. */
  bound: { claim: PersistentVolumeClaim; volume: PersistentVolume | undefined }[];
  delayed: PersistentVolumeClaim[];
  decisions: Map<string, Decision>;
  chosen?: Decision;
}

function claimNames(pod: PodInfo): string[] {
  const volumes = (pod.pod.spec as { volumes?: { persistentVolumeClaim?: { claimName?: string } }[] }).volumes ?? [];
  return volumes.flatMap((v) => (v.persistentVolumeClaim?.claimName ? [v.persistentVolumeClaim.claimName] : []));
}

function isFullyBound(claim: PersistentVolumeClaim): boolean {
  return Boolean(claim.spec?.volumeName) && claim.metadata.annotations?.[ANN_BIND_COMPLETED] === 'yes';
}

function volumeFitsNode(volume: PersistentVolume, node: Node): boolean {
  const terms = volume.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  return !terms || nodeSelectorTermsMatch(terms as Parameters<typeof nodeSelectorTermsMatch>[0], node);
}

function classAllowsNode(sc: StorageClass, node: Node): boolean {
  const terms = sc.allowedTopologies ?? [];
  if (terms.length === 0) return true;
  const labels = node.metadata.labels ?? {};
  return terms.some((t) => (t.matchLabelExpressions ?? []).every((e) => e.values.includes(labels[e.key] ?? '\u0000')));
}

/** Reads the object afresh (the informer may lag), changes it and writes it; again on a Conflict. */
async function updateFresh(client: ResourceClient, namespace: string, name: string, change: (cur: KubeObject) => void): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const cur = await client.get(namespace, name);
    change(cur);
    try {
      await client.update(namespace, cur);
      return;
    } catch (err) {
      if (attempt >= 4 || !isStatusError(err, 'Conflict')) throw err;
    }
  }
}

export class VolumeBinding implements PreFilterPlugin, FilterPlugin, ReservePlugin, PreBindPlugin, EnqueueExtensions {
  readonly name = VOLUME_BINDING;
  readonly #h: FrameworkHandle;
  /** PVs reserved for a pod (pod key) until the informers show them bound. */
  readonly #assumed = new Map<string, string>();

  constructor(handle: FrameworkHandle) {
    this.#h = handle;
  }

  preFilter(state: CycleState, pod: PodInfo): { status: Status } {
    const names = claimNames(pod);
    if (names.length === 0) return { status: skip() };
    const ns = pod.pod.metadata.namespace ?? '';
    const listers = this.#h.volumeListers;
    const s: State = { bound: [], delayed: [], decisions: new Map() };
    for (const name of names) {
      const claim = listers.claim(ns, name);
      if (!claim) return { status: unresolvable(`persistentvolumeclaim "${name}" not found`) };
      if (claim.metadata.deletionTimestamp) return { status: unresolvable(`persistentvolumeclaim "${name}" is being deleted`) };
      if (isFullyBound(claim)) s.bound.push({ claim, volume: listers.volumes().find((v) => v.metadata.name === claim.spec?.volumeName) });
      else if (isDelayBindingMode(claim, (n) => listers.storageClass(n))) s.delayed.push(claim);
      else return { status: unresolvable(UNBOUND_IMMEDIATE) };
    }
    state.write(STATE_KEY, s);
    return { status: success() };
  }

  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    const s = state.read<State>(STATE_KEY);
    const node = nodeInfo.node;
    if (!s || !node) return success();
    const listers = this.#h.volumeListers;
    const reasons = new Set<string>();
    for (const { volume } of s.bound) {
      if (!volume) reasons.add(ERR_REASON_PV_NOT_EXIST);
      else if (!volumeFitsNode(volume, node)) reasons.add(ERR_REASON_NODE_CONFLICT);
    }
    const decision: Decision = { bindings: [], provisions: [] };
    const excluded = new Set([...this.#assumed].filter(([, owner]) => owner !== pod.key).map(([pv]) => pv));
    for (const claim of s.delayed) {
      const volume = findMatchingVolume(claim, listers.volumes(), {
        delayBinding: true,
        fitsNode: (v) => volumeFitsNode(v, node),
        excluded,
      });
      if (volume) {
        excluded.add(volume.metadata.name ?? '');
        decision.bindings.push({ claim, volume });
        continue;
      }
      const sc = listers.storageClass(claimClass(claim));
      if (!sc || sc.provisioner === NOT_SUPPORTED_PROVISIONER || !classAllowsNode(sc, node)) reasons.add(ERR_REASON_BIND_CONFLICT);
      else decision.provisions.push({ claim, storageClass: sc });
    }
    if (reasons.size > 0) return unresolvable(...reasons);
    s.decisions.set(node.metadata.name ?? '', decision);
    return success();
  }

  reserve(state: CycleState, pod: PodInfo, nodeName: string): Status {
    const s = state.read<State>(STATE_KEY);
    const decision = s?.decisions.get(nodeName);
    if (!s || !decision) return success();
    s.chosen = decision;
    for (const b of decision.bindings) this.#assumed.set(b.volume.metadata.name ?? '', pod.key);
    return success();
  }

  unreserve(_state: CycleState, pod: PodInfo): void {
    for (const [pv, owner] of this.#assumed) if (owner === pod.key) this.#assumed.delete(pv);
  }

  async preBind(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status> {
    const chosen = state.read<State>(STATE_KEY)?.chosen;
    if (!chosen || (chosen.bindings.length === 0 && chosen.provisions.length === 0)) return success();
    const cs = this.#h.clientset;
    if (!cs) return success();
    const volumes = cs.resource({ group: '', version: 'v1', resource: 'persistentvolumes' });
    const claims = cs.resource({ group: '', version: 'v1', resource: 'persistentvolumeclaims' });
    try {
      for (const { claim, volume } of chosen.bindings) {
        const { namespace = '', name = '', uid = '', resourceVersion = '' } = claim.metadata;
        await updateFresh(volumes, '', volume.metadata.name ?? '', (cur) => {
          const ref = (cur as PersistentVolume).spec?.claimRef;
          if (ref && ref.uid !== uid) throw new Error(`volume "${cur.metadata.name}" was bound to another claim meanwhile`);
          cur.metadata.annotations = { ...cur.metadata.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' };
          cur['spec'] = {
            ...(cur['spec'] as object),
            claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace, name, uid, resourceVersion },
          };
        });
      }
      for (const { claim, storageClass } of chosen.provisions) {
        const p = storageClass.provisioner ?? '';
        await updateFresh(claims, claim.metadata.namespace ?? '', claim.metadata.name ?? '', (cur) => {
          if (cur.metadata.uid !== claim.metadata.uid) throw new Error(`claim "${claim.metadata.name}" was replaced meanwhile`);
          cur.metadata.annotations = {
            ...cur.metadata.annotations,
            [ANN_SELECTED_NODE]: nodeName,
            [ANN_STORAGE_PROVISIONER]: p,
            [ANN_BETA_STORAGE_PROVISIONER]: p,
          };
        });
      }
      await this.#waitForBindings(pod, [...chosen.bindings.map((b) => b.claim), ...chosen.provisions.map((p) => p.claim)], nodeName);
      return success();
    } catch (err) {
      return asStatus(err);
    } finally {
      this.unreserve(state, pod);
    }
  }

  /** checkBindings until every claim is bound (the PV controller's work), bounded by the bind timeout. */
  async #waitForBindings(pod: PodInfo, claims: PersistentVolumeClaim[], nodeName: string): Promise<void> {
    const deadline = this.#h.now() + BIND_TIMEOUT_MS;
    const listers = this.#h.volumeListers;
    for (;;) {
      let pending = 0;
      for (const c of claims) {
        const cur = listers.claim(c.metadata.namespace ?? '', c.metadata.name ?? '');
        if (!cur || cur.metadata.uid !== c.metadata.uid) throw new Error(`binding volumes: claim "${c.metadata.name}" was deleted`);
        if (!isFullyBound(cur)) pending++;
      }
      if (pending === 0) return;
      if (this.#h.now() > deadline) throw new Error(`binding volumes: context deadline exceeded (pod ${pod.key} on ${nodeName})`);
      await new Promise((resolve) => setTimeout(resolve, BIND_POLL_MS));
    }
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'PersistentVolumeClaim', actions: ['Add', 'Update'] },
      { resource: 'PersistentVolume', actions: ['Add', 'Update'] },
      { resource: 'StorageClass', actions: ['Add', 'Update'] },
      { resource: 'Node', actions: ['Add', 'Update'] },
    ];
  }
}
