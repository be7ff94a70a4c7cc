/**
 * client-go's SharedInformerFactory: one informer per resource and selector, shared by every
 * controller that asks, started together and stopped by one signal.
 */
import type { KubeObject } from '../machinery/object.js';
import type { Clientset, GroupVersionResource, SharedInformerFactory } from './interface.js';
import { SharedIndexInformer } from './informer.js';
import type { BackoffOptions } from './reflector.js';

export interface InformerFactoryOptions {
  clientset: Clientset;
  /** Restricts every informer to one namespace; '' or undefined: all namespaces. */
  namespace?: string;
  /** Resync period of informers that do not ask for one. 0 (default): none. */
  defaultResyncMs?: number;
  pageSize?: number;
  backoff?: BackoffOptions;
  onError?: (err: unknown) => void;
  /** Applied to every object before it is cached, in every informer (see InformerOptions). */
  transform?: (obj: KubeObject) => KubeObject;
}

export interface InformerRequest {
  resyncMs?: number;
  fieldSelector?: string;
  labelSelector?: string;
}

export class InformerFactory implements SharedInformerFactory {
  readonly #o: InformerFactoryOptions;
  readonly #informers = new Map<string, SharedIndexInformer>();
  #signal: AbortSignal | undefined;

  constructor(options: InformerFactoryOptions) {
    this.#o = options;
  }

  /**
   * The shared informer of a resource and selector. Asking again with a shorter resyncMs
   * shortens the shared informer's period. Informers created after start() start at once.
   */
  forResource(gvr: GroupVersionResource, options: InformerRequest = {}): SharedIndexInformer {
    const key = `${gvr.group}/${gvr.version}/${gvr.resource}?fieldSelector=${options.fieldSelector ?? ''}&labelSelector=${options.labelSelector ?? ''}`;
    const resyncMs = options.resyncMs ?? this.#o.defaultResyncMs ?? 0;
    let informer = this.#informers.get(key);
    if (informer) {
      informer.setResyncPeriod(resyncMs);
      return informer;
    }
    informer = new SharedIndexInformer({
      client: this.#o.clientset.resource(gvr),
      namespace: this.#o.namespace,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      resyncMs,
      pageSize: this.#o.pageSize,
      backoff: this.#o.backoff,
      onError: this.#o.onError,
      transform: this.#o.transform,
      name: gvr.group ? `${gvr.resource}.${gvr.group}` : gvr.resource,
    });
    this.#informers.set(key, informer);
    if (this.#signal) this.#run(informer, this.#signal);
    return informer;
  }

  start(signal: AbortSignal): void {
    if (this.#signal) return;
    this.#signal = signal;
    for (const informer of this.#informers.values()) this.#run(informer, signal);
  }

  /** Resolves when every informer created so far has synced, or the signal aborts. */
  async waitForCacheSync(signal: AbortSignal): Promise<void> {
    await Promise.all([...this.#informers.values()].map((i) => i.waitForSync(signal)));
  }

  #run(informer: SharedIndexInformer, signal: AbortSignal): void {
    const report = this.#o.onError ?? ((err: unknown) => console.error(err));
    informer.run(signal).catch(report);
  }
}
