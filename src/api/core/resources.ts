/** core/v1 resources served under /api/v1, with their strategies and Table printers. */
import { defineResource, REPLICAS_SCALE } from '../define.js';
import type { ResourceType } from '../resource.js';
import { configMapPrinter, configMapStrategy, secretPrinter, secretStrategy } from './config.js';
import { endpointsPrinter, endpointsStrategy } from './endpoints.js';
import { eventPrinter, eventStrategy } from './event.js';
import { namespacePrinter, namespaceStrategy, namespaceSpecFinalizers, markNamespaceTerminating } from './namespace.js';
import { nodePrinter, nodeStrategy } from './node.js';
import {
  persistentVolumeClaimPrinter,
  persistentVolumeClaimStrategy,
  persistentVolumePrinter,
  persistentVolumeStrategy,
} from './persistentvolume.js';
import { podGracefulDeletion, podPrinter, podStrategy } from './pod.js';
import { limitRangePrinter, limitRangeStrategy, resourceQuotaPrinter, resourceQuotaStrategy } from './quota.js';
import {
  podTemplatePrinter,
  podTemplateStrategy,
  replicationControllerPrinter,
  replicationControllerStrategy,
} from './replicationcontroller.js';
import { serviceAccountPrinter, serviceAccountStrategy } from './serviceaccount.js';
import { servicePrinter, serviceStrategy } from './service.js';

const g = { group: '', version: 'v1' };

export const coreResources: ResourceType[] = [
  defineResource({ ...g, kind: 'Binding', plural: 'bindings', namespaced: true, verbs: ['create'] }),
  defineResource({ ...g, kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'], strategy: configMapStrategy, printer: configMapPrinter }),
  defineResource({
    ...g,
    kind: 'Endpoints',
    plural: 'endpoints',
    singular: 'endpoints',
    namespaced: true,
    shortNames: ['ep'],
    allowCreateOnUpdate: true,
    strategy: endpointsStrategy,
    printer: endpointsPrinter,
  }),
  defineResource({ ...g, kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'], allowCreateOnUpdate: true, strategy: eventStrategy, printer: eventPrinter }),
  defineResource({
    ...g,
    kind: 'LimitRange',
    plural: 'limitranges',
    namespaced: true,
    shortNames: ['limits'],
    allowCreateOnUpdate: true,
    strategy: limitRangeStrategy,
    printer: limitRangePrinter,
  }),
  defineResource({
    ...g,
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    shortNames: ['ns'],
    status: true,
    nameFormat: 'dns1123-label',
    extraSubresources: [{ name: 'finalize', verbs: ['update'] }],
    strategy: namespaceStrategy,
    printer: namespacePrinter,
    pendingFinalizers: namespaceSpecFinalizers,
    markDeleting: markNamespaceTerminating,
  }),
  defineResource({
    ...g,
    kind: 'Node',
    plural: 'nodes',
    namespaced: false,
    shortNames: ['no'],
    status: true,
    allowCreateOnUpdate: false,
    extraSubresources: [{ name: 'proxy', verbs: ['create', 'delete', 'get', 'patch', 'update'] }],
    strategy: nodeStrategy,
    printer: nodePrinter,
  }),
  defineResource({
    ...g,
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
    namespaced: true,
    shortNames: ['pvc'],
    status: true,
    strategy: persistentVolumeClaimStrategy,
    printer: persistentVolumeClaimPrinter,
  }),
  defineResource({
    ...g,
    kind: 'PersistentVolume',
    plural: 'persistentvolumes',
    namespaced: false,
    shortNames: ['pv'],
    status: true,
    strategy: persistentVolumeStrategy,
    printer: persistentVolumePrinter,
  }),
  defineResource({
    ...g,
    kind: 'Pod',
    plural: 'pods',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    status: true,
    returnDeletedObject: true,
    gracefulDeletion: podGracefulDeletion,
    strategy: podStrategy,
    printer: podPrinter,
    extraSubresources: [
      { name: 'attach', verbs: ['create', 'get'] },
      { name: 'binding', kind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] },
      { name: 'ephemeralcontainers', verbs: ['get', 'patch', 'update'] },
      { name: 'eviction', kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
      { name: 'exec', verbs: ['create', 'get'] },
      { name: 'log', verbs: ['get'] },
      { name: 'portforward', verbs: ['create', 'get'] },
      { name: 'proxy', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
    ],
  }),
  defineResource({ ...g, kind: 'PodTemplate', plural: 'podtemplates', namespaced: true, strategy: podTemplateStrategy, printer: podTemplatePrinter }),
  defineResource({
    ...g,
    kind: 'ReplicationController',
    plural: 'replicationcontrollers',
    namespaced: true,
    shortNames: ['rc'],
    categories: ['all'],
    status: true,
    scale: REPLICAS_SCALE,
    strategy: replicationControllerStrategy,
    printer: replicationControllerPrinter,
  }),
  defineResource({
    ...g,
    kind: 'ResourceQuota',
    plural: 'resourcequotas',
    namespaced: true,
    shortNames: ['quota'],
    status: true,
    strategy: resourceQuotaStrategy,
    printer: resourceQuotaPrinter,
  }),
  defineResource({ ...g, kind: 'Secret', plural: 'secrets', namespaced: true, strategy: secretStrategy, printer: secretPrinter }),
  defineResource({
    ...g,
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    namespaced: true,
    shortNames: ['sa'],
    extraSubresources: [{ name: 'token', kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }, verbs: ['create'] }],
    strategy: serviceAccountStrategy,
    printer: serviceAccountPrinter,
  }),
  defineResource({
    ...g,
    kind: 'Service',
    plural: 'services',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    status: true,
    nameFormat: 'dns1035-label',
    extraSubresources: [{ name: 'proxy', verbs: ['create', 'delete', 'get', 'patch', 'update'] }],
    strategy: serviceStrategy,
    printer: servicePrinter,
  }),
];
