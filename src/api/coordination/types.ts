/** coordination.k8s.io/v1 types (k8s.io/api/coordination/v1); field numbers from upstream's generated.proto. */
import { defineTypes, field, int32, list, LIST_META, microtime, OBJECT_META, ref, string } from '../../machinery/schema/dsl.js';

/** Definition-name prefix of this group version. */
export const COORDINATION_V1 = 'io.k8s.api.coordination.v1';

export const LEASE = `${COORDINATION_V1}.Lease`;
export const LEASE_LIST = `${COORDINATION_V1}.LeaseList`;

defineTypes(
  {
    name: `${COORDINATION_V1}.Lease`,
    description: 'Lease defines a lease concept.',
    gvk: { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' },
    fields: {
      metadata: field(1, ref(OBJECT_META)),
      spec: field(2, ref(`${COORDINATION_V1}.LeaseSpec`), 'spec contains the specification of the Lease.'),
    },
  },
  {
    name: `${COORDINATION_V1}.LeaseList`,
    description: 'LeaseList is a list of Lease objects.',
    gvk: { group: 'coordination.k8s.io', version: 'v1', kind: 'LeaseList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), 'Standard list metadata.'),
      items: field(2, list(ref(`${COORDINATION_V1}.Lease`)), 'items is a list of schema objects.'),
    },
  },
  {
    name: `${COORDINATION_V1}.LeaseSpec`,
    description: 'LeaseSpec is a specification of a Lease.',
    fields: {
      holderIdentity: field(
        1,
        string,
        'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.',
      ),
      leaseDurationSeconds: field(
        2,
        int32,
        'leaseDurationSeconds is a duration that candidates for a lease need to wait to force acquire it. This is measured against the time of last observed renewTime.',
      ),
      acquireTime: field(3, microtime, 'acquireTime is a time when the current lease was acquired.'),
      renewTime: field(4, microtime, 'renewTime is a time when the current holder of a lease has last updated the lease.'),
      leaseTransitions: field(5, int32, 'leaseTransitions is the number of transitions of a lease between holders.'),
      strategy: field(
        6,
        string,
        'Strategy indicates the strategy for picking the leader for coordinated leader election. If the field is not specified, there is no active coordination for this lease.',
      ),
      preferredHolder: field(
        7,
        string,
        'PreferredHolder signals to a lease holder that the lease has a more optimal holder and should be given up. This field can only be set if Strategy is also set.',
      ),
    },
  },
);
