/**
 * The garbage collector (pkg/controller/garbagecollector): watches every resource it is told
 * about, keeps a graph of ownerReferences, and
 * - deletes dependents whose owners are all gone (verified by uid with a GET; informers lag),
 * - foreground deletion: deletes the dependents of an owner with the foregroundDeletion
 *   finalizer, then removes the finalizer once no dependent with blockOwnerDeletion is left,
 * - orphaning: removes an owner's references from its dependents, then the orphan finalizer.
 * Keys of both queues are object uids.
 */
import type { Clientset, DeleteOptions, SharedInformerFactory, WorkQueue } from '../../client/interface.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject, OwnerReference } from '../../machinery/object.js';
import {
  DependencyGraph,
  FINALIZER_DELETE_DEPENDENTS,
  FINALIZER_ORPHAN,
  type GCResource,
  type GraphChanges,
  type GraphNode,
  type ObjectIdentity,
} from './graph.js';
import { removeFinalizer, removeOwnerReferences, unblockOwnerReferences } from './operations.js';
import { runWorkers } from '../../client/workqueue-workers.js';

export interface GarbageCollectorOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  /** The resources to watch: those of the catalog that support list, watch and delete. */
  resources: readonly GCResource[];
  newQueue: () => WorkQueue;
  /** Workers per queue (upstream --concurrent-gc-syncs, default 20). */
  workers?: number;
  log?: (message: string) => void;
}

/** The classification of an object's owner references (upstream classifyReferences). */
interface ClassifiedReferences {
  solid: OwnerReference[];
  dangling: OwnerReference[];
  waitingForDependentsDeletion: OwnerReference[];
}

export class GarbageCollector {
  readonly graph: DependencyGraph;
  readonly attemptToDelete: WorkQueue;
  readonly attemptToOrphan: WorkQueue;
  readonly #client: Clientset;
  readonly #informers: SharedInformerFactory;
  readonly #resources: readonly GCResource[];
  readonly #workers: number;
  readonly #log: (message: string) => void;
  /** Owners confirmed absent (upstream absentOwnerCache), by uid. */
  readonly #absentOwners = new Set<string>();

  constructor(options: GarbageCollectorOptions) {
    this.#client = options.client;
    this.#informers = options.informers;
    this.#resources = options.resources;
    this.#workers = options.workers ?? 20;
    this.#log = options.log ?? (() => {});
    this.graph = new DependencyGraph(options.resources);
    this.attemptToDelete = options.newQueue();
    this.attemptToOrphan = options.newQueue();
    for (const res of this.#resources) {
      options.informers.forResource(res.gvr).addEventHandler({
        onAdd: (obj) => this.#apply(this.graph.observe(res, obj)),
        onUpdate: (_old, obj) => this.#apply(this.graph.observe(res, obj)),
        onDelete: (obj) => this.#apply(this.graph.remove(obj.metadata.uid ?? '')),
      });
    }
  }

  #apply(changes: GraphChanges): void {
    for (const uid of changes.attemptToDelete) this.attemptToDelete.add(uid);
    for (const uid of changes.attemptToOrphan) this.attemptToOrphan.add(uid);
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.#informers.waitForCacheSync(signal);
    const onError = (key: string, err: unknown): void => this.#log(`garbage collector: ${key}: ${(err as Error).message}`);
    await Promise.all([
      runWorkers({ queue: this.attemptToDelete, sync: (uid) => this.syncAttemptToDelete(uid), workers: this.#workers, signal, onError }),
      runWorkers({ queue: this.attemptToOrphan, sync: (uid) => this.syncAttemptToOrphan(uid), workers: this.#workers, signal, onError }),
    ]);
  }

  #clientFor(identity: ObjectIdentity) {
    const res = this.graph.resourceFor(identity.apiVersion, identity.kind);
    return res ? this.#client.resource(res.gvr) : undefined;
  }

  /** GETs an object; undefined when it is gone or has another uid. */
  async #getLive(identity: ObjectIdentity): Promise<KubeObject | undefined> {
    const client = this.#clientFor(identity);
    if (!client) throw new Error(`no resource known for ${identity.apiVersion}, Kind=${identity.kind}`);
    try {
      const obj = await client.get(identity.namespace, identity.name);
      return obj.metadata.uid === identity.uid ? obj : undefined;
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return undefined;
      throw err;
    }
  }

  /** upstream attemptToDeleteItem. */
  async syncAttemptToDelete(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    if (node.virtual && !this.#clientFor(node.identity)) return; // an owner of a kind we do not know: nothing to verify
    // "being deleted" is a one-way trip; its dependents are processed once it is gone
    if (node.beingDeleted && !node.deletingDependents) return;
    const latest = await this.#getLive(node.identity);
    if (!latest) {
      // absent (or replaced): a virtual delete removes the node and looks at its dependents again
      this.#absentOwners.add(uid);
      this.#apply(this.graph.remove(uid));
      return;
    }
    this.#absentOwners.delete(uid);
    if (node.virtual) return; // it exists: the informer will deliver it
    if (node.deletingDependents) return this.#processDeletingDependents(node);
    const refs = latest.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const { solid, dangling, waitingForDependentsDeletion } = await this.#classifyReferences(node, refs);
    if (solid.length > 0) {
      // some owners are alive: only the references to gone or foreground-deleting owners go
      if (dangling.length === 0 && waitingForDependentsDeletion.length === 0) return;
      const uids = new Set([...dangling, ...waitingForDependentsDeletion].map((r) => r.uid));
      const client = this.#clientFor(node.identity)!;
      await removeOwnerReferences(client, node.identity.namespace, node.identity.name, uids);
      return;
    }
    let policy: DeleteOptions['propagationPolicy'];
    if (waitingForDependentsDeletion.length > 0 && node.dependents.size > 0) {
      // An owner waits for this object, and this object has dependents: it goes in the foreground
      // too. When one of those dependents is itself waiting for its dependents, owners and
      // dependents may wait on each other (a cycle): this object stops blocking its owners first.
      if ([...node.dependents].some((d) => this.graph.get(d)?.deletingDependents)) {
        await unblockOwnerReferences(this.#clientFor(node.identity)!, node.identity.namespace, node.identity.name, node.identity.uid);
      }
      policy = 'Foreground';
    } else if ((latest.metadata.finalizers ?? []).includes(FINALIZER_ORPHAN)) policy = 'Orphan';
    else if ((latest.metadata.finalizers ?? []).includes(FINALIZER_DELETE_DEPENDENTS)) policy = 'Foreground';
    else policy = 'Background';
    await this.#deleteObject(node.identity, policy);
  }

  async #classifyReferences(node: GraphNode, refs: readonly OwnerReference[]): Promise<ClassifiedReferences> {
    const out: ClassifiedReferences = { solid: [], dangling: [], waitingForDependentsDeletion: [] };
    for (const ref of refs) {
      if (this.#absentOwners.has(ref.uid)) {
        out.dangling.push(ref);
        continue;
      }
      const res = this.graph.resourceFor(ref.apiVersion, ref.kind);
      if (!res) {
        // an owner of a kind we do not watch cannot be verified; it is kept
        out.solid.push(ref);
        continue;
      }
      const owner = await this.#getLive({
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        namespace: res.namespaced ? node.identity.namespace : '',
        name: ref.name,
        uid: ref.uid,
      });
      if (!owner) {
        this.#absentOwners.add(ref.uid);
        out.dangling.push(ref);
      } else if (owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FINALIZER_DELETE_DEPENDENTS)) {
        out.waitingForDependentsDeletion.push(ref);
      } else {
        out.solid.push(ref);
      }
    }
    return out;
  }

  /** An owner in foreground deletion: delete its blocking dependents, or finish once none is left. */
  async #processDeletingDependents(node: GraphNode): Promise<void> {
    const blocking = this.graph.blockingDependents(node);
    if (blocking.length === 0) {
      const client = this.#clientFor(node.identity)!;
      await removeFinalizer(client, node.identity.namespace, node.identity.name, node.identity.uid, FINALIZER_DELETE_DEPENDENTS);
      return;
    }
    for (const dep of blocking) if (!dep.beingDeleted) this.attemptToDelete.add(dep.identity.uid);
  }

  async #deleteObject(identity: ObjectIdentity, policy: DeleteOptions['propagationPolicy']): Promise<void> {
    const client = this.#clientFor(identity)!;
    try {
      await client.delete(identity.namespace, identity.name, { propagationPolicy: policy, preconditions: { uid: identity.uid } });
    } catch (err) {
      // gone already, or replaced by a new object of the same name
      if (isStatusError(err, 'NotFound') || isStatusError(err, 'Conflict')) return;
      throw err;
    }
  }

  /** upstream attemptToOrphanWorker: remove the owner from its dependents, then the orphan finalizer. */
  async syncAttemptToOrphan(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node || node.virtual) return;
    const latest = await this.#getLive(node.identity);
    if (!latest || !(latest.metadata.finalizers ?? []).includes(FINALIZER_ORPHAN)) return;
    const uids = new Set([uid]);
    for (const d of node.dependents) {
      const dep = this.graph.get(d);
      const client = dep && this.#clientFor(dep.identity);
      if (!dep || !client) continue;
      await removeOwnerReferences(client, dep.identity.namespace, dep.identity.name, uids);
    }
    await removeFinalizer(this.#clientFor(node.identity)!, node.identity.namespace, node.identity.name, uid, FINALIZER_ORPHAN);
  }
}
