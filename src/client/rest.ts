/**
 * The Clientset over HTTPS: built from a kubeconfig file or from explicit connection material,
 * one keep-alive transport shared by every ResourceClient it hands out.
 */
import type { Clientset, ResourceClient } from './interface.js';
import { type ConnectionConfig, loadKubeconfig } from './kubeconfig.js';
import { RestResourceClient } from './resource-client.js';
import { type ResourceRef, ScopeResolver } from './scope.js';
import { HttpTransport, type RestRequest, type TransportOptions } from './transport.js';

export type HttpsClientsetOptions =
  | (TransportOptions & ({ kubeconfig: string; context?: string } | ConnectionConfig))
  /** An existing transport (HttpTransport.withCredentials), e.g. one identity of many over shared connections. */
  | { transport: HttpTransport; namespace?: string };

export class HttpsClientset implements Clientset {
  readonly #transport: HttpTransport;
  readonly #scopes: ScopeResolver;
  readonly #clients = new Map<string, ResourceClient>();
  /** The kubeconfig context's namespace, or `default`. */
  readonly namespace: string;

  constructor(options: HttpsClientsetOptions) {
    if ('transport' in options) {
      this.namespace = options.namespace ?? 'default';
      this.#transport = options.transport;
    } else {
      const conn = 'kubeconfig' in options ? loadKubeconfig(options.kubeconfig, options.context) : options;
      this.namespace = conn.namespace ?? 'default';
      this.#transport = new HttpTransport(conn, options);
    }
    this.#scopes = new ScopeResolver(this.#transport);
  }

  static fromKubeconfig(path: string, options: TransportOptions & { context?: string } = {}): HttpsClientset {
    return new HttpsClientset({ ...options, kubeconfig: path });
  }

  /**
   * A clientset for another identity over this one's connections (which must carry no client
   * certificate): its bearer token is read from `tokenSource` at every request. Closing it
   * leaves the shared connections to this clientset.
   */
  withCredentials(options: TransportOptions & { tokenSource: () => string }): HttpsClientset {
    return new HttpsClientset({ transport: this.#transport.withCredentials(options), namespace: this.namespace });
  }

  /** The server's origin, e.g. `https://127.0.0.1:6443`. */
  get server(): string {
    return this.#transport.server;
  }

  /** The client for one resource; `namespaced` may be given to skip the scope lookup. */
  resource(gvr: ResourceRef): ResourceClient {
    const key = `${gvr.group}/${gvr.version}/${gvr.resource}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = new RestResourceClient({ ...gvr }, this.#transport, this.#scopes);
      this.#clients.set(key, client);
    }
    return client;
  }

  /** A raw JSON request to any path (e.g. `/version`, discovery); non-2xx throws StatusError. */
  request<T>(req: RestRequest): Promise<T> {
    return this.#transport.json<T>(req);
  }

  close(): void {
    this.#transport.close();
  }
}
