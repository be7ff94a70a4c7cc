/**
 * The Node authorizer and NodeRestriction admission over the registry's watch caches, as
 * `k8ts server` wires them: the authorizer goes between the bootstrap authorizer and RBAC
 * (upstream's --authorization-mode=Node,RBAC), the admission plugin into the chain, and
 * `start()` — once the registry serves pods and persistent volumes — fills the graph and keeps
 * it in step.
 */
import type { ApiRegistry } from '../../api-registry.js';
import { NodeRestriction } from '../../admission/node-restriction.js';
import { NodeGraph } from './graph.js';
import { NodeAuthorizer } from './node-authorizer.js';

export class NodeAuthorization {
  readonly graph = new NodeGraph();
  readonly authorizer: NodeAuthorizer;
  readonly restriction: NodeRestriction;
  readonly #registry: ApiRegistry;

  constructor(options: { registry: ApiRegistry }) {
    const registry = options.registry;
    this.#registry = registry;
    this.authorizer = new NodeAuthorizer({ graph: this.graph });
    this.restriction = new NodeRestriction({
      pods: () => registry.lookup('', 'v1', 'pods')?.cache,
      nodes: () => registry.lookup('', 'v1', 'nodes')?.cache,
    });
  }

  /** Follows the pods' and persistent volumes' watch caches (until the registry stops them). */
  start(): void {
    const pods = this.#registry.lookup('', 'v1', 'pods')?.cache;
    const volumes = this.#registry.lookup('', 'v1', 'persistentvolumes')?.cache;
    if (!pods || !volumes) throw new Error('the node authorizer needs pods and persistentvolumes served');
    this.graph.follow({ pods, volumes });
  }
}
