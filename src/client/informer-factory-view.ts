/**
 * A component's informer factory that takes the informers of some resources from a factory
 * shared with other components of the same process: the scheduler and the controller manager
 * watch pods and nodes once between them — one watch on the apiserver and one decode per event
 * instead of two. The rest comes from the component's own factory.
 *
 * Handlers registered through the view are removed when its signal aborts (a leadership term
 * ends); the shared informers and their caches go on for the other components and the next term.
 */
import type {
  Clientset,
  GroupVersionResource,
  IndexFunc,
  ResourceEventHandler,
  SharedInformer,
  SharedInformerFactory,
} from './interface.js';
import { InformerFactory, type InformerRequest } from './informer-factory.js';
import { dropManagedFields, type SharedIndexInformer } from './informer.js';

export interface SharedInformers {
  /** Started and stopped by its owner, not by the views over it. */
  readonly factory: InformerFactory;
  /** What the factory is shared for (unfiltered informers only; a selector gets an informer of its own). */
  readonly resources: readonly GroupVersionResource[];
}

export interface InformerFactoryViewOptions {
  own: SharedInformerFactory;
  shared: SharedInformers;
  /** The lifetime of the handlers registered through the view. */
  signal: AbortSignal;
}

/**
 * A component's informers: its own factory, whose caches drop managedFields (components never
 * read them, as upstream's trim them), seen through a view over `shared` when there is one.
 */
export function componentInformers(options: {
  clientset: Clientset;
  onError: (err: unknown) => void;
  shared: SharedInformers | undefined;
  /** The lifetime of handlers on the shared informers. */
  signal: AbortSignal;
}): SharedInformerFactory {
  const own = new InformerFactory({ clientset: options.clientset, transform: dropManagedFields, onError: options.onError });
  return options.shared ? new InformerFactoryView({ own, shared: options.shared, signal: options.signal }) : own;
}

const sameResource = (a: GroupVersionResource, b: GroupVersionResource): boolean =>
  a.group === b.group && a.version === b.version && a.resource === b.resource;

export class InformerFactoryView implements SharedInformerFactory {
  readonly #o: InformerFactoryViewOptions;
  readonly #used = new Set<SharedIndexInformer>();
  #registered: [SharedIndexInformer, ResourceEventHandler][] = [];

  constructor(options: InformerFactoryViewOptions) {
    this.#o = options;
    options.signal.addEventListener('abort', () => this.#removeHandlers(), { once: true });
  }

  /** A shared resource's informer is the shared one: a resync period asked here applies to every component. */
  forResource(gvr: GroupVersionResource, options: InformerRequest = {}): SharedInformer {
    const { shared } = this.#o;
    if (options.fieldSelector || options.labelSelector || !shared.resources.some((r) => sameResource(r, gvr))) {
      return this.#o.own.forResource(gvr, options);
    }
    const informer = shared.factory.forResource(gvr, options);
    this.#used.add(informer);
    return {
      get lister() {
        return informer.lister;
      },
      addEventHandler: (handler: ResourceEventHandler) => {
        if (this.#o.signal.aborted) return;
        informer.addEventHandler(handler);
        this.#registered.push([informer, handler]);
      },
      addIndexer: (name: string, fn: IndexFunc) => informer.addIndexer(name, fn),
      hasSynced: () => informer.hasSynced(),
      waitForSync: (signal: AbortSignal) => informer.waitForSync(signal),
    };
  }

  /** Starts the component's own informers; the shared ones run already. */
  start(signal: AbortSignal): void {
    this.#o.own.start(signal);
  }

  async waitForCacheSync(signal: AbortSignal): Promise<void> {
    await Promise.all([this.#o.own.waitForCacheSync(signal), ...[...this.#used].map((i) => i.waitForSync(signal))]);
  }

  #removeHandlers(): void {
    for (const [informer, handler] of this.#registered) informer.removeEventHandler(handler);
    this.#registered = [];
  }
}
