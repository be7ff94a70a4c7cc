/**
 * CustomResourceDefinition serving (upstream's apiextensions-apiserver, inside our apiserver):
 * gives the customresourcedefinitions store its strategy and deletion semantics and starts the
 * controller that serves each CRD's custom resources.
 */
import type { ApiRegistry } from '../api-registry.js';
import { CRD_GROUP, CRD_PLURAL } from './crd-object.js';
import { crdStrategy } from './crd-strategy.js';
import { CustomResourceDefinitionController, type CustomResourcePublisher } from './establishing.js';
import { crdDeletionFinalizers, markCRDTerminating } from './finalizer.js';

export interface CustomResourcesOptions {
  registry: ApiRegistry;
  /** Publishes custom resource schemas, when the OpenAPI service supports it. */
  openapi?: CustomResourcePublisher;
  onError?: (err: unknown) => void;
}

export interface CustomResources {
  readonly controller: CustomResourceDefinitionController;
  stop(): void;
}

/** Call after the built-in resources are added; resolves once existing CRDs are served. */
export async function startCustomResources(options: CustomResourcesOptions): Promise<CustomResources> {
  const { registry } = options;
  const builtin = registry.lookup(CRD_GROUP, 'v1', CRD_PLURAL);
  if (!builtin) throw new Error('customresourcedefinitions must be served before custom resources start');
  // same key and storage: the registry keeps the watch cache and swaps in the store with the CRD strategy
  const store = await registry.add({
    ...builtin.type,
    strategy: crdStrategy,
    deletionFinalizers: crdDeletionFinalizers,
    markDeleting: markCRDTerminating,
  });
  const controller = new CustomResourceDefinitionController({
    registry,
    store,
    ...(options.openapi ? { openapi: options.openapi } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  await controller.start();
  return { controller, stop: () => controller.stop() };
}

export { CustomResourceDefinitionController } from './establishing.js';
export type { CustomResourcePublisher } from './establishing.js';
