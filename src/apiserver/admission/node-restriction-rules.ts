/**
 * NodeRestriction's object checks (upstream noderestriction/admission.go): which node labels a
 * kubelet may set, what makes a mirror pod acceptable, what a PVC status update may change.
 */
import { cloneJson } from '../../machinery/clone.js';
import { jsonEqual } from '../../machinery/json-equal.js';
import type { KubeObject } from '../../machinery/object.js';
import { podReferences } from '../authz/node/pod-references.js';

const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
const NODE_RESTRICTION_NAMESPACE = 'node-restriction.kubernetes.io';
/** The labels a kubelet sets itself (upstream kubeletapis.IsKubeletLabel). */
const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'beta.kubernetes.io/instance-type',
  'node.kubernetes.io/instance-type',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
  'kubernetes.io/os',
  'kubernetes.io/arch',
]);
const KUBELET_LABEL_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

export function forbiddenDiff(a: unknown, b: unknown): boolean {
  return !jsonEqual(a, b);
}

function labelsOf(o: KubeObject | undefined): Record<string, string> {
  return (o?.metadata.labels ?? {}) as Record<string, string>;
}

export function labelsEqual(a: KubeObject | undefined, b: KubeObject | undefined): boolean {
  return jsonEqual(labelsOf(a), labelsOf(b));
}

/** The label keys added, removed or changed. */
export function modifiedLabels(now: KubeObject | undefined, before: KubeObject | undefined): string[] {
  const a = labelsOf(now);
  const b = labelsOf(before);
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => a[k] !== b[k]);
}

function labelNamespace(label: string): string {
  const slash = label.indexOf('/');
  return slash < 0 ? '' : label.slice(0, slash);
}

function inNamespace(namespace: string, domain: string): boolean {
  return namespace === domain || namespace.endsWith(`.${domain}`);
}

function isKubeletLabel(label: string): boolean {
  return KUBELET_LABELS.has(label) || KUBELET_LABEL_NAMESPACES.some((d) => inNamespace(labelNamespace(label), d));
}

/** Of the modified labels, those a kubelet may not set (sorted, as upstream's sets.String.List). */
export function nodeForbiddenLabels(labels: string[]): string[] {
  const out = labels.filter((label) => {
    const namespace = labelNamespace(label);
    if (inNamespace(namespace, NODE_RESTRICTION_NAMESPACE)) return true;
    const kubernetes = inNamespace(namespace, 'kubernetes.io') || inNamespace(namespace, 'k8s.io');
    return kubernetes && !isKubeletLabel(label);
  });
  return out.sort();
}

/**
 * Why a node may not create this pod ('' when it may; 'NotFound' when its Node is unknown):
 * only mirror pods bound to itself, controlled by its Node, referring to no other object.
 */
export function mirrorPodProblem(nodeName: string, pod: KubeObject | undefined, nodeUID: string | undefined): string {
  if (!pod) return 'unexpected type';
  const node = `node "${nodeName}"`;
  if (!pod.metadata.annotations?.[MIRROR_ANNOTATION])
    return `pod does not have "${MIRROR_ANNOTATION}" annotation, ${node} can only create mirror pods`;
  const spec = (pod['spec'] ?? {}) as { nodeName?: string; serviceAccountName?: string; volumes?: { persistentVolumeClaim?: unknown }[] };
  if (spec.nodeName !== nodeName) return `${node} can only create pods with spec.nodeName set to itself`;
  const owners = pod.metadata.ownerReferences ?? [];
  if (owners.length > 1) return `${node} can only create pods with a single owner reference set to itself`;
  const owner = owners[0];
  if (!owner) return `${node} can only create pods with an owner reference set to itself`;
  if (owner.apiVersion !== 'v1' || owner.kind !== 'Node' || owner.name !== nodeName)
    return `${node} can only create pods with an owner reference set to itself`;
  if (!owner.controller) return `${node} can only create pods with a controller owner reference set to itself`;
  if (owner.blockOwnerDeletion) return `${node} must not set blockOwnerDeletion on an owner reference`;
  if (nodeUID === undefined) return 'NotFound';
  if (owner.uid !== nodeUID) return `node ${nodeName} UID mismatch: expected ${nodeUID} got ${owner.uid}`;
  if (spec.serviceAccountName) return `${node} can not create pods that reference a service account`;
  const refs = podReferences(pod);
  if (refs.some((r) => r.startsWith('secret/'))) return `${node} can not create pods that reference secrets`;
  if (refs.some((r) => r.startsWith('configmap/'))) return `${node} can not create pods that reference configmaps`;
  if ((spec.volumes ?? []).some((v) => v.persistentVolumeClaim)) return `${node} can not create pods that reference persistentvolumeclaims`;
  if (refs.some((r) => r.startsWith('resourceclaim/'))) return `${node} can not create pods that reference resourceclaims`;
  return '';
}

/** What a PVC status update changes besides status.capacity, status.conditions and the allocation fields. */
export function pvcStatusDiff(before: KubeObject | undefined, after: KubeObject | undefined): string[] {
  const strip = (o: KubeObject | undefined): Record<string, unknown> => {
    const c = cloneJson(o ?? { metadata: {} }) as KubeObject;
    delete c.metadata.resourceVersion;
    delete c.metadata.managedFields;
    const status = c['status'] as Record<string, unknown> | undefined;
    if (status) for (const f of ['capacity', 'conditions', 'allocatedResources', 'allocatedResourceStatuses']) delete status[f];
    return c;
  };
  const a = strip(before);
  const b = strip(after);
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => !jsonEqual(a[k], b[k])).sort();
}
