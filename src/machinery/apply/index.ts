/** Server-side apply and managedFields tracking. */
export { applyConfiguration, newApplyConflict, LAST_APPLIED_CONFIG_ANNOTATION, type ApplyOptions } from './apply.js';
export {
  updateManagedFields,
  defaultResetFields,
  emptyObjectFor,
  type UpdateManagedFieldsOptions,
} from './managed-fields.js';
export {
  decodeManagedFields,
  encodeManagedFields,
  managerIdentifier,
  isResetManagedFields,
  STRIPPED_FIELDS,
  DEFAULT_MAX_UPDATE_MANAGERS,
  type Managed,
  type ManagerInfo,
} from './entries.js';
export {
  managerFromUserAgent,
  managerOrUserAgent,
  validateFieldManager,
  newInvalidOptions,
  FIELD_MANAGER_MAX_LENGTH,
} from './field-manager.js';
export { FieldSet } from './fieldsv1.js';
export {
  fieldElement,
  keyElement,
  valueElement,
  indexElement,
  pathString,
  serializePathElement,
  deserializePathElement,
  type PathElement,
  type FieldPath,
  type KeyField,
} from './path-element.js';
export { rootSchema, type Schema } from './schema.js';
export { toFieldSet, compare, TypedValueError, type Comparison } from './typed.js';
export { merge, removeItems } from './merge.js';
