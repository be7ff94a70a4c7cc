/** core/v1: Small PodSpec members: host aliases, DNS config, readiness and scheduling gates, OS, resource claims, tolerations, topology spread. */
import { LABEL_SELECTOR, defineTypes, field, int32, int64, list, ref, string } from '../../../machinery/schema/dsl.js';
import {
  HOST_ALIAS,
  POD_DNS_CONFIG,
  POD_DNS_CONFIG_OPTION,
  POD_OS,
  POD_READINESS_GATE,
  POD_RESOURCE_CLAIM,
  POD_SCHEDULING_GATE,
  TOLERATION,
  TOPOLOGY_SPREAD_CONSTRAINT,
} from './pod-names.js';

defineTypes(
  {
    name: HOST_ALIAS,
    description: "HostAlias holds the mapping between IP and hostnames that will be injected as an entry in the pod's hosts file.",
    required: ['ip'],
    fields: {
      ip: field(1, string, 'IP address of the host file entry.'),
      hostnames: field(2, list(string), 'Hostnames for the above IP address.', { listType: 'atomic' }),
    },
  },
  {
    name: POD_DNS_CONFIG,
    description: 'PodDNSConfig defines the DNS parameters of a pod in addition to those generated from DNSPolicy.',
    fields: {
      nameservers: field(
        1,
        list(string),
        'A list of DNS name server IP addresses. This will be appended to the base nameservers generated from DNSPolicy.',
        { listType: 'atomic' },
      ),
      searches: field(
        2,
        list(string),
        'A list of DNS search domains for host-name lookup. This will be appended to the base search paths generated from DNSPolicy.',
        { listType: 'atomic' },
      ),
      options: field(
        3,
        list(ref(POD_DNS_CONFIG_OPTION)),
        'A list of DNS resolver options. This will be merged with the base options generated from DNSPolicy.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: POD_DNS_CONFIG_OPTION,
    description: 'PodDNSConfigOption defines DNS resolver options of a pod.',
    fields: {
      name: field(1, string, "Name is this DNS resolver option's name. Required."),
      value: field(2, string, "Value is this DNS resolver option's value."),
    },
  },
  {
    name: POD_READINESS_GATE,
    description: 'PodReadinessGate contains the reference to a pod condition.',
    required: ['conditionType'],
    fields: {
      conditionType: field(1, string, "ConditionType refers to a condition in the pod's condition list with matching type."),
    },
  },
  {
    name: POD_OS,
    description: 'PodOS defines the OS parameters of a pod.',
    required: ['name'],
    fields: {
      name: field(1, string, 'Name is the name of the operating system. The currently supported values are linux and windows.'),
    },
  },
  {
    name: POD_SCHEDULING_GATE,
    description: 'PodSchedulingGate is associated to a Pod to guard its scheduling.',
    required: ['name'],
    fields: {
      name: field(1, string, 'Name of the scheduling gate. Each scheduling gate must have a unique name field.'),
    },
  },
  {
    name: POD_RESOURCE_CLAIM,
    description:
      'PodResourceClaim references exactly one ResourceClaim, either directly or by naming a ResourceClaimTemplate which is then turned into a ResourceClaim for the pod.',
    required: ['name'],
    fields: {
      name: field(1, string, 'Name uniquely identifies this resource claim inside the pod. This must be a DNS_LABEL.'),
      resourceClaimName: field(3, string, 'ResourceClaimName is the name of a ResourceClaim object in the same namespace as this pod.'),
      resourceClaimTemplateName: field(
        4,
        string,
        'ResourceClaimTemplateName is the name of a ResourceClaimTemplate object in the same namespace as this pod.',
      ),
    },
  },
  {
    name: TOLERATION,
    description:
      'The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> using the matching operator <operator>.',
    fields: {
      key: field(1, string, 'Key is the taint key that the toleration applies to. Empty means match all taint keys.'),
      operator: field(2, string, "Operator represents a key's relationship to the value. Valid operators are Exists and Equal.", {
        enum: ['Equal', 'Exists'],
      }),
      value: field(
        3,
        string,
        'Value is the taint value the toleration matches to. If the operator is Exists, the value should be empty, otherwise just a regular string.',
      ),
      effect: field(4, string, 'Effect indicates the taint effect to match. Empty means match all taint effects.', {
        enum: ['NoExecute', 'NoSchedule', 'PreferNoSchedule'],
      }),
      tolerationSeconds: field(
        5,
        int64,
        'TolerationSeconds represents the period of time the toleration (which must be of effect NoExecute, otherwise this field is ignored) tolerates the taint.',
      ),
    },
  },
  {
    name: TOPOLOGY_SPREAD_CONSTRAINT,
    description: 'TopologySpreadConstraint specifies how to spread matching pods among the given topology.',
    required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'],
    fields: {
      maxSkew: field(
        1,
        int32,
        'MaxSkew describes the degree to which pods may be unevenly distributed. When `whenUnsatisfiable=DoNotSchedule`, it is the maximum permitted difference between the number of matching pods in the target topology and the global minimum.',
      ),
      topologyKey: field(
        2,
        string,
        'TopologyKey is the key of node labels. Nodes that have a label with this key and identical values are considered to be in the same topology.',
      ),
      whenUnsatisfiable: field(
        3,
        string,
        "WhenUnsatisfiable indicates how to deal with a pod if it doesn't satisfy the spread constraint. - DoNotSchedule (default) tells the scheduler not to schedule it. - ScheduleAnyway tells the scheduler to schedule the pod in any location, but giving higher precedence to topologies that would help reduce the skew.",
        { enum: ['DoNotSchedule', 'ScheduleAnyway'] },
      ),
      labelSelector: field(
        4,
        ref(LABEL_SELECTOR),
        'LabelSelector is used to find matching pods. Pods that match this label selector are counted to determine the number of pods in their corresponding topology domain.',
      ),
      minDomains: field(
        5,
        int32,
        'MinDomains indicates a minimum number of eligible domains. When the number of eligible domains with matching topology keys is less than minDomains, Pod Topology Spread treats "global minimum" as 0, and then the calculation of Skew is performed.',
      ),
      nodeAffinityPolicy: field(
        6,
        string,
        "NodeAffinityPolicy indicates how we will treat Pod's nodeAffinity/nodeSelector when calculating pod topology spread skew.",
        { enum: ['Honor', 'Ignore'] },
      ),
      nodeTaintsPolicy: field(
        7,
        string,
        'NodeTaintsPolicy indicates how we will treat node taints when calculating pod topology spread skew. Options are: - Honor: nodes without taints, along with tainted nodes for which the incoming pod has a toleration, are included. - Ignore: node taints are ignored.',
        { enum: ['Honor', 'Ignore'] },
      ),
      matchLabelKeys: field(
        8,
        list(string),
        'MatchLabelKeys is a set of pod label keys to select the pods over which spreading will be calculated.',
        { listType: 'atomic' },
      ),
    },
  },
);
