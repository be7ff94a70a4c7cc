/**
 * The controllers' clients (upstream's controller-manager clientbuilder). With
 * `--use-service-account-credentials` each controller acts as its own ServiceAccount,
 * `system:serviceaccount:kube-system:<name>`, bound to `system:controller:<name>`: the controller
 * manager's identity gets (or creates) the ServiceAccount and asks TokenRequest for a token,
 * refreshed before it expires. Every controller's clientset borrows one pool of connections
 * (`connections`, without a client certificate) and differs only in its bearer token header.
 *
 * Why tokens rather than a client certificate per controller: a certificate is a TLS property,
 * so each identity would need its own connections (22 pools instead of one); a token is one
 * header. And it is upstream's way: the tokens are bound to the ServiceAccount's UID and stop
 * working when it is deleted, and RBAC sees the ServiceAccount groups.
 */
import type { Clientset, GroupVersionResource } from '../client/interface.js';
import { type Clock, realClock } from '../client/rate-limiter.js';
import { isStatusError } from '../machinery/errors.js';
import type { KubeObject } from '../machinery/object.js';

/** Hands each controller the clientset it acts with. */
export interface ControllerClientBuilder {
  /** The clientset controller `name` (upstream's ServiceAccount name, e.g. `deployment-controller`) uses; resolves once usable. */
  client(name: string): Promise<Clientset>;
}

/** `--use-service-account-credentials=false`: every controller acts as the controller manager. */
export class RootClientBuilder implements ControllerClientBuilder {
  readonly #root: Clientset;
  constructor(options: { root: Clientset }) {
    this.#root = options.root;
  }
  async client(_name: string): Promise<Clientset> {
    return this.#root;
  }
}

const SERVICE_ACCOUNTS: GroupVersionResource = { group: '', version: 'v1', resource: 'serviceaccounts' };
/** upstream's DynamicControllerClientBuilder: tokens of an hour, renewed when 20% of it is left. */
const EXPIRATION_SECONDS = 3600;
const RENEW_AT = 0.8;
const RETRY_INITIAL_MS = 1000;
const RETRY_MAX_MS = 30_000;
/** A token younger than this is not renewed on a 401 (no storm of TokenRequests from one controller's failures). */
const RESET_MIN_AGE_MS = 10_000;

export interface ServiceAccountClientBuilderOptions {
  /** The controller manager's own clientset: reads and creates the ServiceAccounts, requests tokens. */
  root: Clientset;
  /** Connections without a client certificate that every controller's clientset shares. */
  connections: { withCredentials(options: { tokenSource: () => string; onUnauthorized?: () => void; userAgent?: string }): Clientset };
  /** The User-Agent of the controllers' requests. */
  userAgent?: string;
  /** Where the controllers' ServiceAccounts live. */
  namespace?: string;
  expirationSeconds?: number;
  clock?: Clock;
  /** Ends the token renewals. */
  signal: AbortSignal;
  log?: (message: string) => void;
}

interface Credential {
  name: string;
  token: string;
  /** When the current token came (clock ms). */
  issuedAt: number;
  clientset: Clientset;
  /** Cancels the scheduled renewal. */
  cancelRenewal?: () => void;
  renewing: boolean;
}

export class ServiceAccountClientBuilder implements ControllerClientBuilder {
  readonly #o: ServiceAccountClientBuilderOptions;
  readonly #namespace: string;
  readonly #clock: Clock;
  readonly #credentials = new Map<string, Promise<Credential>>();

  constructor(options: ServiceAccountClientBuilderOptions) {
    this.#o = options;
    this.#namespace = options.namespace ?? 'kube-system';
    this.#clock = options.clock ?? realClock;
  }

  /** The controller's clientset, the same one for every call; the first waits for its first token. */
  async client(name: string): Promise<Clientset> {
    let pending = this.#credentials.get(name);
    if (!pending) {
      pending = this.#start(name);
      this.#credentials.set(name, pending);
      pending.catch(() => this.#credentials.delete(name));
    }
    return (await pending).clientset;
  }

  /** The first token, asked for again (backing off) until it comes or the builder's signal aborts. */
  async #firstToken(name: string): Promise<{ token: string; expiresAt: number }> {
    for (let retryMs = RETRY_INITIAL_MS; ; retryMs = Math.min(retryMs * 2, RETRY_MAX_MS)) {
      try {
        return await this.#requestToken(name);
      } catch (err) {
        if (this.#o.signal.aborted) throw err;
        this.#o.log?.(`requesting a token for ${this.#namespace}/${name}: ${(err as Error).message}`);
        await new Promise<void>((resolve) => {
          const done = (): void => {
            this.#o.signal.removeEventListener('abort', done);
            cancel();
            resolve();
          };
          const cancel = this.#clock.setTimeout(done, retryMs);
          this.#o.signal.addEventListener('abort', done, { once: true });
        });
      }
    }
  }

  async #start(name: string): Promise<Credential> {
    const first = await this.#firstToken(name);
    const credential: Credential = {
      name,
      token: first.token,
      issuedAt: this.#clock.now(),
      renewing: false,
      clientset: this.#o.connections.withCredentials({
        tokenSource: () => credential.token,
        onUnauthorized: () => this.#unauthorized(credential),
        ...(this.#o.userAgent ? { userAgent: this.#o.userAgent } : {}),
      }),
    };
    this.#scheduleRenewal(credential, this.#renewDelay(first.expiresAt), RETRY_INITIAL_MS);
    return credential;
  }

  #renewDelay(expiresAt: number): number {
    const now = this.#clock.now();
    const lifetime = (this.#o.expirationSeconds ?? EXPIRATION_SECONDS) * 1000;
    return Math.max(0, Math.min(expiresAt - now, lifetime) * RENEW_AT);
  }

  /** Renews the token after `ms` (replacing a renewal already scheduled); `retryMs` is the wait after a failure. */
  #scheduleRenewal(credential: Credential, ms: number, retryMs: number): void {
    const signal = this.#o.signal;
    credential.cancelRenewal?.();
    credential.cancelRenewal = undefined;
    if (signal.aborted) return;
    const cancelTimer = this.#clock.setTimeout(() => {
      cancel();
      void this.#renew(credential, retryMs);
    }, ms);
    const cancel = (): void => {
      cancelTimer();
      signal.removeEventListener('abort', cancel);
      if (credential.cancelRenewal === cancel) credential.cancelRenewal = undefined;
    };
    credential.cancelRenewal = cancel;
    signal.addEventListener('abort', cancel, { once: true });
  }

  /** A failed renewal keeps the current token and tries again, backing off. */
  async #renew(credential: Credential, retryMs: number): Promise<void> {
    credential.renewing = true;
    try {
      const next = await this.#requestToken(credential.name);
      credential.token = next.token;
      credential.issuedAt = this.#clock.now();
      this.#scheduleRenewal(credential, this.#renewDelay(next.expiresAt), RETRY_INITIAL_MS);
    } catch (err) {
      this.#o.log?.(`renewing the token of ${this.#namespace}/${credential.name}: ${(err as Error).message}`);
      this.#scheduleRenewal(credential, retryMs, Math.min(retryMs * 2, RETRY_MAX_MS));
    } finally {
      credential.renewing = false;
    }
  }

  /**
   * A 401 to the controller's token: its ServiceAccount was deleted (and is created again with the
   * next token), or the signing key changed. Renews at once, unless the token is a fresh one.
   */
  #unauthorized(credential: Credential): void {
    if (credential.renewing || this.#clock.now() - credential.issuedAt < RESET_MIN_AGE_MS) return;
    this.#scheduleRenewal(credential, 0, RETRY_INITIAL_MS);
  }

  /** Gets or creates the ServiceAccount, then a token for it (TokenRequest). */
  async #requestToken(name: string): Promise<{ token: string; expiresAt: number }> {
    const accounts = this.#o.root.resource(SERVICE_ACCOUNTS);
    try {
      await accounts.get(this.#namespace, name);
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
      const account: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: this.#namespace } };
      await accounts.create(this.#namespace, account).catch((e: unknown) => {
        if (!isStatusError(e, 'AlreadyExists')) throw e;
      });
    }
    const response = (await accounts.createSubresource(this.#namespace, name, 'token', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: this.#o.expirationSeconds ?? EXPIRATION_SECONDS },
    })) as { status?: { token?: string; expirationTimestamp?: string } };
    const token = response.status?.token;
    const expiresAt = Date.parse(response.status?.expirationTimestamp ?? '');
    if (!token || Number.isNaN(expiresAt)) throw new Error(`TokenRequest for ${this.#namespace}/${name} returned no token`);
    return { token, expiresAt };
  }
}
