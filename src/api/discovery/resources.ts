/** discovery.k8s.io/v1 resources. */
import { defineResource } from '../define.js';
import type { ResourceType } from '../resource.js';
import { endpointSlicePrinter, endpointSliceStrategy } from './endpointslice.js';

export const discoveryResources: ResourceType[] = [
  defineResource({
    group: 'discovery.k8s.io',
    version: 'v1',
    kind: 'EndpointSlice',
    plural: 'endpointslices',
    namespaced: true,
    strategy: endpointSliceStrategy,
    printer: endpointSlicePrinter,
  }),
];
