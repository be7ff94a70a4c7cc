/**
 * The registry strategy of customresourcedefinitions (upstream's customresourcedefinition
 * strategy): v1 defaults, status reset on create, storedVersions kept in step with the
 * storage version, and CRD validation.
 */
import type { ResourceStrategy } from '../../api/resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { asCRD, type CustomResourceDefinition } from './crd-object.js';
import { validateCRD, validateCRDUpdate } from './crd-validation.js';

/** SetDefaults_CustomResourceDefinitionSpec (v1). */
export function defaultCRD(obj: KubeObject): void {
  const crd = asCRD(obj);
  const names = crd.spec.names;
  if (!names.singular && names.kind) names.singular = names.kind.toLowerCase();
  if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
  crd.spec.conversion ??= { strategy: 'None' };
  const webhook = crd.spec.conversion.webhook as { clientConfig?: { service?: { port?: number } } } | undefined;
  const service = webhook?.clientConfig?.service;
  if (service && service.port === undefined) service.port = 443;
}

/** Records the storage version in status.storedVersions (never removes one). */
function recordStorageVersion(crd: CustomResourceDefinition): void {
  const storage = crd.spec.versions.find((v) => v.storage);
  if (!storage) return;
  const status = (crd.status ??= {});
  const stored = (status.storedVersions ??= []);
  if (!stored.includes(storage.name)) stored.push(storage.name);
}

export const crdStrategy: ResourceStrategy = {
  defaults: defaultCRD,
  prepareForCreate(obj) {
    const crd = asCRD(obj);
    crd.status = { acceptedNames: { plural: '', kind: '' } };
    recordStorageVersion(crd);
  },
  prepareForUpdate(obj) {
    recordStorageVersion(asCRD(obj));
  },
  validate: (obj) => validateCRD(asCRD(obj)),
  validateUpdate: (obj, old) => validateCRDUpdate(asCRD(obj), asCRD(old)),
  validateStatusUpdate: () => [],
};
