/**
 * A Clientset for unit tests (client-go's kubernetes/fake): its objects live in `tracker`, where
 * tests seed and inspect them; every request is recorded in `actions` and passes `reactor`, which
 * may fail or delay it. Informers built on it (FakeInformerFactory) see each write at once.
 */
import type { Clientset, GroupVersionResource, ResourceClient } from '../interface.js';
import { FakeClock } from './fake-clock.js';
import { type Action, FakeResourceClient, type Verb } from './fake-resource-client.js';
import { namespacedKey, ObjectTracker } from './object-tracker.js';

export class FakeClientset implements Clientset {
  /** The server's clock: creation and deletion timestamps. */
  readonly clock = new FakeClock();
  readonly tracker = new ObjectTracker(this.clock);
  readonly actions: Action[] = [];
  /** Called with every request before it is served: throw (or reject) to fail it, return a promise to delay it. */
  reactor?: (action: Action) => void | Promise<void>;

  resource(gvr: GroupVersionResource): ResourceClient {
    return new FakeResourceClient(this.tracker, gvr, async (action) => {
      this.actions.push(action);
      await this.reactor?.(action);
    });
  }

  close(): void {}

  /** The requests other than reads, optionally of one verb, as `verb resource[/subresource] namespace/name`. */
  writes(verb?: Verb): string[] {
    return this.actions
      .filter((a) => (verb ? a.verb === verb : a.verb !== 'get' && a.verb !== 'list' && a.verb !== 'getSubresource'))
      .map((a) => `${a.verb} ${a.resource}${a.subresource ? `/${a.subresource}` : ''} ${namespacedKey(a.namespace, a.name)}`);
  }
}
