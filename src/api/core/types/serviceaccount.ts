/** ServiceAccount: an identity for processes that run in a pod (core/v1). */
import { boolean, defineTypes, field, list, OBJECT_META, ref } from '../../../machinery/schema/dsl.js';
import { CORE } from './names.js';

defineTypes({
  name: `${CORE}.ServiceAccount`,
  description:
    'ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral systems, for an identity * a principal that can be authenticated and authorized * a set of secrets',
  gvk: { group: '', version: 'v1', kind: 'ServiceAccount' },
  fields: {
    metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
    secrets: field(
      2,
      list(ref(`${CORE}.ObjectReference`)),
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true".',
      { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    ),
    imagePullSecrets: field(
      3,
      list(ref(`${CORE}.LocalObjectReference`)),
      'ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images in pods that reference this ServiceAccount. ImagePullSecrets are distinct from Secrets because Secrets can be mounted in the pod, but ImagePullSecrets are only accessed by the kubelet.',
      { listType: 'atomic' },
    ),
    automountServiceAccountToken: field(
      4,
      boolean,
      'AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted. Can be overridden at the pod level.',
    ),
  },
});
