/**
 * NodeRestriction (upstream plugin/pkg/admission/noderestriction): what a kubelet
 * (`system:node:<name>`) may write is limited to its own node — its Node (no taint changes, no
 * node-restriction.kubernetes.io/ labels, only the kubelet's kubernetes.io labels), its Lease,
 * the mirror pods bound to it, the status and eviction of its pods, TokenRequests bound to its
 * pods, PVC status, and CSRs only for itself. Upstream's messages. Other users pass untouched.
 */
import {
  forbiddenDiff,
  labelsEqual,
  mirrorPodProblem,
  modifiedLabels,
  nodeForbiddenLabels,
  pvcStatusDiff,
} from './node-restriction-rules.js';
import { newForbidden, newNotFound } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { x509 } from '../../pki/x509.js';
import { nodeIdentity } from '../authz/node/node-identity.js';
import type { WatchCache } from '../watch/cache.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const NODE_SIGNERS = ['kubernetes.io/kubelet-serving', 'kubernetes.io/kube-apiserver-client-kubelet'];

export interface NodeRestrictionOptions {
  /** The pods' and nodes' watch caches (available once the registry serves them). */
  pods: () => WatchCache | undefined;
  nodes: () => WatchCache | undefined;
}

function nodeNameOf(pod: KubeObject | undefined): string {
  return String((pod?.['spec'] as { nodeName?: unknown } | undefined)?.nodeName ?? '');
}

export class NodeRestriction implements AdmissionPlugin {
  readonly name = 'NodeRestriction';
  readonly #o: NodeRestrictionOptions;

  constructor(options: NodeRestrictionOptions) {
    this.#o = options;
  }

  validate(attrs: AdmissionAttributes): void {
    const { isNode, nodeName } = nodeIdentity(attrs.user);
    if (!isNode) return;
    const forbid = (why: string): never => {
      throw newForbidden({ group: attrs.type.group, resource: attrs.type.plural }, attrs.name || (attrs.object?.metadata.name ?? ''), why);
    };
    if (!nodeName) forbid(`could not determine node from user "${attrs.user?.name ?? ''}"`);
    const { group, plural } = attrs.type;
    if (group === '' && plural === 'pods') return this.#pod(nodeName, attrs, forbid);
    if (group === '' && plural === 'nodes') return admitNode(nodeName, attrs, forbid);
    if (group === '' && plural === 'persistentvolumeclaims') {
      if (attrs.subresource !== 'status') return forbid('may only update PVC status');
      if (attrs.operation !== 'UPDATE') return forbid(`unexpected operation "${attrs.operation}"`);
      const diff = pvcStatusDiff(attrs.oldObject, attrs.object);
      if (diff.length > 0)
        forbid(`node "${nodeName}" is not allowed to update fields other than status.capacity and status.conditions: ${diff.join(', ')}`);
      return;
    }
    if (group === '' && plural === 'serviceaccounts') return this.#tokenRequest(nodeName, attrs, forbid);
    if (group === 'coordination.k8s.io' && plural === 'leases') {
      if (attrs.namespace !== NODE_LEASE_NAMESPACE) forbid(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
      const name = attrs.operation === 'CREATE' ? (attrs.object?.metadata.name ?? '') : attrs.name;
      if (name !== nodeName) forbid('can only access node lease with the same name as the requesting node');
      return;
    }
    if (group === 'certificates.k8s.io' && plural === 'certificatesigningrequests' && attrs.operation === 'CREATE' && !attrs.subresource)
      return admitCSR(nodeName, attrs.object, forbid);
  }

  #pod(nodeName: string, attrs: AdmissionAttributes, forbid: (why: string) => never): void {
    const op = attrs.operation;
    switch (attrs.subresource) {
      case '':
        if (op === 'CREATE') {
          const problem = mirrorPodProblem(nodeName, attrs.object, this.#node(nodeName)?.metadata.uid);
          if (problem === 'NotFound') throw newNotFound({ group: '', resource: 'nodes' }, nodeName);
          if (problem) forbid(problem);
          return;
        }
        if (op === 'DELETE') {
          if (nodeNameOf(attrs.oldObject) !== nodeName) forbid(`node "${nodeName}" can only delete pods with spec.nodeName set to itself`);
          return;
        }
        return forbid(`unexpected operation "${op}", node "${nodeName}" can only create and delete mirror pods`);
      case 'status':
        if (op !== 'UPDATE') return forbid(`unexpected operation "${op}"`);
        if (nodeNameOf(attrs.oldObject) !== nodeName)
          forbid(`node "${nodeName}" can only update pod status for pods with spec.nodeName set to itself`);
        if (!labelsEqual(attrs.oldObject, attrs.object)) forbid(`node "${nodeName}" cannot update labels through pod status`);
        return;
      case 'eviction': {
        if (op !== 'CREATE') return forbid(`unexpected operation ${op}`);
        const podName = attrs.name || (attrs.object?.metadata.name ?? '');
        if (!podName) forbid('could not determine pod from request data');
        const pod = this.#existingPod(attrs.namespace, podName);
        if (!pod) throw newNotFound({ group: '', resource: 'pods' }, podName);
        if (nodeNameOf(pod) !== nodeName) forbid(`node ${nodeName} can only evict pods with spec.nodeName set to itself`);
        return;
      }
      default:
        forbid(`unexpected pod subresource "${attrs.subresource}", only 'status' and 'eviction' are allowed`);
    }
  }

  /** serviceaccounts/token: a node's TokenRequests are bound to a pod of its own. */
  #tokenRequest(nodeName: string, attrs: AdmissionAttributes, forbid: (why: string) => never): void {
    if (attrs.operation !== 'CREATE' || attrs.subresource !== 'token') return;
    const ref = (
      attrs.object?.['spec'] as { boundObjectRef?: { apiVersion?: string; kind?: string; name?: string; uid?: string } } | undefined
    )?.boundObjectRef;
    if (ref?.apiVersion !== 'v1' || ref.kind !== 'Pod' || !ref.name) forbid('node requested token not bound to a pod');
    if (!ref?.uid) forbid('node requested token with a pod binding without a uid');
    const pod = this.#existingPod(attrs.namespace, ref?.name ?? '');
    if (!pod) throw newNotFound({ group: '', resource: 'pods' }, ref?.name ?? '');
    if (ref?.uid !== pod.metadata.uid)
      forbid(
        `the UID in the bound object reference (${ref?.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
      );
    if (nodeNameOf(pod) !== nodeName) forbid('node requested token bound to a pod scheduled on a different node');
  }

  #existingPod(namespace: string, name: string): KubeObject | undefined {
    const cache = this.#o.pods();
    return cache?.get(`${cache.prefix}${namespace}/${name}`);
  }

  #node(name: string): KubeObject | undefined {
    const cache = this.#o.nodes();
    return cache?.get(`${cache.prefix}${name}`);
  }
}

function admitNode(nodeName: string, attrs: AdmissionAttributes, forbid: (why: string) => never): void {
  const requested = attrs.name || (attrs.object?.metadata.name ?? '');
  if (requested !== nodeName) forbid(`node "${nodeName}" is not allowed to modify node "${requested}"`);
  const spec = (o: KubeObject | undefined) => (o?.['spec'] ?? {}) as { configSource?: unknown; taints?: unknown };
  if (attrs.operation === 'CREATE') {
    if (spec(attrs.object).configSource) forbid(`node "${nodeName}" is not allowed to create pods with a non-nil configSource`);
    const forbidden = nodeForbiddenLabels(modifiedLabels(attrs.object, undefined));
    if (forbidden.length > 0) forbid(`node "${nodeName}" is not allowed to set the following labels: ${forbidden.join(', ')}`);
  }
  if (attrs.operation === 'UPDATE') {
    const configSource = spec(attrs.object).configSource;
    if (configSource && forbiddenDiff(configSource, spec(attrs.oldObject).configSource))
      forbid(`node "${nodeName}" is not allowed to update configSource to a new non-nil configSource`);
    if (forbiddenDiff(spec(attrs.object).taints ?? [], spec(attrs.oldObject).taints ?? []))
      forbid(`node "${nodeName}" is not allowed to modify taints`);
    const forbidden = nodeForbiddenLabels(modifiedLabels(attrs.object, attrs.oldObject));
    if (forbidden.length > 0) forbid(`is not allowed to modify labels: ${forbidden.join(', ')}`);
  }
}

/** Kubelet CSRs (serving, client) whose CN names a node must name this one. */
function admitCSR(nodeName: string, csr: KubeObject | undefined, forbid: (why: string) => never): void {
  const spec = (csr?.['spec'] ?? {}) as { signerName?: string; request?: string };
  if (!NODE_SIGNERS.includes(spec.signerName ?? '')) return;
  let commonName = '';
  try {
    const pem = Buffer.from(spec.request ?? '', 'base64').toString('utf8');
    commonName = new x509.Pkcs10CertificateRequest(pem).subjectName.getField('CN').at(-1) ?? '';
  } catch (err) {
    forbid(`unable to parse csr: ${(err as Error).message}`);
  }
  if (commonName.startsWith('system:node:') && commonName !== `system:node:${nodeName}`)
    forbid(`CN=${commonName} common name does not match the node name ${nodeName}, and cannot request a certificate for a different node`);
}
