/** Endpoints: the addresses and ports that implement a Service (core/v1). */
import { defineTypes, field, int32, list, OBJECT_META, ref, string } from '../../../machinery/schema/dsl.js';
import { CORE } from './names.js';

defineTypes(
  {
    name: `${CORE}.Endpoints`,
    description: 'Endpoints is a collection of endpoints that implement the actual service. Example:',
    gvk: { group: '', version: 'v1', kind: 'Endpoints' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      subsets: field(
        2,
        list(ref(`${CORE}.EndpointSubset`)),
        'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${CORE}.EndpointSubset`,
    description:
      'EndpointSubset is a group of addresses with a common set of ports. The expanded set of endpoints is the Cartesian product of Addresses x Ports.',
    fields: {
      addresses: field(
        1,
        list(ref(`${CORE}.EndpointAddress`)),
        'IP addresses which offer the related ports that are marked as ready. These endpoints should be considered safe for load balancers and clients to utilize.',
        { listType: 'atomic' },
      ),
      notReadyAddresses: field(
        2,
        list(ref(`${CORE}.EndpointAddress`)),
        'IP addresses which offer the related ports but are not currently marked as ready because they have not yet finished starting, have recently failed a readiness check, or have recently failed a liveness check.',
        { listType: 'atomic' },
      ),
      ports: field(3, list(ref(`${CORE}.EndpointPort`)), 'Port numbers available on the related IP addresses.', { listType: 'atomic' }),
    },
  },
  {
    name: `${CORE}.EndpointAddress`,
    description: 'EndpointAddress is a tuple that describes single IP address. Deprecated: This API is deprecated in v1.33+.',
    atomic: true,
    required: ['ip'],
    fields: {
      ip: field(
        1,
        string,
        'The IP of this endpoint. May not be loopback (127.0.0.0/8 or ::1), link-local (169.254.0.0/16 or fe80::/10), or link-local multicast (224.0.0.0/24 or ff02::/16).',
      ),
      hostname: field(3, string, 'The Hostname of this endpoint'),
      nodeName: field(4, string, 'Optional: Node hosting this endpoint. This can be used to determine endpoints local to a node.'),
      targetRef: field(2, ref(`${CORE}.ObjectReference`), 'Reference to object providing the endpoint.'),
    },
  },
  {
    name: `${CORE}.EndpointPort`,
    description: 'EndpointPort is a tuple that describes a single port. Deprecated: This API is deprecated in v1.33+.',
    atomic: true,
    required: ['port'],
    fields: {
      name: field(1, string, "The name of this port. This must match the 'name' field in the corresponding ServicePort."),
      port: field(2, int32, 'The port number of the endpoint.'),
      protocol: field(3, string, 'The IP protocol for this port. Must be UDP, TCP, or SCTP.', { enum: ['TCP', 'UDP', 'SCTP'] }),
      appProtocol: field(
        4,
        string,
        'The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand.',
      ),
    },
  },
);
