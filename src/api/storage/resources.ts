/** storage.k8s.io/v1 resources served here (StorageClass). */
import { defineResource } from '../define.js';
import type { ResourceType } from '../resource.js';
import { storageClassPrinter, storageClassStrategy } from './storageclass.js';

export const storageResources: ResourceType[] = [
  defineResource({
    group: 'storage.k8s.io',
    version: 'v1',
    kind: 'StorageClass',
    plural: 'storageclasses',
    namespaced: false,
    shortNames: ['sc'],
    strategy: storageClassStrategy,
    printer: storageClassPrinter,
  }),
];
