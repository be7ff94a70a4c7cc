/** DefaultBinder: binds through POST pods/{name}/binding with a Binding to the node. */
import type { CycleState } from '../framework/cycle-state.js';
import type { BindPlugin, FrameworkHandle } from '../framework/interface.js';
import type { PodInfo } from '../framework/pod-info.js';
import { asStatus, type Status, success } from '../framework/status.js';

export const DEFAULT_BINDER = 'DefaultBinder';
export const PODS = { group: '', version: 'v1', resource: 'pods' };

export class DefaultBinder implements BindPlugin {
  readonly name = DEFAULT_BINDER;
  readonly #handle: FrameworkHandle;

  constructor(handle: FrameworkHandle) {
    this.#handle = handle;
  }

  async bind(_state: CycleState, pod: PodInfo, nodeName: string): Promise<Status> {
    const cs = this.#handle.clientset;
    if (!cs) return asStatus(new Error('no clientset to bind with'));
    const m = pod.pod.metadata;
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { namespace: m.namespace, name: m.name, uid: m.uid },
      target: { kind: 'Node', name: nodeName },
    };
    try {
      await cs.resource(PODS).createSubresource(m.namespace ?? '', m.name ?? '', 'binding', binding);
      return success();
    } catch (err) {
      return asStatus(err);
    }
  }
}
