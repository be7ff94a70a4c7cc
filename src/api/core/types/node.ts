/** Node: a worker machine, its spec and taints (core/v1). Its status is in node-status.ts. */
import { boolean, defineTypes, field, list, OBJECT_META, ref, string, time } from '../../../machinery/schema/dsl.js';
import { CORE } from './names.js';

defineTypes(
  {
    name: `${CORE}.Node`,
    description: 'Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).',
    gvk: { group: '', version: 'v1', kind: 'Node' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      spec: field(2, ref(`${CORE}.NodeSpec`), 'Spec defines the behavior of a node.'),
      status: field(3, ref(`${CORE}.NodeStatus`), 'Most recently observed status of the node. Populated by the system.'),
    },
  },
  {
    name: `${CORE}.NodeSpec`,
    description: 'NodeSpec describes the attributes that a node is created with.',
    fields: {
      podCIDR: field(1, string, 'PodCIDR represents the pod IP range assigned to the node.'),
      podCIDRs: field(
        7,
        list(string),
        'podCIDRs represents the IP ranges assigned to the node for usage by Pods on that node. If this field is specified, the 0th entry must match the podCIDR field.',
        { patchStrategy: 'merge', listType: 'set' },
      ),
      providerID: field(
        3,
        string,
        'ID of the node assigned by the cloud provider in the format: <ProviderName>://<ProviderSpecificNodeID>',
      ),
      unschedulable: field(4, boolean, 'Unschedulable controls node schedulability of new pods. By default, node is schedulable.'),
      taints: field(5, list(ref(`${CORE}.Taint`)), "If specified, the node's taints.", { listType: 'atomic' }),
      configSource: field(
        6,
        ref(`${CORE}.NodeConfigSource`),
        "Deprecated: Previously used to specify the source of the node's configuration for the DynamicKubeletConfig feature. This feature is removed.",
      ),
      externalID: field(2, string, 'Deprecated. Not all kubelets will set this field.'),
    },
  },
  {
    name: `${CORE}.Taint`,
    description: 'The node this Taint is attached to has the "effect" on any pod that does not tolerate the Taint.',
    required: ['key', 'effect'],
    fields: {
      key: field(1, string, 'Required. The taint key to be applied to a node.'),
      value: field(2, string, 'The taint value corresponding to the taint key.'),
      effect: field(3, string, 'Required. The effect of the taint on pods that do not tolerate the taint.', {
        enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'],
      }),
      timeAdded: field(4, time, 'TimeAdded represents the time at which the taint was added. It is only written for NoExecute taints.'),
    },
  },
  {
    name: `${CORE}.NodeConfigSource`,
    description: 'NodeConfigSource specifies a source of node configuration. Exactly one subfield (excluding metadata) must be non-nil.',
    fields: {
      configMap: field(2, ref(`${CORE}.ConfigMapNodeConfigSource`), "ConfigMap is a reference to a Node's ConfigMap"),
    },
  },
  {
    name: `${CORE}.ConfigMapNodeConfigSource`,
    description:
      'ConfigMapNodeConfigSource contains the information to reference a ConfigMap as a config source for the Node. This API is deprecated since 1.22:',
    required: ['namespace', 'name', 'kubeletConfigKey'],
    fields: {
      namespace: field(1, string, 'Namespace is the metadata.namespace of the referenced ConfigMap. This field is required in all cases.'),
      name: field(2, string, 'Name is the metadata.name of the referenced ConfigMap. This field is required in all cases.'),
      uid: field(
        3,
        string,
        'UID is the metadata.UID of the referenced ConfigMap. This field is forbidden in Node.Spec, and required in Node.Status.',
      ),
      resourceVersion: field(
        4,
        string,
        'ResourceVersion is the metadata.ResourceVersion of the referenced ConfigMap. This field is forbidden in Node.Spec, and required in Node.Status.',
      ),
      kubeletConfigKey: field(
        5,
        string,
        'KubeletConfigKey declares which key of the referenced ConfigMap corresponds to the KubeletConfiguration structure This field is required in all cases.',
      ),
    },
  },
);
