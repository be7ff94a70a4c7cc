/** In-memory fakes of the client contracts for scheduler unit tests. */
import type {
  Clientset,
  EventsV1Recorder,
  GroupVersionResource,
  IndexFunc,
  Lister,
  ResourceClient,
  ResourceEventHandler,
  SharedInformer,
  SharedInformerFactory,
} from '../../client/interface.js';
import type { KubeObject } from '../../machinery/object.js';

export interface Call {
  verb: string;
  resource: string;
  namespace: string;
  name: string;
  body?: unknown;
  subresource?: string;
}

export class FakeClientset implements Clientset {
  readonly calls: Call[] = [];
  /** Makes the next createSubresource call of this subresource fail. */
  failSubresource: string | undefined;

  resource(gvr: GroupVersionResource): ResourceClient {
    const record = (c: Omit<Call, 'resource'>) => this.calls.push({ ...c, resource: gvr.resource });
    const unsupported = () => Promise.reject(new Error('not faked'));
    return {
      get: unsupported,
      list: unsupported,
      watch: () => ({ done: Promise.resolve() }),
      create: unsupported,
      update: unsupported,
      updateStatus: unsupported,
      patch: async (namespace, name, _type, body, opts) => {
        record({ verb: 'patch', namespace, name, body, subresource: opts?.subresource });
        return { metadata: { name, namespace } };
      },
      delete: async (namespace, name) => {
        record({ verb: 'delete', namespace, name });
        return undefined;
      },
      createSubresource: async (namespace, name, subresource, body) => {
        record({ verb: 'create', namespace, name, body, subresource });
        if (this.failSubresource === subresource) {
          this.failSubresource = undefined;
          throw new Error('etcdserver: request timed out');
        }
        return body;
      },
    };
  }

  close(): void {}
}

export class FakeRecorder implements EventsV1Recorder {
  readonly events: { name: string; type: string; reason: string; action: string; message: string; related?: string }[] = [];
  eventf(
    regarding: KubeObject,
    related: KubeObject | undefined,
    type: 'Normal' | 'Warning',
    reason: string,
    action: string,
    note: string,
  ): void {
    this.events.push({
      name: regarding.metadata.name ?? '',
      type,
      reason,
      action,
      message: note,
      ...(related ? { related: related.metadata.name ?? '' } : {}),
    });
  }
}

export class FakeInformer implements SharedInformer {
  readonly objects = new Map<string, KubeObject>();
  readonly handlers: ResourceEventHandler[] = [];
  readonly lister: Lister = {
    get: (ns, name) => this.objects.get(`${ns}/${name}`),
    list: (ns) => [...this.objects.values()].filter((o) => ns === undefined || ns === '' || o.metadata.namespace === ns),
    byIndex: () => [],
  };
  addEventHandler(h: ResourceEventHandler): void {
    this.handlers.push(h);
  }
  addIndexer(_name: string, _fn: IndexFunc): void {}
  hasSynced(): boolean {
    return true;
  }
  async waitForSync(): Promise<void> {}

  add(o: KubeObject): void {
    this.objects.set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);
    for (const h of this.handlers) h.onAdd?.(o);
  }
  update(o: KubeObject): void {
    const k = `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const old = this.objects.get(k)!;
    this.objects.set(k, o);
    for (const h of this.handlers) h.onUpdate?.(old, o);
  }
  delete(o: KubeObject): void {
    this.objects.delete(`${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    for (const h of this.handlers) h.onDelete?.(o);
  }
}

export class FakeInformerFactory implements SharedInformerFactory {
  readonly informers = new Map<string, FakeInformer>();
  forResource(gvr: GroupVersionResource): FakeInformer {
    let i = this.informers.get(gvr.resource);
    if (!i) this.informers.set(gvr.resource, (i = new FakeInformer()));
    return i;
  }
  start(): void {}
  async waitForCacheSync(): Promise<void> {}
}
