/** Service: a stable virtual IP and ports in front of a set of pods (core/v1). */
import {
  boolean,
  CONDITION,
  defineTypes,
  field,
  int32,
  intOrString,
  list,
  map,
  OBJECT_META,
  ref,
  string,
} from '../../../machinery/schema/dsl.js';
import { CORE } from './names.js';

defineTypes(
  {
    name: `${CORE}.Service`,
    description:
      'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
    gvk: { group: '', version: 'v1', kind: 'Service' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      spec: field(2, ref(`${CORE}.ServiceSpec`), 'Spec defines the behavior of a service.'),
      status: field(3, ref(`${CORE}.ServiceStatus`), 'Most recently observed status of the service. Populated by the system.'),
    },
  },
  {
    name: `${CORE}.ServiceSpec`,
    description: 'ServiceSpec describes the attributes that a user creates on a service.',
    fields: {
      ports: field(1, list(ref(`${CORE}.ServicePort`)), 'The list of ports that are exposed by this service.', {
        patchStrategy: 'merge',
        patchMergeKey: 'port',
        listType: 'map',
        listMapKeys: ['port', 'protocol'],
      }),
      selector: field(
        2,
        map(string),
        'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify.',
        { mapType: 'atomic' },
      ),
      clusterIP: field(
        3,
        string,
        'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail.',
      ),
      clusterIPs: field(
        18,
        list(string),
        'ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail.',
        { listType: 'atomic' },
      ),
      type: field(4, string, 'type determines how the Service is exposed. Defaults to ClusterIP.', {
        enum: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
      }),
      externalIPs: field(
        5,
        list(string),
        'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service. These IPs are not managed by Kubernetes.',
        { listType: 'atomic' },
      ),
      sessionAffinity: field(7, string, 'Supports "ClientIP" and "None". Used to maintain session affinity.', {
        enum: ['ClientIP', 'None'],
      }),
      loadBalancerIP: field(
        8,
        string,
        'Only applies to Service Type: LoadBalancer. This feature depends on whether the underlying cloud-provider supports specifying the loadBalancerIP when a load balancer is created.',
      ),
      loadBalancerSourceRanges: field(
        9,
        list(string),
        'If specified and supported by the platform, this will restrict traffic through the cloud-provider load-balancer will be restricted to the specified client IPs. This field will be ignored if the cloud-provider does not support the feature."',
        { listType: 'atomic' },
      ),
      externalName: field(
        10,
        string,
        'externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record). No proxying will be involved.',
      ),
      externalTrafficPolicy: field(
        11,
        string,
        'externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service\'s "externally-facing" addresses (NodePorts, ExternalIPs, and LoadBalancer IPs). If set to "Local", the proxy will configure the service in a way that assumes that external load balancers will take care of balancing the service traffic between nodes, and so each node will deliver traffic only to the node-local endpoints of the service, without masquerading the client source IP.',
        { enum: ['Cluster', 'Local'] },
      ),
      healthCheckNodePort: field(
        12,
        int32,
        'healthCheckNodePort specifies the healthcheck nodePort for the service. This only applies when type is set to LoadBalancer and externalTrafficPolicy is set to Local.',
      ),
      publishNotReadyAddresses: field(
        13,
        boolean,
        "publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready. The primary use case for setting this field is for a StatefulSet's Headless Service to propagate SRV DNS records for its Pods for the purpose of peer discovery.",
      ),
      sessionAffinityConfig: field(
        14,
        ref(`${CORE}.SessionAffinityConfig`),
        'sessionAffinityConfig contains the configurations of session affinity.',
      ),
      ipFamilies: field(
        19,
        list(string),
        'IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service. This field is usually assigned automatically based on cluster configuration and the ipFamilyPolicy field.',
        { listType: 'atomic', enum: ['IPv4', 'IPv6', ''] },
      ),
      ipFamilyPolicy: field(
        17,
        string,
        'IPFamilyPolicy represents the dual-stack-ness requested or required by this Service. If there is no value provided, then this field will be set to SingleStack.',
        { enum: ['SingleStack', 'PreferDualStack', 'RequireDualStack'] },
      ),
      allocateLoadBalancerNodePorts: field(
        20,
        boolean,
        'allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer. Default is "true".',
      ),
      loadBalancerClass: field(
        21,
        string,
        'loadBalancerClass is the class of the load balancer implementation this Service belongs to. If specified, the value of this field must be a label-style identifier, with an optional prefix, e.g. "internal-vip" or "example.com/internal-vip".',
      ),
      internalTrafficPolicy: field(
        22,
        string,
        'InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP. If set to "Local", the proxy will assume that pods only want to talk to endpoints of the service on the same node as the pod, dropping the traffic if there are no local endpoints.',
        { enum: ['Cluster', 'Local'] },
      ),
      trafficDistribution: field(
        23,
        string,
        'TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints. Implementations can use this field as a hint, but are not required to guarantee strict adherence.',
      ),
    },
  },
  {
    name: `${CORE}.ServicePort`,
    description: "ServicePort contains information on service's port.",
    required: ['port'],
    fields: {
      name: field(1, string, 'The name of this port within the service. This must be a DNS_LABEL.'),
      protocol: field(2, string, 'The IP protocol for this port. Supports "TCP", "UDP", and "SCTP".', {
        default: 'TCP',
        enum: ['TCP', 'UDP', 'SCTP'],
      }),
      appProtocol: field(
        6,
        string,
        'The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand.',
      ),
      port: field(3, int32, 'The port that will be exposed by this service.'),
      targetPort: field(
        4,
        intOrString,
        'Number or name of the port to access on the pods targeted by the service. Number must be in the range 1 to 65535.',
      ),
      nodePort: field(
        5,
        int32,
        'The port on each node on which this service is exposed when type is NodePort or LoadBalancer. Usually assigned by the system.',
      ),
    },
  },
  {
    name: `${CORE}.SessionAffinityConfig`,
    description: 'SessionAffinityConfig represents the configurations of session affinity.',
    fields: {
      clientIP: field(1, ref(`${CORE}.ClientIPConfig`), 'clientIP contains the configurations of Client IP based session affinity.'),
    },
  },
  {
    name: `${CORE}.ClientIPConfig`,
    description: 'ClientIPConfig represents the configurations of Client IP based session affinity.',
    fields: {
      timeoutSeconds: field(
        1,
        int32,
        'timeoutSeconds specifies the seconds of ClientIP type session sticky time. The value must be >0 && <=86400(for 1 day) if ServiceAffinity == "ClientIP".',
      ),
    },
  },
  {
    name: `${CORE}.ServiceStatus`,
    description: 'ServiceStatus represents the current status of a service.',
    fields: {
      loadBalancer: field(
        1,
        ref(`${CORE}.LoadBalancerStatus`),
        'LoadBalancer contains the current status of the load-balancer, if one is present.',
      ),
      conditions: field(2, list(ref(CONDITION)), 'Current service state', {
        patchStrategy: 'merge',
        patchMergeKey: 'type',
        listType: 'map',
        listMapKeys: ['type'],
      }),
    },
  },
  {
    name: `${CORE}.LoadBalancerStatus`,
    description: 'LoadBalancerStatus represents the status of a load-balancer.',
    fields: {
      ingress: field(
        1,
        list(ref(`${CORE}.LoadBalancerIngress`)),
        'Ingress is a list containing ingress points for the load-balancer. Traffic intended for the service should be sent to these ingress points.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${CORE}.LoadBalancerIngress`,
    description:
      'LoadBalancerIngress represents the status of a load-balancer ingress point: traffic intended for the service should be sent to an ingress point.',
    fields: {
      ip: field(1, string, 'IP is set for load-balancer ingress points that are IP based (typically GCE or OpenStack load-balancers)'),
      hostname: field(2, string, 'Hostname is set for load-balancer ingress points that are DNS based (typically AWS load-balancers)'),
      ipMode: field(
        3,
        string,
        'IPMode specifies how the load-balancer IP behaves, and may only be specified when the ip field is specified. Setting this to "VIP" indicates that traffic is delivered to the node with the destination set to the load-balancer\'s IP and port.',
      ),
      ports: field(
        4,
        list(ref(`${CORE}.PortStatus`)),
        'Ports is a list of records of service ports If used, every port defined in the service should have an entry in it',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${CORE}.PortStatus`,
    description: 'PortStatus represents the error condition of a service port',
    required: ['port', 'protocol'],
    fields: {
      port: field(1, int32, 'Port is the port number of the service port of which status is recorded here'),
      protocol: field(
        2,
        string,
        'Protocol is the protocol of the service port of which status is recorded here The supported values are: "TCP", "UDP", "SCTP"',
        { enum: ['TCP', 'UDP', 'SCTP'] },
      ),
      error: field(
        3,
        string,
        'Error is to record the problem with the service port The format of the error shall comply with the following rules: - built-in error values shall be specified in this file and those shall use CamelCase names - cloud provider specific error values must have names that comply with the format foo.example.com/CamelCase.',
      ),
    },
  },
);
