/**
 * The tokencleaner controller (pkg/controller/bootstrap/tokencleaner.go): deletes bootstrap
 * token Secrets of kube-system once their expiration has passed (with a UID precondition), and
 * comes back to the others when they expire.
 * Watch secrets → enqueue kube-system bootstrap tokens → sync(key): delete or requeue after.
 */
import type {
  Clientset,
  GroupVersionResource,
  ResourceClient,
  SharedInformer,
  SharedInformerFactory,
  WorkQueue,
} from '../../client/interface.js';
import { objectKey, splitKey } from '../../client/interface.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { BOOTSTRAP_TOKEN_NAMESPACE, BOOTSTRAP_TOKEN_SECRET_TYPE, bootstrapTokenTimeLeft } from '../../pki/bootstrap-token.js';
import { runController } from '../runtime.js';

/** Longer waits are taken in steps: a timer of more than 2^31-1 ms fires at once. */
const MAX_WAIT_MS = 24 * 60 * 60 * 1000;

export const SECRETS: GroupVersionResource = { group: '', version: 'v1', resource: 'secrets' };

export interface TokenCleanerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  newQueue: () => WorkQueue;
  now?: () => number;
  log?: (message: string) => void;
}

function isBootstrapToken(secret: KubeObject): boolean {
  return secret.metadata.namespace === BOOTSTRAP_TOKEN_NAMESPACE && secret['type'] === BOOTSTRAP_TOKEN_SECRET_TYPE;
}

export class TokenCleaner {
  readonly queue: WorkQueue;
  readonly #secrets: ResourceClient;
  readonly #informer: SharedInformer;
  readonly #now: () => number;
  readonly #log: (message: string) => void;

  constructor(options: TokenCleanerOptions) {
    this.queue = options.newQueue();
    this.#now = options.now ?? Date.now;
    this.#log = options.log ?? ((m) => console.error(m));
    this.#secrets = options.client.resource(SECRETS);
    this.#informer = options.informers.forResource(SECRETS);
    const enqueue = (secret: KubeObject) => {
      if (isBootstrapToken(secret)) this.queue.add(objectKey(secret));
    };
    this.#informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, secret) => enqueue(secret) });
  }

  async run(signal: AbortSignal): Promise<void> {
    await runController(
      [this.#informer],
      [
        {
          queue: this.queue,
          workers: 1,
          signal,
          sync: (key) => this.sync(key),
          onError: (key, err) => this.#log(`tokencleaner ${key}: ${(err as Error).message}`),
        },
      ],
      signal,
    );
  }

  /** evalSecret: deletes an expired token, or comes back when it expires. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const secret = this.#informer.lister.get(namespace, name);
    if (!secret || !isBootstrapToken(secret) || secret.metadata.deletionTimestamp) return;
    const left = bootstrapTokenTimeLeft(secret, this.#now());
    if (left === Number.POSITIVE_INFINITY) return;
    if (left > 0) {
      this.queue.addAfter(key, Math.min(left, MAX_WAIT_MS));
      return;
    }
    try {
      await this.#secrets.delete(namespace, name, { preconditions: { uid: secret.metadata.uid ?? '' } });
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }
}
