/** core/v1: PodSpec: the desired state of a pod. */
import { boolean, defineTypes, field, int32, int64, list, map, quantity, ref, string } from '../../../machinery/schema/dsl.js';
import {
  AFFINITY,
  CONTAINER,
  EPHEMERAL_CONTAINER,
  HOST_ALIAS,
  LOCAL_OBJECT_REFERENCE,
  POD_DNS_CONFIG,
  POD_OS,
  POD_READINESS_GATE,
  POD_RESOURCE_CLAIM,
  POD_SCHEDULING_GATE,
  POD_SECURITY_CONTEXT,
  POD_SPEC,
  RESOURCE_REQUIREMENTS,
  TOLERATION,
  TOPOLOGY_SPREAD_CONSTRAINT,
  VOLUME,
} from './pod-names.js';

defineTypes({
  name: POD_SPEC,
  description: 'PodSpec is a description of a pod.',
  required: ['containers'],
  fields: {
    volumes: field(
      1,
      list(ref(VOLUME)),
      'List of volumes that can be mounted by containers belonging to the pod. More info: https://kubernetes.io/docs/concepts/storage/volumes',
      {
        patchStrategy: 'merge,retainKeys',
        patchMergeKey: 'name',
        listType: 'map',
        listMapKeys: ['name'],
      },
    ),
    initContainers: field(
      20,
      list(ref(CONTAINER)),
      'List of initialization containers belonging to the pod. Init containers are executed in order prior to containers being started.',
      {
        patchStrategy: 'merge',
        patchMergeKey: 'name',
        listType: 'map',
        listMapKeys: ['name'],
      },
    ),
    containers: field(
      2,
      list(ref(CONTAINER)),
      'List of containers belonging to the pod. Containers cannot currently be added or removed.',
      {
        patchStrategy: 'merge',
        patchMergeKey: 'name',
        listType: 'map',
        listMapKeys: ['name'],
      },
    ),
    ephemeralContainers: field(
      34,
      list(ref(EPHEMERAL_CONTAINER)),
      'List of ephemeral containers run in this pod. Ephemeral containers may be run in an existing pod to perform user-initiated actions such as debugging.',
      {
        patchStrategy: 'merge',
        patchMergeKey: 'name',
        listType: 'map',
        listMapKeys: ['name'],
      },
    ),
    restartPolicy: field(3, string, 'Restart policy for all containers within the pod. One of Always, OnFailure, Never.', {
      enum: ['Always', 'Never', 'OnFailure'],
    }),
    terminationGracePeriodSeconds: field(
      4,
      int64,
      'Optional duration in seconds the pod needs to terminate gracefully. May be decreased in delete request.',
    ),
    activeDeadlineSeconds: field(
      5,
      int64,
      'Optional duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers.',
    ),
    dnsPolicy: field(6, string, 'Set DNS policy for the pod. Defaults to "ClusterFirst".', {
      enum: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
    }),
    nodeSelector: field(
      7,
      map(string),
      "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node.",
      { mapType: 'atomic' },
    ),
    serviceAccountName: field(
      8,
      string,
      'ServiceAccountName is the name of the ServiceAccount to use to run this pod. More info: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/',
    ),
    serviceAccount: field(
      9,
      string,
      'DeprecatedServiceAccount is a deprecated alias for ServiceAccountName. Deprecated: Use serviceAccountName instead.',
    ),
    automountServiceAccountToken: field(
      21,
      boolean,
      'AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.',
    ),
    nodeName: field(
      10,
      string,
      'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.',
    ),
    hostNetwork: field(11, boolean, "Host networking requested for this pod. Use the host's network namespace."),
    hostPID: field(12, boolean, "Use the host's pid namespace. Optional: Default to false."),
    hostIPC: field(13, boolean, "Use the host's ipc namespace. Optional: Default to false."),
    shareProcessNamespace: field(
      27,
      boolean,
      'Share a single process namespace between all of the containers in a pod. When this is set containers will be able to view and signal processes from other containers in the same pod, and the first process in each container will not be assigned PID 1.',
    ),
    securityContext: field(
      14,
      ref(POD_SECURITY_CONTEXT),
      'SecurityContext holds pod-level security attributes and common container settings. Optional: Defaults to empty.',
    ),
    imagePullSecrets: field(
      15,
      list(ref(LOCAL_OBJECT_REFERENCE)),
      'ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec.',
      {
        patchStrategy: 'merge',
        patchMergeKey: 'name',
        listType: 'map',
        listMapKeys: ['name'],
      },
    ),
    hostname: field(
      16,
      string,
      "Specifies the hostname of the Pod If not specified, the pod's hostname will be set to a system-defined value.",
    ),
    subdomain: field(
      17,
      string,
      'If specified, the fully qualified Pod hostname will be "<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>".',
    ),
    affinity: field(18, ref(AFFINITY), "If specified, the pod's scheduling constraints."),
    schedulerName: field(
      19,
      string,
      'If specified, the pod will be dispatched by specified scheduler. If not specified, the pod will be dispatched by default scheduler.',
    ),
    tolerations: field(22, list(ref(TOLERATION)), "If specified, the pod's tolerations.", { listType: 'atomic' }),
    hostAliases: field(
      23,
      list(ref(HOST_ALIAS)),
      "HostAliases is an optional list of hosts and IPs that will be injected into the pod's hosts file if specified.",
      {
        patchStrategy: 'merge',
        patchMergeKey: 'ip',
        listType: 'map',
        listMapKeys: ['ip'],
      },
    ),
    priorityClassName: field(
      24,
      string,
      'If specified, indicates the pod\'s priority. "system-node-critical" and "system-cluster-critical" are two special keywords which indicate the highest priorities with the former being the highest priority.',
    ),
    priority: field(25, int32, 'The priority value. Various system components use this field to find the priority of the pod.'),
    dnsConfig: field(
      26,
      ref(POD_DNS_CONFIG),
      'Specifies the DNS parameters of a pod. Parameters specified here will be merged to the generated DNS configuration based on DNSPolicy.',
    ),
    readinessGates: field(
      28,
      list(ref(POD_READINESS_GATE)),
      'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
      { listType: 'atomic' },
    ),
    runtimeClassName: field(
      29,
      string,
      'RuntimeClassName refers to a RuntimeClass object in the node.k8s.io group, which should be used to run this pod.',
    ),
    enableServiceLinks: field(
      30,
      boolean,
      "EnableServiceLinks indicates whether information about services should be injected into pod's environment variables, matching the syntax of Docker links.",
    ),
    preemptionPolicy: field(
      31,
      string,
      'PreemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority.',
      { enum: ['Never', 'PreemptLowerPriority'] },
    ),
    overhead: field(
      32,
      map(quantity),
      'Overhead represents the resource overhead associated with running a pod for a given RuntimeClass. This field will be autopopulated at admission time by the RuntimeClass admission controller.',
    ),
    topologySpreadConstraints: field(
      33,
      list(ref(TOPOLOGY_SPREAD_CONSTRAINT)),
      'TopologySpreadConstraints describes how a group of pods ought to spread across topology domains. Scheduler will schedule pods in a way which abides by the constraints.',
      {
        patchStrategy: 'merge',
        patchMergeKey: 'topologyKey',
        listType: 'map',
        listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
      },
    ),
    setHostnameAsFQDN: field(
      35,
      boolean,
      "If true the pod's hostname will be configured as the pod's FQDN, rather than the leaf name (the default).",
    ),
    os: field(
      36,
      ref(POD_OS),
      'Specifies the OS of the containers in the pod. Some pod and container fields are restricted if this is set.',
    ),
    hostUsers: field(37, boolean, "Use the host's user namespace. Optional: Default to true."),
    schedulingGates: field(
      38,
      list(ref(POD_SCHEDULING_GATE)),
      'SchedulingGates is an opaque list of values that if specified will block scheduling the pod. If schedulingGates is not empty, the pod will stay in the SchedulingGated state and the scheduler will not attempt to schedule the pod.',
      {
        patchStrategy: 'merge',
        patchMergeKey: 'name',
        listType: 'map',
        listMapKeys: ['name'],
      },
    ),
    resourceClaims: field(
      39,
      list(ref(POD_RESOURCE_CLAIM)),
      'ResourceClaims defines which ResourceClaims must be allocated and reserved before the Pod is allowed to start.',
      {
        patchStrategy: 'merge,retainKeys',
        patchMergeKey: 'name',
        listType: 'map',
        listMapKeys: ['name'],
      },
    ),
    resources: field(
      40,
      ref(RESOURCE_REQUIREMENTS),
      'Resources is the total amount of CPU and Memory resources required by all containers in the pod. It supports specifying Requests and Limits for "cpu", "memory" and "hugepages-" resource names only.',
    ),
    hostnameOverride: field(
      41,
      string,
      "HostnameOverride specifies an explicit override for the pod's hostname as perceived by the pod. This field only specifies the pod's hostname and does not affect its DNS records.",
    ),
  },
});
