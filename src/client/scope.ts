/**
 * Whether a resource is namespaced, which decides its URL: an explicit hint, else the server's
 * discovery document for the group-version, asked once (client-go's RESTMapper does the same).
 * The client knows no resource types of its own: it is small, and custom resources and
 * aggregated APIs resolve exactly as built-in ones do.
 */
import { StatusError } from '../machinery/errors.js';
import type { GroupVersionResource } from './interface.js';
import { genericStatus } from './status.js';
import type { HttpTransport } from './transport.js';

/** A GVR with an optional scope hint that skips the lookup. */
export interface ResourceRef extends GroupVersionResource {
  namespaced?: boolean;
}

/** The path prefix of a group-version: `/api/v1` for the core group, else `/apis/<group>/<version>`. */
export function groupVersionPath(gvr: GroupVersionResource): string {
  return gvr.group ? `/apis/${gvr.group}/${gvr.version}` : `/api/${gvr.version}`;
}

interface APIResourceList {
  resources?: { name: string; namespaced?: boolean }[];
}

/** Resolves scopes, asking discovery once per group-version for resources it does not know. */
export class ScopeResolver {
  readonly #transport: HttpTransport;
  readonly #discovered = new Map<string, Promise<Map<string, boolean>>>();

  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  /** Known without a request: the hint. */
  known(ref: ResourceRef): boolean | undefined {
    return ref.namespaced;
  }

  async namespaced(ref: ResourceRef): Promise<boolean> {
    const known = this.known(ref);
    if (known !== undefined) return known;
    const path = groupVersionPath(ref);
    let pending = this.#discovered.get(path);
    if (!pending) {
      pending = this.#transport
        .json<APIResourceList>({ method: 'GET', path })
        .then((list) => new Map((list.resources ?? []).map((r) => [r.name, r.namespaced === true])));
      this.#discovered.set(path, pending);
    }
    let scopes: Map<string, boolean>;
    try {
      scopes = await pending;
    } catch (err) {
      this.#discovered.delete(path);
      throw err;
    }
    const found = scopes.get(ref.resource);
    if (found === undefined) {
      // a resource added later (a new CRD) is found by asking again next time
      this.#discovered.delete(path);
      const status = genericStatus(404, 'GET', '');
      status.details = { group: ref.group, kind: ref.resource };
      throw new StatusError(status);
    }
    return found;
  }
}
