/** networking.k8s.io/v1 types (k8s.io/api/networking/v1); field numbers from upstream's generated.proto. */
import {
  defineTypes,
  field,
  int32,
  intOrString,
  LABEL_SELECTOR,
  list,
  LIST_META,
  OBJECT_META,
  ref,
  string,
} from '../../machinery/schema/dsl.js';
import { CORE_V1 } from '../core/types/pod-names.js';
import type { FieldDef } from '../../machinery/schema/dsl.js';
import { embed } from '../core/types/pod-embedding.js';

/** Definition-name prefix of this group version. */
export const NETWORKING_V1 = 'io.k8s.api.networking.v1';

export const INGRESS = `${NETWORKING_V1}.Ingress`;
export const INGRESS_LIST = `${NETWORKING_V1}.IngressList`;
export const INGRESS_CLASS = `${NETWORKING_V1}.IngressClass`;
export const INGRESS_CLASS_LIST = `${NETWORKING_V1}.IngressClassList`;
export const NETWORK_POLICY = `${NETWORKING_V1}.NetworkPolicy`;
export const NETWORK_POLICY_LIST = `${NETWORKING_V1}.NetworkPolicyList`;
export const INGRESS_RULE = `${NETWORKING_V1}.IngressRule`;
export const INGRESS_RULE_VALUE = `${NETWORKING_V1}.IngressRuleValue`;

/** The fields of IngressRuleValue, inlined (JSON) into IngressRule. */
const ingressRuleValueFields: Readonly<Record<string, FieldDef>> = {
  http: field(1, ref(`${NETWORKING_V1}.HTTPIngressRuleValue`)),
};

defineTypes(
  {
    name: `${NETWORKING_V1}.Ingress`,
    description:
      'Ingress is a collection of rules that allow inbound connections to reach the endpoints defined by a backend. An Ingress can be configured to give services externally-reachable urls, load balance traffic, terminate SSL, offer name based virtual hosting etc.',
    gvk: { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      spec: field(2, ref(`${NETWORKING_V1}.IngressSpec`), 'spec is the desired state of the Ingress.'),
      status: field(3, ref(`${NETWORKING_V1}.IngressStatus`), 'status is the current state of the Ingress.'),
    },
  },
  {
    name: `${NETWORKING_V1}.IngressList`,
    description: 'IngressList is a collection of Ingress.',
    gvk: { group: 'networking.k8s.io', version: 'v1', kind: 'IngressList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), "Standard object's metadata."),
      items: field(2, list(ref(`${NETWORKING_V1}.Ingress`)), 'items is the list of Ingress.'),
    },
  },
  {
    name: `${NETWORKING_V1}.IngressClass`,
    description:
      'IngressClass represents the class of the Ingress, referenced by the Ingress Spec. The `ingressclass.kubernetes.io/is-default-class` annotation can be used to indicate that an IngressClass should be considered default.',
    gvk: { group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      spec: field(2, ref(`${NETWORKING_V1}.IngressClassSpec`), 'spec is the desired state of the IngressClass.'),
    },
  },
  {
    name: `${NETWORKING_V1}.IngressClassList`,
    description: 'IngressClassList is a collection of IngressClasses.',
    gvk: { group: 'networking.k8s.io', version: 'v1', kind: 'IngressClassList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), 'Standard list metadata.'),
      items: field(2, list(ref(`${NETWORKING_V1}.IngressClass`)), 'items is the list of IngressClasses.'),
    },
  },
  {
    name: `${NETWORKING_V1}.NetworkPolicy`,
    description: 'NetworkPolicy describes what network traffic is allowed for a set of Pods',
    gvk: { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      spec: field(
        2,
        ref(`${NETWORKING_V1}.NetworkPolicySpec`),
        'spec represents the specification of the desired behavior for this NetworkPolicy.',
      ),
    },
  },
  {
    name: `${NETWORKING_V1}.NetworkPolicyList`,
    description: 'NetworkPolicyList is a list of NetworkPolicy objects.',
    gvk: { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicyList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), 'Standard list metadata.'),
      items: field(2, list(ref(`${NETWORKING_V1}.NetworkPolicy`)), 'items is a list of schema objects.'),
    },
  },
  {
    name: `${NETWORKING_V1}.IngressSpec`,
    description: 'IngressSpec describes the Ingress the user wishes to exist.',
    fields: {
      ingressClassName: field(
        4,
        string,
        'ingressClassName is the name of an IngressClass cluster resource. Ingress controller implementations use this field to know whether they should be serving this Ingress resource, by a transitive connection (controller -> IngressClass -> Ingress resource).',
      ),
      defaultBackend: field(
        1,
        ref(`${NETWORKING_V1}.IngressBackend`),
        "defaultBackend is the backend that should handle requests that don't match any rule. If Rules are not specified, DefaultBackend must be specified.",
      ),
      tls: field(2, list(ref(`${NETWORKING_V1}.IngressTLS`)), 'tls represents the TLS configuration.', { listType: 'atomic' }),
      rules: field(
        3,
        list(ref(`${NETWORKING_V1}.IngressRule`)),
        'rules is a list of host rules used to configure the Ingress. If unspecified, or no rule matches, all traffic is sent to the default backend.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${NETWORKING_V1}.IngressStatus`,
    description: 'IngressStatus describe the current state of the Ingress.',
    fields: {
      loadBalancer: field(
        1,
        ref(`${NETWORKING_V1}.IngressLoadBalancerStatus`),
        'loadBalancer contains the current status of the load-balancer.',
      ),
    },
  },
  {
    name: `${NETWORKING_V1}.IngressClassSpec`,
    description: 'IngressClassSpec provides information about the class of an Ingress.',
    fields: {
      controller: field(
        1,
        string,
        'controller refers to the name of the controller that should handle this class. This allows for different "flavors" that are controlled by the same controller.',
      ),
      parameters: field(
        2,
        ref(`${NETWORKING_V1}.IngressClassParametersReference`),
        'parameters is a link to a custom resource containing additional configuration for the controller. This is optional if the controller does not require extra parameters.',
      ),
    },
  },
  {
    name: `${NETWORKING_V1}.NetworkPolicySpec`,
    description: 'NetworkPolicySpec provides the specification of a NetworkPolicy',
    required: ['podSelector'],
    fields: {
      podSelector: field(
        1,
        ref(LABEL_SELECTOR),
        'podSelector selects the pods to which this NetworkPolicy object applies. The array of ingress rules is applied to any pods selected by this field.',
      ),
      ingress: field(
        2,
        list(ref(`${NETWORKING_V1}.NetworkPolicyIngressRule`)),
        'ingress is a list of ingress rules to be applied to the selected pods.',
        { listType: 'atomic' },
      ),
      egress: field(
        3,
        list(ref(`${NETWORKING_V1}.NetworkPolicyEgressRule`)),
        'egress is a list of egress rules to be applied to the selected pods.',
        { listType: 'atomic' },
      ),
      policyTypes: field(
        4,
        list(string),
        'policyTypes is a list of rule types that the NetworkPolicy relates to. Valid options are ["Ingress"], ["Egress"], or ["Ingress", "Egress"].',
        { listType: 'atomic', enum: ['Ingress', 'Egress'] },
      ),
    },
  },
  {
    name: `${NETWORKING_V1}.IngressBackend`,
    description: 'IngressBackend describes all endpoints for a given service and port.',
    fields: {
      service: field(
        4,
        ref(`${NETWORKING_V1}.IngressServiceBackend`),
        'service references a service as a backend. This is a mutually exclusive setting with "Resource".',
      ),
      resource: field(
        3,
        ref(`${CORE_V1}.TypedLocalObjectReference`),
        'resource is an ObjectRef to another Kubernetes resource in the namespace of the Ingress object. If resource is specified, a service.Name and service.Port must not be specified.',
      ),
    },
  },
  {
    name: `${NETWORKING_V1}.IngressTLS`,
    description: 'IngressTLS describes the transport layer security associated with an ingress.',
    fields: {
      hosts: field(
        1,
        list(string),
        'hosts is a list of hosts included in the TLS certificate. The values in this list must match the name/s used in the tlsSecret.',
        { listType: 'atomic' },
      ),
      secretName: field(
        2,
        string,
        'secretName is the name of the secret used to terminate TLS traffic on port 443. Field is left optional to allow TLS routing based on SNI hostname alone.',
      ),
    },
  },
  {
    name: `${NETWORKING_V1}.IngressRule`,
    description:
      'IngressRule represents the rules mapping the paths under a specified host to the related backend services. Incoming requests are first evaluated for a host match, then routed to the backend associated with the matching IngressRuleValue.',
    fields: {
      host: field(
        1,
        string,
        'host is the fully qualified domain name of a network host, as defined by RFC 3986. Note the following deviations from the "host" part of the URI as defined in RFC 3986: 1. IPs are not allowed.',
      ),
      // IngressRuleValue is embedded (json:",inline"): its fields sit in IngressRule's JSON, its message at proto 2.
      ...embed(INGRESS_RULE, 2, INGRESS_RULE_VALUE, ingressRuleValueFields),
    },
  },
  {
    name: `${NETWORKING_V1}.IngressLoadBalancerStatus`,
    description: 'IngressLoadBalancerStatus represents the status of a load-balancer.',
    fields: {
      ingress: field(
        1,
        list(ref(`${NETWORKING_V1}.IngressLoadBalancerIngress`)),
        'ingress is a list containing ingress points for the load-balancer.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${NETWORKING_V1}.IngressClassParametersReference`,
    description:
      'IngressClassParametersReference identifies an API object. This can be used to specify a cluster or namespace-scoped resource.',
    required: ['kind', 'name'],
    fields: {
      apiGroup: field(
        1,
        string,
        'apiGroup is the group for the resource being referenced. If APIGroup is not specified, the specified Kind must be in the core API group.',
      ),
      kind: field(2, string, 'kind is the type of resource being referenced.'),
      name: field(3, string, 'name is the name of resource being referenced.'),
      scope: field(
        4,
        string,
        'scope represents if this refers to a cluster or namespace scoped resource. This may be set to "Cluster" (default) or "Namespace".',
      ),
      namespace: field(
        5,
        string,
        'namespace is the namespace of the resource being referenced. This field is required when scope is set to "Namespace" and must be unset when scope is set to "Cluster".',
      ),
    },
  },
  {
    name: `${NETWORKING_V1}.NetworkPolicyIngressRule`,
    description:
      "NetworkPolicyIngressRule describes a particular set of traffic that is allowed to the pods matched by a NetworkPolicySpec's podSelector. The traffic must match both ports and from.",
    fields: {
      ports: field(
        1,
        list(ref(`${NETWORKING_V1}.NetworkPolicyPort`)),
        'ports is a list of ports which should be made accessible on the pods selected for this rule. Each item in this list is combined using a logical OR.',
        { listType: 'atomic' },
      ),
      from: field(
        2,
        list(ref(`${NETWORKING_V1}.NetworkPolicyPeer`)),
        'from is a list of sources which should be able to access the pods selected for this rule. Items in this list are combined using a logical OR operation.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${NETWORKING_V1}.NetworkPolicyEgressRule`,
    description:
      "NetworkPolicyEgressRule describes a particular set of traffic that is allowed out of pods matched by a NetworkPolicySpec's podSelector. The traffic must match both ports and to.",
    fields: {
      ports: field(
        1,
        list(ref(`${NETWORKING_V1}.NetworkPolicyPort`)),
        'ports is a list of destination ports for outgoing traffic. Each item in this list is combined using a logical OR.',
        { listType: 'atomic' },
      ),
      to: field(
        2,
        list(ref(`${NETWORKING_V1}.NetworkPolicyPeer`)),
        'to is a list of destinations for outgoing traffic of pods selected for this rule. Items in this list are combined using a logical OR operation.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${NETWORKING_V1}.IngressServiceBackend`,
    description: 'IngressServiceBackend references a Kubernetes Service as a Backend.',
    required: ['name'],
    fields: {
      name: field(1, string, 'name is the referenced service. The service must exist in the same namespace as the Ingress object.'),
      port: field(
        2,
        ref(`${NETWORKING_V1}.ServiceBackendPort`),
        'port of the referenced service. A port name or port number is required for a IngressServiceBackend.',
      ),
    },
  },
  {
    name: `${NETWORKING_V1}.IngressRuleValue`,
    description:
      'IngressRuleValue represents a rule to apply against incoming requests. If the rule is satisfied, the request is routed to the specified backend.',
    fields: ingressRuleValueFields,
  },
  {
    name: `${NETWORKING_V1}.IngressLoadBalancerIngress`,
    description: 'IngressLoadBalancerIngress represents the status of a load-balancer ingress point.',
    fields: {
      ip: field(1, string, 'ip is set for load-balancer ingress points that are IP based.'),
      hostname: field(2, string, 'hostname is set for load-balancer ingress points that are DNS based.'),
      ports: field(
        4,
        list(ref(`${NETWORKING_V1}.IngressPortStatus`)),
        'ports provides information about the ports exposed by this LoadBalancer.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${NETWORKING_V1}.NetworkPolicyPort`,
    description: 'NetworkPolicyPort describes a port to allow traffic on',
    fields: {
      protocol: field(
        1,
        string,
        'protocol represents the protocol (TCP, UDP, or SCTP) which traffic must match. If not specified, this field defaults to TCP.',
        { enum: ['TCP', 'UDP', 'SCTP'] },
      ),
      port: field(2, intOrString, 'port represents the port on the given protocol. This can either be a numerical or named port on a pod.'),
      endPort: field(
        3,
        int32,
        'endPort indicates that the range of ports from port to endPort if set, inclusive, should be allowed by the policy. This field cannot be defined if the port field is not defined or if the port field is defined as a named (string) port.',
      ),
    },
  },
  {
    name: `${NETWORKING_V1}.NetworkPolicyPeer`,
    description: 'NetworkPolicyPeer describes a peer to allow traffic to/from. Only certain combinations of fields are allowed',
    fields: {
      podSelector: field(
        1,
        ref(LABEL_SELECTOR),
        'podSelector is a label selector which selects pods. This field follows standard label selector semantics; if present but empty, it selects all pods.',
      ),
      namespaceSelector: field(
        2,
        ref(LABEL_SELECTOR),
        'namespaceSelector selects namespaces using cluster-scoped labels. This field follows standard label selector semantics; if present but empty, it selects all namespaces.',
      ),
      ipBlock: field(
        3,
        ref(`${NETWORKING_V1}.IPBlock`),
        'ipBlock defines policy on a particular IPBlock. If this field is set then neither of the other fields can be.',
      ),
    },
  },
  {
    name: `${NETWORKING_V1}.ServiceBackendPort`,
    description: 'ServiceBackendPort is the service port being referenced.',
    atomic: true,
    fields: {
      name: field(1, string, 'name is the name of the port on the Service. This is a mutually exclusive setting with "Number".'),
      number: field(
        2,
        int32,
        'number is the numerical port number (e.g. 80) on the Service. This is a mutually exclusive setting with "Name".',
      ),
    },
  },
  {
    name: `${NETWORKING_V1}.HTTPIngressRuleValue`,
    description: 'HTTPIngressRuleValue is a list of http selectors pointing to backends.',
    required: ['paths'],
    fields: {
      paths: field(1, list(ref(`${NETWORKING_V1}.HTTPIngressPath`)), 'paths is a collection of paths that map requests to backends.', {
        listType: 'atomic',
      }),
    },
  },
  {
    name: `${NETWORKING_V1}.IngressPortStatus`,
    description: 'IngressPortStatus represents the error condition of a service port',
    required: ['port', 'protocol'],
    fields: {
      port: field(1, int32, 'port is the port number of the ingress port.'),
      protocol: field(2, string, 'protocol is the protocol of the ingress port. The supported values are: "TCP", "UDP", "SCTP"', {
        enum: ['TCP', 'UDP', 'SCTP'],
      }),
      error: field(
        3,
        string,
        'error is to record the problem with the service port The format of the error shall comply with the following rules: - built-in error values shall be specified in this file and those shall use CamelCase names - cloud provider specific error values must have names that comply with the format foo.example.com/CamelCase.',
      ),
    },
  },
  {
    name: `${NETWORKING_V1}.IPBlock`,
    description:
      'IPBlock describes a particular CIDR (Ex. "192.168.1.0/24","2001:db8::/64") that is allowed to the pods matched by a NetworkPolicySpec\'s podSelector.',
    required: ['cidr'],
    fields: {
      cidr: field(1, string, 'cidr is a string representing the IPBlock Valid examples are "192.168.1.0/24" or "2001:db8::/64"'),
      except: field(
        2,
        list(string),
        'except is a slice of CIDRs that should not be included within an IPBlock Valid examples are "192.168.1.0/24" or "2001:db8::/64" Except values will be rejected if they are outside the cidr range',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${NETWORKING_V1}.HTTPIngressPath`,
    description: 'HTTPIngressPath associates a path with a backend. Incoming urls matching the path are forwarded to the backend.',
    required: ['pathType', 'backend'],
    fields: {
      path: field(1, string, 'path is matched against the path of an incoming request.'),
      pathType: field(
        3,
        string,
        "pathType determines the interpretation of the path matching. PathType can be one of the following values: * Exact: Matches the URL path exactly. * Prefix: Matches based on a URL path prefix split by '/'.",
      ),
      backend: field(
        2,
        ref(`${NETWORKING_V1}.IngressBackend`),
        'backend defines the referenced service endpoint to which the traffic will be forwarded to.',
      ),
    },
  },
);
