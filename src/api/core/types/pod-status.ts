/** core/v1: PodStatus and its conditions and IPs. */
import { defineTypes, field, int64, list, ref, string, time } from '../../../machinery/schema/dsl.js';
import {
  CONTAINER_EXTENDED_RESOURCE_REQUEST,
  CONTAINER_STATUS,
  HOST_IP,
  POD_CONDITION,
  POD_EXTENDED_RESOURCE_CLAIM_STATUS,
  POD_IP,
  POD_RESOURCE_CLAIM_STATUS,
  POD_STATUS,
} from './pod-names.js';

defineTypes(
  {
    name: POD_STATUS,
    description:
      'PodStatus represents information about the status of a pod. Status may trail the actual state of a system, especially if the node that hosts the pod cannot contact the control plane.',
    fields: {
      observedGeneration: field(
        17,
        int64,
        'If set, this represents the .metadata.generation that the pod status was set based upon. This is an alpha field.',
      ),
      phase: field(
        1,
        string,
        "The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle. The conditions array, the reason and message fields, and the individual container status arrays contain more detail about the pod's status.",
        {
          enum: ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'],
        },
      ),
      conditions: field(
        2,
        list(ref(POD_CONDITION)),
        'Current service state of pod. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-conditions',
        {
          patchStrategy: 'merge',
          patchMergeKey: 'type',
          listType: 'map',
          listMapKeys: ['type'],
        },
      ),
      message: field(3, string, 'A human readable message indicating details about why the pod is in this condition.'),
      reason: field(4, string, "A brief CamelCase message indicating details about why the pod is in this state. e.g. 'Evicted'."),
      nominatedNodeName: field(
        11,
        string,
        'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.',
      ),
      hostIP: field(
        5,
        string,
        'hostIP holds the IP address of the host to which the pod is assigned. Empty if the pod has not started yet.',
      ),
      hostIPs: field(
        16,
        list(ref(HOST_IP)),
        'hostIPs holds the IP addresses allocated to the host. If this field is specified, the first entry must match the hostIP field.',
        {
          patchStrategy: 'merge',
          patchMergeKey: 'ip',
          listType: 'atomic',
        },
      ),
      podIP: field(6, string, 'podIP address allocated to the pod. Routable at least within the cluster.'),
      podIPs: field(
        12,
        list(ref(POD_IP)),
        'podIPs holds the IP addresses allocated to the pod. If this field is specified, the 0th entry must match the podIP field.',
        {
          patchStrategy: 'merge',
          patchMergeKey: 'ip',
          listType: 'map',
          listMapKeys: ['ip'],
        },
      ),
      startTime: field(
        7,
        time,
        'RFC 3339 date and time at which the object was acknowledged by the Kubelet. This is before the Kubelet pulled the container image(s) for the pod.',
      ),
      initContainerStatuses: field(
        10,
        list(ref(CONTAINER_STATUS)),
        'Statuses of init containers in this pod. The most recent successful non-restartable init container will have ready = true, the most recently started container will have startTime set.',
        { listType: 'atomic' },
      ),
      containerStatuses: field(
        8,
        list(ref(CONTAINER_STATUS)),
        'Statuses of containers in this pod. Each container in the pod should have at most one status in this list, and all statuses should be for containers in the pod.',
        { listType: 'atomic' },
      ),
      qosClass: field(
        9,
        string,
        'The Quality of Service (QOS) classification assigned to the pod based on resource requirements See PodQOSClass type for available QOS classes More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/#quality-of-service-classes',
        { enum: ['BestEffort', 'Burstable', 'Guaranteed'] },
      ),
      ephemeralContainerStatuses: field(
        13,
        list(ref(CONTAINER_STATUS)),
        'Statuses for any ephemeral containers that have run in this pod. Each ephemeral container in the pod should have at most one status in this list, and all statuses should be for containers in the pod.',
        { listType: 'atomic' },
      ),
      resize: field(14, string, "Status of resources resize desired for pod's containers. It is empty if no resources resize is pending."),
      resourceClaimStatuses: field(15, list(ref(POD_RESOURCE_CLAIM_STATUS)), 'Status of resource claims.', {
        patchStrategy: 'merge,retainKeys',
        patchMergeKey: 'name',
        listType: 'map',
        listMapKeys: ['name'],
      }),
      extendedResourceClaimStatus: field(18, ref(POD_EXTENDED_RESOURCE_CLAIM_STATUS), 'Status of extended resource claim backed by DRA.'),
    },
  },
  {
    name: POD_CONDITION,
    description: 'PodCondition contains details for the current condition of this pod.',
    required: ['type', 'status'],
    fields: {
      type: field(
        1,
        string,
        'Type is the type of the condition. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-conditions',
      ),
      observedGeneration: field(
        7,
        int64,
        'If set, this represents the .metadata.generation that the pod condition was set based upon. This is an alpha field.',
      ),
      status: field(2, string, 'Status is the status of the condition. Can be True, False, Unknown.'),
      lastProbeTime: field(3, time, 'Last time we probed the condition.'),
      lastTransitionTime: field(4, time, 'Last time the condition transitioned from one status to another.'),
      reason: field(5, string, "Unique, one-word, CamelCase reason for the condition's last transition."),
      message: field(6, string, 'Human-readable message indicating details about last transition.'),
    },
  },
  {
    name: POD_IP,
    description: 'PodIP represents a single IP address allocated to the pod.',
    required: ['ip'],
    fields: {
      ip: field(1, string, 'IP is the IP address assigned to the pod.'),
    },
  },
  {
    name: HOST_IP,
    description: 'HostIP represents a single IP address allocated to the host.',
    required: ['ip'],
    fields: {
      ip: field(1, string, 'IP is the IP address assigned to the host.'),
    },
  },
  {
    name: POD_RESOURCE_CLAIM_STATUS,
    description: 'PodResourceClaimStatus is stored in the PodStatus for each PodResourceClaim which references a ResourceClaimTemplate.',
    required: ['name'],
    fields: {
      name: field(
        1,
        string,
        'Name uniquely identifies this resource claim inside the pod. This must match the name of an entry in pod.spec.resourceClaims, which implies that the string must be a DNS_LABEL.',
      ),
      resourceClaimName: field(
        2,
        string,
        'ResourceClaimName is the name of the ResourceClaim that was generated for the Pod in the namespace of the Pod.',
      ),
    },
  },
  {
    name: POD_EXTENDED_RESOURCE_CLAIM_STATUS,
    description:
      'PodExtendedResourceClaimStatus is stored in the PodStatus for the extended resource requests backed by DRA. It stores the generated name for the corresponding special ResourceClaim created by the scheduler.',
    required: ['requestMappings', 'resourceClaimName'],
    fields: {
      requestMappings: field(
        1,
        list(ref(CONTAINER_EXTENDED_RESOURCE_REQUEST)),
        'RequestMappings identifies the mapping of <container, extended resource backed by DRA> to device request in the generated ResourceClaim.',
        { listType: 'atomic' },
      ),
      resourceClaimName: field(
        2,
        string,
        'ResourceClaimName is the name of the ResourceClaim that was generated for the Pod in the namespace of the Pod.',
      ),
    },
  },
  {
    name: CONTAINER_EXTENDED_RESOURCE_REQUEST,
    description: 'ContainerExtendedResourceRequest has the mapping of container name, extended resource name to the device request name.',
    required: ['containerName', 'resourceName', 'requestName'],
    fields: {
      containerName: field(1, string, 'The name of the container requesting resources.'),
      resourceName: field(2, string, 'The name of the extended resource in that container which gets backed by DRA.'),
      requestName: field(3, string, 'The name of the request in the special ResourceClaim which corresponds to the extended resource.'),
    },
  },
);
