/**
 * apiextensions.k8s.io/v1 resources. The CRD strategy, validation and deletion semantics live
 * with the rest of custom resource serving in apiserver/crd (structural schemas are shared with
 * the custom resources' own validation).
 */
import { defineResource } from '../define.js';
import type { ResourceType } from '../resource.js';
import { crdStrategy } from '../../apiserver/crd/crd-strategy.js';
import { crdDeletionFinalizers, markCRDTerminating } from '../../apiserver/crd/finalizer.js';

export const apiextensionsResources: ResourceType[] = [
  defineResource({
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    status: true,
    strategy: crdStrategy,
    deletionFinalizers: crdDeletionFinalizers,
    markDeleting: markCRDTerminating,
  }),
];
