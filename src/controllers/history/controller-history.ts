/**
 * Controller history (pkg/controller/history): the ControllerRevisions a StatefulSet or a
 * DaemonSet keeps of its pod template. A revision holds `data` (the patch that restores the
 * template, which `kubectl rollout undo` applies), a `revision` number, and the label
 * `controller.kubernetes.io/hash`; its name is `<parent>-<hash>`. Creating a revision whose
 * name is taken by a different revision bumps the collision count and tries the next name.
 *
 *   const history = new ControllerHistory({ client: controllerRevisionsClient });
 *   const created = await history.create(parent, newControllerRevision({ ... }), collisionCount);
 */
import type { GroupVersionResource, ResourceClient } from '../../client/interface.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject, OwnerReference } from '../../machinery/object.js';
import { computeHash } from '../controller-utils/hash.js';
import { semanticEqual } from '../controller-utils/equality.js';

export const CONTROLLER_REVISIONS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'controllerrevisions' };
/** The label carrying a revision's hash (apps.ControllerRevisionHashLabelKey). */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';
/** How many times create tries the next name after a collision before giving up. */
const MAX_COLLISION_RETRIES = 10;
/** The longest parent prefix of a revision name (validation.DNS1123SubdomainMaxLength - hash). */
const MAX_PREFIX = 223;

export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision: number;
}

/** ControllerRevisionName: `<prefix>-<hash>`, the prefix cut to 223 characters. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > MAX_PREFIX ? prefix.slice(0, MAX_PREFIX) : prefix}-${hash}`;
}

/** HashControllerRevision: FNV-32a of the data (and a collision count above 0), safe-encoded. */
export function hashControllerRevision(data: unknown, collisionCount?: number): string {
  return computeHash(data, collisionCount || undefined);
}

export interface NewRevisionOptions {
  parent: KubeObject;
  controllerRef: OwnerReference;
  /** The pod template's labels, copied onto the revision (how revisions are selected). */
  templateLabels: Record<string, string> | undefined;
  data: unknown;
  revision: number;
  collisionCount?: number;
}

/** NewControllerRevision: named and labelled by its hash, owned by the parent. */
export function newControllerRevision(o: NewRevisionOptions): ControllerRevision {
  const hash = hashControllerRevision(o.data, o.collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(o.parent.metadata.name ?? '', hash),
      namespace: o.parent.metadata.namespace ?? '',
      labels: { ...o.templateLabels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ownerReferences: [o.controllerRef],
    },
    data: o.data,
    revision: o.revision,
  };
}

/** SortControllerRevisions: by revision, then creation time, then name (oldest first). */
export function sortControllerRevisions<T extends ControllerRevision>(revisions: readonly T[]): T[] {
  return [...revisions].sort(
    (a, b) =>
      a.revision - b.revision ||
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
      (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  );
}

/** EqualRevision: same hash label and the same data. */
export function equalRevision(a: ControllerRevision | undefined, b: ControllerRevision | undefined): boolean {
  if (!a || !b) return a === b;
  const ha = a.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  const hb = b.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  return ha !== undefined && ha === hb && semanticEqual(a.data, b.data);
}

/** FindEqualRevisions: the revisions equal to `needle`. */
export function findEqualRevisions<T extends ControllerRevision>(revisions: readonly T[], needle: ControllerRevision): T[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/** NextRevision: one past the highest revision number (1 for none). */
export function nextRevision(revisions: readonly ControllerRevision[]): number {
  return revisions.reduce((max, r) => Math.max(max, r.revision), 0) + 1;
}

export interface ControllerHistoryOptions {
  /** Client of apps/v1 controllerrevisions. */
  client: ResourceClient;
}

/** The writes of history.Interface; reads come from the caller's informer. */
export class ControllerHistory {
  readonly #client: ResourceClient;

  constructor(options: ControllerHistoryOptions) {
    this.#client = options.client;
  }

  /**
   * CreateControllerRevision: creates `revision` under the name its hash gives. When that name
   * holds an equal revision, that one is returned; when it holds another, the collision count
   * goes up and the next name is tried. Returns the revision and the collision count used.
   */
  async create(
    parent: KubeObject,
    revision: ControllerRevision,
    collisionCount: number,
  ): Promise<{ revision: ControllerRevision; collisionCount: number }> {
    let count = collisionCount;
    for (let attempt = 0; attempt <= MAX_COLLISION_RETRIES; attempt++) {
      const hash = hashControllerRevision(revision.data, count);
      const named: ControllerRevision = {
        ...revision,
        metadata: {
          ...revision.metadata,
          name: controllerRevisionName(parent.metadata.name ?? '', hash),
          labels: { ...revision.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
        },
      };
      const ns = parent.metadata.namespace ?? '';
      try {
        return { revision: (await this.#client.create(ns, named)) as ControllerRevision, collisionCount: count };
      } catch (err) {
        if (!isStatusError(err, 'AlreadyExists')) throw err;
        const existing = (await this.#client.get(ns, named.metadata.name ?? '')) as ControllerRevision;
        if (equalRevision(existing, named)) return { revision: existing, collisionCount: count };
        count++;
      }
    }
    throw new Error(`too many hash collisions creating a ControllerRevision for ${parent.metadata.name ?? ''}`);
  }

  /** UpdateControllerRevision: sets the revision number (the data never changes). */
  async updateRevision(revision: ControllerRevision, newRevision: number): Promise<ControllerRevision> {
    if (revision.revision === newRevision) return revision;
    const ns = revision.metadata.namespace ?? '';
    return (await this.#client.patch(ns, revision.metadata.name ?? '', 'merge', { revision: newRevision })) as ControllerRevision;
  }

  /** DeleteControllerRevision (a revision already gone is fine). */
  async delete(revision: ControllerRevision): Promise<void> {
    try {
      await this.#client.delete(revision.metadata.namespace ?? '', revision.metadata.name ?? '');
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }
}
