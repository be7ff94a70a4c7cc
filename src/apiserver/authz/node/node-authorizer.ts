/**
 * The Node authorizer (upstream plugin/pkg/auth/authorizer/node): a kubelet
 * (`system:node:<name>` in `system:nodes`) may read the Secrets, ConfigMaps, PVCs, PVs and
 * ResourceClaims of the pods bound to its node, ask for tokens of their ServiceAccounts, use its
 * own Lease and CSINode — and, for every resource not subdivided so, what the `system:node`
 * ClusterRole's rules allow. Everything else gets no opinion (the next authorizer, RBAC, tells),
 * with upstream's reason.
 */
import type { UserInfo } from '../../registry/context.js';
import type { Attributes, Authorizer, Decision, SubjectRules } from '../interface.js';
import { NODE_RULES } from '../rbac/bootstrap-policy.js';
import { ruleAllows } from '../rbac/rules.js';
import type { NodeGraph, VertexType } from './graph.js';
import { nodeIdentity } from './node-identity.js';

const ALLOW: Decision = { allowed: true, reason: '' };
const NODE_LEASE_NAMESPACE = 'kube-node-lease';

function noOpinion(reason: string): Decision {
  return { allowed: false, reason };
}

export class NodeAuthorizer implements Authorizer {
  readonly #graph: NodeGraph;

  constructor(options: { graph: NodeGraph }) {
    this.#graph = options.graph;
  }

  authorize(attrs: Attributes): Decision {
    const { isNode, nodeName } = nodeIdentity(attrs.user);
    if (!isNode) return noOpinion('');
    if (!nodeName) return noOpinion(`unknown node for user "${attrs.user.name}"`);
    if (attrs.isResourceRequest) {
      const decision = this.#subdivided(nodeName, attrs);
      if (decision) return decision;
    }
    return NODE_RULES.some((r) => ruleAllows(attrs, r)) ? ALLOW : noOpinion('');
  }

  /** Nodes' permissions cannot be listed: the graph decides per object (upstream's RulesFor). */
  rulesFor(user: UserInfo): SubjectRules {
    if (!nodeIdentity(user).isNode) return { resourceRules: [], nonResourceRules: [], incomplete: false };
    return {
      resourceRules: [],
      nonResourceRules: [],
      incomplete: true,
      evaluationError: 'node authorizer does not support user rule resolution',
    };
  }

  /** The decision for the resources whose access is subdivided per node; undefined for the rest. */
  #subdivided(nodeName: string, attrs: Attributes): Decision | undefined {
    const { group, resource } = attrs;
    if (group === '') {
      switch (resource) {
        case 'secrets':
          return this.#readNamespaced(nodeName, 'secret', attrs);
        case 'configmaps':
          return this.#readNamespaced(nodeName, 'configmap', attrs);
        case 'persistentvolumeclaims':
          return attrs.subresource === 'status'
            ? this.#statusUpdate(nodeName, 'persistentvolumeclaim', attrs)
            : this.#get(nodeName, 'persistentvolumeclaim', attrs);
        case 'persistentvolumes':
          return this.#get(nodeName, 'persistentvolume', attrs);
        case 'serviceaccounts':
          return this.#createToken(nodeName, attrs);
      }
    }
    if (group === 'resource.k8s.io' && resource === 'resourceclaims') return this.#get(nodeName, 'resourceclaim', attrs);
    if (group === 'coordination.k8s.io' && resource === 'leases') return authorizeLease(nodeName, attrs);
    if (group === 'storage.k8s.io' && resource === 'csinodes') return authorizeCSINode(nodeName, attrs);
    return undefined;
  }

  #readNamespaced(nodeName: string, type: VertexType, attrs: Attributes): Decision {
    if (!['get', 'list', 'watch'].includes(attrs.verb)) return noOpinion('can only read resources of this type');
    if (attrs.subresource) return noOpinion('cannot read subresource');
    if (!attrs.namespace) return noOpinion('can only read namespaced object of this type');
    return this.#path(nodeName, type, attrs);
  }

  #get(nodeName: string, type: VertexType, attrs: Attributes): Decision {
    if (attrs.verb !== 'get') return noOpinion('can only get individual resources of this type');
    if (attrs.subresource) return noOpinion('cannot get subresource');
    return this.#path(nodeName, type, attrs);
  }

  #statusUpdate(nodeName: string, type: VertexType, attrs: Attributes): Decision {
    if (!['update', 'patch'].includes(attrs.verb)) return noOpinion('can only get/update/patch this type');
    if (attrs.subresource !== 'status') return noOpinion('can only update status subresource');
    return this.#path(nodeName, type, attrs);
  }

  #createToken(nodeName: string, attrs: Attributes): Decision {
    if (attrs.verb !== 'create' || !attrs.name) return noOpinion('can only create tokens for individual service accounts');
    if (attrs.subresource !== 'token') return noOpinion('can only create token subresource of serviceaccount');
    return this.#path(nodeName, 'serviceaccount', attrs);
  }

  #path(nodeName: string, type: VertexType, attrs: Attributes): Decision {
    if (!attrs.name) return noOpinion('No Object name found');
    if (!this.#graph.reachable(nodeName, type, attrs.namespace, attrs.name))
      return noOpinion(`no relationship found between node '${nodeName}' and this object`);
    return ALLOW;
  }
}

function authorizeLease(nodeName: string, attrs: Attributes): Decision {
  if (!['get', 'create', 'update', 'patch', 'delete'].includes(attrs.verb))
    return noOpinion('can only get, create, update, patch, or delete a node lease');
  if (attrs.namespace !== NODE_LEASE_NAMESPACE)
    return noOpinion(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
  // a create's name is the object's, which NodeRestriction checks
  if (attrs.verb !== 'create' && attrs.name !== nodeName)
    return noOpinion('can only access node lease with the same name as the requesting node');
  return ALLOW;
}

function authorizeCSINode(nodeName: string, attrs: Attributes): Decision {
  if (!['get', 'create', 'update', 'patch', 'delete'].includes(attrs.verb))
    return noOpinion('can only get, create, update, patch, or delete a CSINode');
  if (attrs.subresource) return noOpinion('cannot authorize CSINode subresources');
  if (attrs.verb !== 'create' && attrs.name !== nodeName)
    return noOpinion('can only access CSINode with the same name as the requesting node');
  return ALLOW;
}
