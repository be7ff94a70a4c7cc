/**
 * One resource's REST verbs over HTTP: the GVR → URL mapping (core group under /api/v1, others
 * under /apis/<group>/<version>; namespaced collections under /namespaces/<ns>/), query options,
 * patch content types, DeleteOptions bodies and watch streams.
 */
import type { IncomingMessage } from 'node:http';
import { newBadRequest } from '../machinery/errors.js';
import type { KubeList, KubeObject } from '../machinery/object.js';
import type { DeleteOptions, ListOptions, PatchType, ResourceClient, WatchEvent, WatchOptions, WriteOptions } from './interface.js';
import { groupVersionPath, type ResourceRef, type ScopeResolver } from './scope.js';
import { isStatusObject } from './status.js';
import type { HttpTransport, QueryValue } from './transport.js';
import { WatchDecoder } from './watch-decoder.js';

/** The Content-Type of each patch type. */
export const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** The collection path of a resource: `namespace` is used only when the resource is namespaced. */
export function collectionPath(ref: ResourceRef, namespaced: boolean, namespace: string): string {
  const prefix = groupVersionPath(ref);
  return namespaced && namespace ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${ref.resource}` : `${prefix}/${ref.resource}`;
}

export function listQuery(options: ListOptions | undefined): Record<string, QueryValue> {
  return {
    labelSelector: options?.labelSelector,
    fieldSelector: options?.fieldSelector,
    limit: options?.limit,
    continue: options?.continue,
    resourceVersion: options?.resourceVersion,
    resourceVersionMatch: options?.resourceVersionMatch,
  };
}

function writeQuery(options: WriteOptions | undefined): Record<string, QueryValue> {
  return { dryRun: options?.dryRun ? 'All' : undefined, fieldManager: options?.fieldManager };
}

function requireName(name: string | undefined): string {
  if (!name) throw newBadRequest('resource name may not be empty');
  return name;
}

export class RestResourceClient implements ResourceClient {
  readonly #ref: ResourceRef;
  readonly #transport: HttpTransport;
  readonly #scopes: ScopeResolver;

  constructor(ref: ResourceRef, transport: HttpTransport, scopes: ScopeResolver) {
    this.#ref = ref;
    this.#transport = transport;
    this.#scopes = scopes;
  }

  async #collection(namespace: string): Promise<string> {
    const namespaced = this.#scopes.known(this.#ref) ?? (await this.#scopes.namespaced(this.#ref));
    return collectionPath(this.#ref, namespaced, namespace);
  }

  async #item(namespace: string, name: string, subresource?: string): Promise<string> {
    const path = `${await this.#collection(namespace)}/${encodeURIComponent(requireName(name))}`;
    return subresource ? `${path}/${subresource}` : path;
  }

  async get(namespace: string, name: string): Promise<KubeObject> {
    return this.#transport.json<KubeObject>({ method: 'GET', path: await this.#item(namespace, name) });
  }

  async list(namespace: string, options?: ListOptions): Promise<KubeList> {
    return this.#transport.json<KubeList>({ method: 'GET', path: await this.#collection(namespace), query: listQuery(options) });
  }

  watch(namespace: string, options: WatchOptions, onEvent: (event: WatchEvent) => void, signal: AbortSignal): { done: Promise<void> } {
    const done = (async () => {
      const query = {
        ...listQuery(options),
        watch: 'true',
        allowWatchBookmarks: options.allowWatchBookmarks ? 'true' : undefined,
        timeoutSeconds: options.timeoutSeconds,
      };
      const path = await this.#collection(namespace);
      if (signal.aborted) return;
      let res: IncomingMessage;
      try {
        res = await this.#transport.stream({ method: 'GET', path, query }, signal);
      } catch (err) {
        if (signal.aborted) return;
        throw err;
      }
      await pumpWatch(res, onEvent, signal);
    })();
    return { done };
  }

  async create(namespace: string, obj: KubeObject, options?: WriteOptions): Promise<KubeObject> {
    const path = await this.#collection(namespace || obj.metadata.namespace || '');
    return this.#transport.json<KubeObject>({ method: 'POST', path, query: writeQuery(options), body: obj });
  }

  async update(namespace: string, obj: KubeObject, options?: WriteOptions): Promise<KubeObject> {
    const path = await this.#item(namespace || obj.metadata.namespace || '', obj.metadata.name ?? '');
    return this.#transport.json<KubeObject>({ method: 'PUT', path, query: writeQuery(options), body: obj });
  }

  async updateStatus(namespace: string, obj: KubeObject, options?: WriteOptions): Promise<KubeObject> {
    const path = await this.#item(namespace || obj.metadata.namespace || '', obj.metadata.name ?? '', 'status');
    return this.#transport.json<KubeObject>({ method: 'PUT', path, query: writeQuery(options), body: obj });
  }

  async patch(
    namespace: string,
    name: string,
    type: PatchType,
    patch: unknown,
    options?: WriteOptions & { subresource?: string; force?: boolean },
  ): Promise<KubeObject> {
    const path = await this.#item(namespace, name, options?.subresource);
    const query = { ...writeQuery(options), force: options?.force === undefined ? undefined : String(options.force) };
    return this.#transport.json<KubeObject>({ method: 'PATCH', path, query, body: patch, contentType: PATCH_CONTENT_TYPES[type] });
  }

  async delete(namespace: string, name: string, options?: DeleteOptions): Promise<KubeObject | undefined> {
    const path = await this.#item(namespace, name);
    const body = { kind: 'DeleteOptions', apiVersion: 'v1', ...options };
    const res = await this.#transport.json<KubeObject>({ method: 'DELETE', path, body });
    return isStatusObject(res) ? undefined : res;
  }

  /** GET a subresource, e.g. deployments/scale. */
  async getSubresource(namespace: string, name: string, subresource: string): Promise<KubeObject> {
    return this.#transport.json<KubeObject>({ method: 'GET', path: await this.#item(namespace, name, subresource) });
  }

  /** PUT to a subresource other than status, e.g. namespaces/finalize. */
  async updateSubresource(namespace: string, name: string, subresource: string, body: KubeObject): Promise<KubeObject> {
    return this.#transport.json<KubeObject>({ method: 'PUT', path: await this.#item(namespace, name, subresource), body });
  }

  async createSubresource(namespace: string, name: string, subresource: string, body: unknown): Promise<unknown> {
    return this.#transport.json<unknown>({ method: 'POST', path: await this.#item(namespace, name, subresource), body });
  }
}

/** Delivers a watch response's events until it ends (resolve), breaks (reject) or is aborted (resolve). */
export function pumpWatch(res: IncomingMessage, onEvent: (event: WatchEvent) => void, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const decoder = new WatchDecoder();
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (err !== undefined && !signal.aborted) reject(err);
      else resolve();
    };
    const deliver = (events: WatchEvent[]): void => {
      for (const e of events) {
        if (signal.aborted) return;
        onEvent(e);
      }
    };
    const onAbort = (): void => {
      res.destroy();
      finish();
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      try {
        deliver(decoder.push(chunk));
      } catch (err) {
        res.destroy();
        finish(err);
      }
    });
    res.on('end', () => {
      try {
        deliver(decoder.end());
        finish();
      } catch (err) {
        finish(err);
      }
    });
    res.on('error', (err) => finish(err));
    res.on('close', () => finish(res.complete ? undefined : new Error('watch stream closed before it was complete')));
  });
}
