/**
 * The dependency graph of the garbage collector (upstream GraphBuilder): one node per object uid,
 * edges from ownerReferences. Informer events update it; each update says which nodes the
 * collector must look at again (attemptToDelete) and which owners wait to orphan (attemptToOrphan).
 * Owners referenced before they are observed are "virtual" nodes, verified later with a GET.
 */
import type { GroupVersionResource } from '../../client/interface.js';
import type { KubeObject, OwnerReference } from '../../machinery/object.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

/** A resource the collector watches, with what is needed to name its objects. */
export interface GCResource {
  gvr: GroupVersionResource;
  kind: string;
  namespaced: boolean;
}

export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
}

export interface GraphNode {
  identity: ObjectIdentity;
  /** The latest ownerReferences observed. */
  owners: OwnerReference[];
  dependents: Set<string>;
  /** Has a deletionTimestamp. */
  beingDeleted: boolean;
  /** Being deleted with the foregroundDeletion finalizer. */
  deletingDependents: boolean;
  /** Known only from a reference; not observed through an informer. */
  virtual: boolean;
}

/** What a graph change asks of the collector. */
export interface GraphChanges {
  attemptToDelete: string[];
  attemptToOrphan: string[];
}

export function apiVersionOf(gvr: GroupVersionResource): string {
  return gvr.group ? `${gvr.group}/${gvr.version}` : gvr.version;
}

export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

const hasFinalizer = (obj: KubeObject, f: string): boolean => (obj.metadata.finalizers ?? []).includes(f);

export class DependencyGraph {
  readonly #nodes = new Map<string, GraphNode>();
  /** Maps `group/Kind` to the resource, to learn an owner's scope. */
  readonly #kinds: Map<string, GCResource>;

  constructor(resources: readonly GCResource[]) {
    this.#kinds = new Map();
    for (const r of resources) {
      const k = `${r.gvr.group}/${r.kind}`;
      if (!this.#kinds.has(k)) this.#kinds.set(k, r);
    }
  }

  get(uid: string): GraphNode | undefined {
    return this.#nodes.get(uid);
  }

  get size(): number {
    return this.#nodes.size;
  }

  /** The resource of a kind named by apiVersion and kind (an owner reference), if watched. */
  resourceFor(apiVersion: string, kind: string): GCResource | undefined {
    return this.#kinds.get(`${groupOf(apiVersion)}/${kind}`);
  }

  /** An object was added or updated. */
  observe(res: GCResource, obj: KubeObject): GraphChanges {
    const out: GraphChanges = { attemptToDelete: [], attemptToOrphan: [] };
    const uid = obj.metadata.uid;
    if (!uid) return out;
    const owners = obj.metadata.ownerReferences ?? [];
    let node = this.#nodes.get(uid);
    const oldOwners = node?.owners ?? [];
    if (!node) {
      node = {
        identity: this.#identity(res, obj),
        owners,
        dependents: new Set(),
        beingDeleted: false,
        deletingDependents: false,
        virtual: false,
      };
      this.#nodes.set(uid, node);
    } else {
      node.virtual = false;
      node.identity = this.#identity(res, obj);
      node.owners = owners;
    }
    // edges: link added owners, unlink removed ones
    const oldUids = new Set(oldOwners.map((r) => r.uid));
    const newUids = new Set(owners.map((r) => r.uid));
    for (const ref of owners) {
      const owner = this.#nodes.get(ref.uid) ?? this.#addVirtual(ref, node.identity.namespace, out);
      owner.dependents.add(uid);
      if (!oldUids.has(ref.uid) && owner.deletingDependents) out.attemptToDelete.push(uid);
    }
    for (const ref of oldOwners) {
      if (newUids.has(ref.uid)) continue;
      const owner = this.#nodes.get(ref.uid);
      owner?.dependents.delete(uid);
      // an owner in foreground deletion may have been waiting for this reference to go
      if (owner?.deletingDependents) out.attemptToDelete.push(ref.uid);
    }
    for (const ref of oldOwners) {
      const now = owners.find((r) => r.uid === ref.uid);
      if (now && ref.blockOwnerDeletion && !now.blockOwnerDeletion && this.#nodes.get(ref.uid)?.deletingDependents) {
        out.attemptToDelete.push(ref.uid);
      }
    }
    // transitions of deletion
    node.beingDeleted = Boolean(obj.metadata.deletionTimestamp);
    if (node.beingDeleted && hasFinalizer(obj, FINALIZER_ORPHAN)) out.attemptToOrphan.push(uid);
    if (node.beingDeleted && hasFinalizer(obj, FINALIZER_DELETE_DEPENDENTS)) {
      node.deletingDependents = true;
      out.attemptToDelete.push(...node.dependents, uid);
    } else {
      node.deletingDependents = false;
    }
    return out;
  }

  /** An object was deleted (or a virtual node proved absent): its dependents are looked at again. */
  remove(uid: string): GraphChanges {
    const out: GraphChanges = { attemptToDelete: [], attemptToOrphan: [] };
    const node = this.#nodes.get(uid);
    if (!node) return out;
    this.#nodes.delete(uid);
    out.attemptToDelete.push(...node.dependents);
    for (const ref of node.owners) {
      const owner = this.#nodes.get(ref.uid);
      if (!owner) continue;
      owner.dependents.delete(uid);
      if (owner.deletingDependents) out.attemptToDelete.push(ref.uid);
    }
    return out;
  }

  /** The dependents that hold up an owner's foreground deletion (blockOwnerDeletion on their reference). */
  blockingDependents(owner: GraphNode): GraphNode[] {
    const out: GraphNode[] = [];
    for (const d of owner.dependents) {
      const dep = this.#nodes.get(d);
      if (dep?.owners.some((r) => r.uid === owner.identity.uid && r.blockOwnerDeletion)) out.push(dep);
    }
    return out;
  }

  #identity(res: GCResource, obj: KubeObject): ObjectIdentity {
    return {
      apiVersion: apiVersionOf(res.gvr),
      kind: res.kind,
      namespace: res.namespaced ? (obj.metadata.namespace ?? '') : '',
      name: obj.metadata.name ?? '',
      uid: obj.metadata.uid ?? '',
    };
  }

  #addVirtual(ref: OwnerReference, dependentNamespace: string, out: GraphChanges): GraphNode {
    const res = this.resourceFor(ref.apiVersion, ref.kind);
    const node: GraphNode = {
      identity: {
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        namespace: res?.namespaced === false ? '' : dependentNamespace,
        name: ref.name,
        uid: ref.uid,
      },
      owners: [],
      dependents: new Set(),
      beingDeleted: false,
      deletingDependents: false,
      virtual: true,
    };
    this.#nodes.set(ref.uid, node);
    out.attemptToDelete.push(ref.uid);
    return node;
  }
}
