/**
 * status.loadBalancer of the served Ingresses: the InternalIPs of the Ready nodes whose agent runs
 * the ingress controller (labelled ingress.k8ts.io/serving=true by that agent, as k3s' servicelb
 * lists the nodes its pods run on). Every agent computes the same list, so they agree without
 * electing a writer; an Ingress whose status already says it is not written.
 *
 *   markServingNode(nodes, nodeName)  // the agent's own Node gets the label
 *   new IngressStatusWriter({ ingresses, nodes }).sync(served)
 */
import type { Lister, ResourceClient } from '../client/interface.js';
import type { KubeObject } from '../machinery/object.js';

type Obj = Record<string, unknown>;

export const SERVING_NODE_LABEL = 'ingress.k8ts.io/serving';

/** Labels the agent's Node as serving ingress traffic (merge patch: the kubelet's labels stay). */
export async function markServingNode(nodes: ResourceClient, nodeName: string): Promise<void> {
  await nodes.patch('', nodeName, 'merge', { metadata: { labels: { [SERVING_NODE_LABEL]: 'true' } } });
}

export interface IngressStatusWriterOptions {
  ingresses: ResourceClient;
  /** Nodes labelled SERVING_NODE_LABEL=true. */
  nodes: Lister;
}

export class IngressStatusWriter {
  readonly #o: IngressStatusWriterOptions;

  constructor(options: IngressStatusWriterOptions) {
    this.#o = options;
  }

  /** The addresses of the Ready serving nodes, sorted. */
  addresses(): string[] {
    const ips = new Set<string>();
    for (const node of this.#o.nodes.list()) {
      const status = (node['status'] ?? {}) as Obj;
      const ready = ((status['conditions'] ?? []) as Obj[]).some((c) => c['type'] === 'Ready' && c['status'] === 'True');
      if (!ready) continue;
      const ip = ((status['addresses'] ?? []) as Obj[]).find((a) => a['type'] === 'InternalIP')?.['address'];
      if (typeof ip === 'string') ips.add(ip);
    }
    return [...ips].sort();
  }

  /** Writes the addresses into each served Ingress whose status differs; throws the first failure after trying all. */
  async sync(served: readonly KubeObject[]): Promise<void> {
    const want = this.addresses().map((ip) => ({ ip }));
    let failure: unknown;
    for (const ingress of served) {
      const lb = (((ingress['status'] ?? {}) as Obj)['loadBalancer'] ?? {}) as Obj;
      if (JSON.stringify(lb['ingress'] ?? []) === JSON.stringify(want)) continue;
      const next = structuredClone(ingress);
      next['status'] = { ...((next['status'] ?? {}) as Obj), loadBalancer: want.length > 0 ? { ingress: want } : {} };
      await this.#o.ingresses.updateStatus(ingress.metadata.namespace ?? '', next).catch((err: unknown) => (failure ??= err));
    }
    if (failure) throw failure;
  }
}
