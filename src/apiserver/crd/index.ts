/**
 * CustomResourceDefinition serving (upstream's apiextensions-apiserver, inside our apiserver):
 * starts the controller that serves each CRD's custom resources.
 */
import type { ApiRegistry } from '../api-registry.js';
import { CRD_GROUP, CRD_PLURAL } from './crd-object.js';
import { CustomResourceDefinitionController, type CustomResourcePublisher } from './establishing.js';

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
  const store = registry.lookup(CRD_GROUP, 'v1', CRD_PLURAL);
  if (!store) throw new Error('customresourcedefinitions must be served before custom resources start');
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
