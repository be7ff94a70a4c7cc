/** coordination.k8s.io/v1 resources. */
import { defineResource } from '../define.js';
import type { ResourceType } from '../resource.js';
import { leasePrinter, leaseStrategy } from './lease.js';

export const coordinationResources: ResourceType[] = [
  defineResource({
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    plural: 'leases',
    namespaced: true,
    allowCreateOnUpdate: true,
    strategy: leaseStrategy,
    printer: leasePrinter,
  }),
];
