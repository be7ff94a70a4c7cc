/** discovery.k8s.io/v1 types (k8s.io/api/discovery/v1); field numbers from upstream's generated.proto. */
import { boolean, defineTypes, field, int32, list, LIST_META, map, OBJECT_META, ref, string } from '../../machinery/schema/dsl.js';
import { CORE_V1 } from '../core/types/pod-names.js';

/** Definition-name prefix of this group version. */
export const DISCOVERY_V1 = 'io.k8s.api.discovery.v1';

export const ENDPOINT_SLICE = `${DISCOVERY_V1}.EndpointSlice`;
export const ENDPOINT_SLICE_LIST = `${DISCOVERY_V1}.EndpointSliceList`;

defineTypes(
  {
    name: `${DISCOVERY_V1}.EndpointSlice`,
    description:
      'EndpointSlice represents a set of service endpoints. Most EndpointSlices are created by the EndpointSlice controller to represent the Pods selected by Service objects.',
    gvk: { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' },
    required: ['addressType', 'endpoints'],
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      addressType: field(
        4,
        string,
        'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type.',
      ),
      endpoints: field(
        2,
        list(ref(`${DISCOVERY_V1}.Endpoint`)),
        'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.',
        { listType: 'atomic' },
      ),
      ports: field(
        3,
        list(ref(`${DISCOVERY_V1}.EndpointPort`)),
        'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${DISCOVERY_V1}.EndpointSliceList`,
    description: 'EndpointSliceList represents a list of endpoint slices',
    gvk: { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSliceList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), 'Standard list metadata.'),
      items: field(2, list(ref(`${DISCOVERY_V1}.EndpointSlice`)), 'items is the list of endpoint slices'),
    },
  },
  {
    name: `${DISCOVERY_V1}.Endpoint`,
    description: 'Endpoint represents a single logical "backend" implementing a service.',
    required: ['addresses'],
    fields: {
      addresses: field(
        1,
        list(string),
        'addresses of this endpoint. For EndpointSlices of addressType "IPv4" or "IPv6", the values are IP addresses in canonical form.',
        { listType: 'set' },
      ),
      conditions: field(
        2,
        ref(`${DISCOVERY_V1}.EndpointConditions`),
        'conditions contains information about the current status of the endpoint.',
      ),
      hostname: field(
        3,
        string,
        'hostname of this endpoint. This field may be used by consumers of endpoints to distinguish endpoints from each other (e.g. in DNS names).',
      ),
      targetRef: field(
        4,
        ref(`${CORE_V1}.ObjectReference`),
        'targetRef is a reference to a Kubernetes object that represents this endpoint.',
      ),
      deprecatedTopology: field(
        5,
        map(string),
        'deprecatedTopology contains topology information part of the v1beta1 API. This field is deprecated, and will be removed when the v1beta1 API is removed (no sooner than kubernetes v1.24).',
      ),
      nodeName: field(
        6,
        string,
        'nodeName represents the name of the Node hosting this endpoint. This can be used to determine endpoints local to a Node.',
      ),
      zone: field(7, string, 'zone is the name of the Zone this endpoint exists in.'),
      hints: field(
        8,
        ref(`${DISCOVERY_V1}.EndpointHints`),
        'hints contains information associated with how an endpoint should be consumed.',
      ),
    },
  },
  {
    name: `${DISCOVERY_V1}.EndpointPort`,
    description: 'EndpointPort represents a Port used by an EndpointSlice',
    atomic: true,
    fields: {
      name: field(1, string, 'name represents the name of this port. All ports in an EndpointSlice must have a unique name.'),
      protocol: field(2, string, 'protocol represents the IP protocol for this port. Must be UDP, TCP, or SCTP.', {
        enum: ['TCP', 'UDP', 'SCTP'],
      }),
      port: field(
        3,
        int32,
        "port represents the port number of the endpoint. If the EndpointSlice is derived from a Kubernetes service, this must be set to the service's target port.",
      ),
      appProtocol: field(
        4,
        string,
        'The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand.',
      ),
    },
  },
  {
    name: `${DISCOVERY_V1}.EndpointConditions`,
    description: 'EndpointConditions represents the current condition of an endpoint.',
    fields: {
      ready: field(
        1,
        boolean,
        'ready indicates that this endpoint is ready to receive traffic, according to whatever system is managing the endpoint. A nil value should be interpreted as "true".',
      ),
      serving: field(
        2,
        boolean,
        "serving indicates that this endpoint is able to receive traffic, according to whatever system is managing the endpoint. For endpoints backed by pods, the EndpointSlice controller will mark the endpoint as serving if the pod's Ready condition is True.",
      ),
      terminating: field(
        3,
        boolean,
        'terminating indicates that this endpoint is terminating. A nil value should be interpreted as "false".',
      ),
    },
  },
  {
    name: `${DISCOVERY_V1}.EndpointHints`,
    description: 'EndpointHints provides hints describing how an endpoint should be consumed.',
    fields: {
      forZones: field(
        1,
        list(ref(`${DISCOVERY_V1}.ForZone`)),
        'forZones indicates the zone(s) this endpoint should be consumed by when using topology aware routing. May contain a maximum of 8 entries.',
        { listType: 'atomic' },
      ),
      forNodes: field(
        2,
        list(ref(`${DISCOVERY_V1}.ForNode`)),
        'forNodes indicates the node(s) this endpoint should be consumed by when using topology aware routing. May contain a maximum of 8 entries.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${DISCOVERY_V1}.ForZone`,
    description: 'ForZone provides information about which zones should consume this endpoint.',
    required: ['name'],
    fields: {
      name: field(1, string, 'name represents the name of the zone.'),
    },
  },
  {
    name: `${DISCOVERY_V1}.ForNode`,
    description: 'ForNode provides information about which nodes should consume this endpoint.',
    required: ['name'],
    fields: {
      name: field(1, string, 'name represents the name of the node.'),
    },
  },
);
