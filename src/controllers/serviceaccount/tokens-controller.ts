/**
 * The service account token controller (pkg/controller/serviceaccount/tokens_controller.go):
 * a Secret of type kubernetes.io/service-account-token that names a ServiceAccount (annotation
 * kubernetes.io/service-account.name, and .uid once known) gets `token` (a legacy token signed
 * with the service-account key), `ca.crt` and `namespace`; one whose ServiceAccount is gone (or
 * was recreated with another UID) is deleted, as are all of a deleted ServiceAccount's.
 * Watch serviceaccounts (deletes) and secrets → two queues → syncServiceAccount / syncSecret.
 */
import type { Clientset, Lister, ResourceClient, SharedInformer, SharedInformerFactory, WorkQueue } from '../../client/interface.js';
import { objectKey, splitKey } from '../../client/interface.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { runController } from '../runtime.js';
import { SERVICE_ACCOUNTS } from './serviceaccounts-controller.js';
import { SECRETS } from '../bootstrap/token-cleaner.js';

export const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token';
export const SERVICE_ACCOUNT_NAME_KEY = 'kubernetes.io/service-account.name';
export const SERVICE_ACCOUNT_UID_KEY = 'kubernetes.io/service-account.uid';

/** Signs a legacy token (serviceaccount.LegacyClaims) for a Secret. */
export interface LegacyTokenSigner {
  generate(claims: { namespace: string; secretName: string; serviceAccountName: string; serviceAccountUID: string }): Promise<string>;
}

export interface TokensControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  newQueue: () => WorkQueue;
  token: LegacyTokenSigner;
  /** PEM of the cluster CA (--root-ca-file) put in ca.crt; none when empty. */
  rootCA: string;
  log?: (message: string) => void;
}

function annotation(object: KubeObject, key: string): string {
  return object.metadata.annotations?.[key] ?? '';
}

function isTokenSecret(secret: KubeObject): boolean {
  return secret['type'] === SERVICE_ACCOUNT_TOKEN_TYPE;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export class TokensController {
  readonly serviceAccountQueue: WorkQueue;
  readonly secretQueue: WorkQueue;
  readonly #secretsClient: ResourceClient;
  readonly #accountsClient: ResourceClient;
  readonly #informers: SharedInformer[];
  readonly #secrets: Lister;
  readonly #accounts: Lister;
  readonly #token: LegacyTokenSigner;
  readonly #rootCA: string;
  readonly #log: (message: string) => void;

  constructor(options: TokensControllerOptions) {
    this.serviceAccountQueue = options.newQueue();
    this.secretQueue = options.newQueue();
    this.#secretsClient = options.client.resource(SECRETS);
    this.#accountsClient = options.client.resource(SERVICE_ACCOUNTS);
    this.#token = options.token;
    this.#rootCA = options.rootCA;
    this.#log = options.log ?? ((m) => console.error(m));
    const accounts = options.informers.forResource(SERVICE_ACCOUNTS);
    const secrets = options.informers.forResource(SECRETS);
    this.#informers = [accounts, secrets];
    this.#accounts = accounts.lister;
    this.#secrets = secrets.lister;
    // the key carries the UID: a recreated account must not keep the old one's tokens
    accounts.addEventHandler({ onDelete: (sa) => this.serviceAccountQueue.add(`${objectKey(sa)}/${sa.metadata.uid ?? ''}`) });
    const enqueue = (secret: KubeObject) => {
      if (isTokenSecret(secret)) this.secretQueue.add(objectKey(secret));
    };
    secrets.addEventHandler({ onAdd: enqueue, onUpdate: (_old, secret) => enqueue(secret) });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    const onError = (key: string, err: unknown) => this.#log(`tokens-controller ${key}: ${(err as Error).message}`);
    await runController(
      this.#informers,
      [
        { queue: this.serviceAccountQueue, workers, signal, sync: (key) => this.syncServiceAccount(key), onError },
        { queue: this.secretQueue, workers, signal, sync: (key) => this.syncSecret(key), onError },
      ],
      signal,
    );
  }

  /** A deleted ServiceAccount (key namespace/name/uid): deletes the token Secrets that name it. */
  async syncServiceAccount(key: string): Promise<void> {
    const [namespace = '', name = '', uid = ''] = key.split('/');
    if (await this.#serviceAccount(namespace, name, uid, false)) return;
    for (const secret of this.#secrets.list(namespace)) {
      if (!isTokenSecret(secret) || annotation(secret, SERVICE_ACCOUNT_NAME_KEY) !== name) continue;
      const secretUID = annotation(secret, SERVICE_ACCOUNT_UID_KEY);
      if (secretUID !== '' && secretUID !== uid) continue;
      await this.#deleteSecret(secret);
    }
  }

  /** A token Secret: deleted when its ServiceAccount is gone, else filled in. */
  async syncSecret(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const secret = this.#secrets.get(namespace, name);
    if (!secret || !isTokenSecret(secret)) return;
    const sa = await this.#serviceAccount(
      namespace,
      annotation(secret, SERVICE_ACCOUNT_NAME_KEY),
      annotation(secret, SERVICE_ACCOUNT_UID_KEY),
      true,
    );
    if (!sa) {
      await this.#deleteSecret(secret);
      return;
    }
    if (!this.#updateNeeded(secret)) return;
    await this.#generateToken(sa, secret, key);
  }

  /** upstream getServiceAccount: the account with that name (and UID, when one is given). */
  async #serviceAccount(namespace: string, name: string, uid: string, fetchOnCacheMiss: boolean): Promise<KubeObject | undefined> {
    let sa = this.#accounts.get(namespace, name);
    if (!sa && fetchOnCacheMiss) {
      try {
        sa = await this.#accountsClient.get(namespace, name);
      } catch (err) {
        if (!isStatusError(err, 'NotFound')) throw err;
      }
    }
    if (!sa || (uid !== '' && sa.metadata.uid !== uid)) return undefined;
    return sa;
  }

  #updateNeeded(secret: KubeObject): boolean {
    const data = (secret['data'] ?? {}) as Record<string, string>;
    const needsCA = this.#rootCA !== '' && data['ca.crt'] !== b64(this.#rootCA);
    return needsCA || !data['namespace'] || !data['token'];
  }

  /** generateTokenIfNeeded: fills the live Secret when the cache's copy is current; otherwise the watch brings it back. */
  async #generateToken(sa: KubeObject, cached: KubeObject, key: string): Promise<void> {
    let live: KubeObject;
    try {
      live = await this.#secretsClient.get(cached.metadata.namespace ?? '', cached.metadata.name ?? '');
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return;
      throw err;
    }
    if (live.metadata.resourceVersion !== cached.metadata.resourceVersion) {
      this.secretQueue.addRateLimited(key);
      return;
    }
    if (!this.#updateNeeded(live)) return;
    const secret = structuredClone(live);
    const data = { ...((secret['data'] ?? {}) as Record<string, string>) };
    const namespace = secret.metadata.namespace ?? '';
    if (this.#rootCA !== '') data['ca.crt'] = b64(this.#rootCA);
    if (!data['namespace']) data['namespace'] = b64(namespace);
    if (!data['token']) {
      const token = await this.#token.generate({
        namespace,
        secretName: secret.metadata.name ?? '',
        serviceAccountName: sa.metadata.name ?? '',
        serviceAccountUID: sa.metadata.uid ?? '',
      });
      data['token'] = b64(token);
    }
    secret['data'] = data;
    secret.metadata.annotations = {
      ...secret.metadata.annotations,
      [SERVICE_ACCOUNT_NAME_KEY]: sa.metadata.name ?? '',
      [SERVICE_ACCOUNT_UID_KEY]: sa.metadata.uid ?? '',
    };
    try {
      await this.#secretsClient.update(namespace, secret);
    } catch (err) {
      if (!isStatusError(err, 'Conflict') && !isStatusError(err, 'NotFound')) throw err;
      this.secretQueue.addRateLimited(key);
    }
  }

  async #deleteSecret(secret: KubeObject): Promise<void> {
    try {
      await this.#secretsClient.delete(secret.metadata.namespace ?? '', secret.metadata.name ?? '', {
        preconditions: { uid: secret.metadata.uid ?? '' },
      });
    } catch (err) {
      if (!isStatusError(err, 'NotFound') && !isStatusError(err, 'Conflict')) throw err;
    }
  }
}
