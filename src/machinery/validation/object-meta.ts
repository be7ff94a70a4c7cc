/**
 * ObjectMeta validation on create and update (k8s.io/apimachinery/pkg/api/validation/objectmeta.go
 * and .../apis/meta/v1/validation).
 */
import { Buffer } from 'node:buffer';
import type { ManagedFieldsEntry, ObjectMeta, OwnerReference } from '../object.js';
import { validateNamespaceName, type ValidateNameFunc } from '../names.js';
import { forbidden, invalid, newPath, required, tooLong, type FieldError, type FieldPath, type PathLike } from './field.js';
import { isQualifiedName, isValidLabelValue } from './formats.js';

export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';
export const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * (1 << 10);
export const FIELD_MANAGER_MAX_LENGTH = 128;
export const MAX_SUBRESOURCE_NAME_LENGTH = 256;
export const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

function asPath(p: FieldPath | string): FieldPath {
  return typeof p === 'string' ? newPath(p) : p;
}

export function validateNonnegativeField(value: number, path: PathLike): FieldError[] {
  return value < 0 ? [invalid(path, value, IS_NEGATIVE_ERROR_MSG)] : [];
}

export function validateLabelName(name: string, path: PathLike): FieldError[] {
  return isQualifiedName(name).map((m) => invalid(path, name, m));
}

/** Every key a qualified name, every value a label value; errors at the map's own path. */
export function validateLabels(labels: Record<string, string> | undefined, path: PathLike): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, path));
    for (const m of isValidLabelValue(v)) errs.push(invalid(path, v, m));
  }
  return errs;
}

/** Keys are qualified names (case-insensitive); keys and values together at most 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | undefined, path: PathLike): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, m));
    total += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) errs.push(tooLong(path, '', TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errs;
}

/** schema.FromAPIVersionAndKind, enough to tell group, version and kind apart. */
function groupVersionOf(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0] ?? '', version: parts[1] ?? '' };
  return { group: '', version: '' };
}

/** Go's JSON for an OwnerReference, fields in struct order. */
function ownerRefValue(ref: OwnerReference): Record<string, unknown> {
  const out: Record<string, unknown> = { apiVersion: ref.apiVersion ?? '', kind: ref.kind ?? '', name: ref.name ?? '', uid: ref.uid ?? '' };
  if (ref.controller !== undefined) out['controller'] = ref.controller;
  if (ref.blockOwnerDeletion !== undefined) out['blockOwnerDeletion'] = ref.blockOwnerDeletion;
  return out;
}

function validateOwnerReference(ref: OwnerReference, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const gv = groupVersionOf(ref.apiVersion ?? '');
  if (!gv.version) errs.push(invalid(path.child('apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
  if (!ref.kind) errs.push(invalid(path.child('kind'), ref.kind ?? '', 'must not be empty'));
  if (!ref.name) errs.push(invalid(path.child('name'), ref.name ?? '', 'must not be empty'));
  if (!ref.uid) errs.push(invalid(path.child('uid'), ref.uid ?? '', 'must not be empty'));
  if (gv.group === '' && gv.version === 'v1' && ref.kind === 'Event') {
    errs.push(invalid(path, ownerRefValue(ref), '/v1, Kind=Event is disallowed from being an owner'));
  }
  return errs;
}

export function validateOwnerReferences(refs: OwnerReference[] | undefined, path: FieldPath | string): FieldError[] {
  const p = asPath(path);
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    errs.push(...validateOwnerReference(ref, p));
    if (ref.controller === true) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push(
          invalid(
            p,
            (refs ?? []).map(ownerRefValue),
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

export function validateFinalizerName(name: string, path: PathLike): FieldError[] {
  return isQualifiedName(name).map((m) => invalid(path, name, m));
}

export function validateFinalizers(finalizers: string[] | undefined, path: PathLike): FieldError[] {
  const errs: FieldError[] = [];
  const list = finalizers ?? [];
  for (const f of list) errs.push(...validateFinalizerName(f, path));
  if (list.includes(FINALIZER_ORPHAN_DEPENDENTS) && list.includes(FINALIZER_DELETE_DEPENDENTS)) {
    errs.push(invalid(path, list, `finalizer ${FINALIZER_ORPHAN_DEPENDENTS} and ${FINALIZER_DELETE_DEPENDENTS} cannot be both set`));
  }
  return errs;
}

/** Go's %#v for a []string. */
function goStringSlice(xs: string[]): string {
  return `[]string{${xs.map((x) => JSON.stringify(x)).join(', ')}}`;
}

export function validateNoNewFinalizers(newF: string[] | undefined, oldF: string[] | undefined, path: PathLike): FieldError[] {
  const old = new Set(oldF ?? []);
  const extra = [...new Set((newF ?? []).filter((f) => !old.has(f)))].sort();
  if (extra.length === 0) return [];
  return [forbidden(path, `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra)}`)];
}

/** ValidateFieldManager: at most 128 bytes, printable characters only. */
export function validateFieldManager(manager: string, path: PathLike): FieldError[] {
  const errs: FieldError[] = [];
  if (Buffer.byteLength(manager) > FIELD_MANAGER_MAX_LENGTH) errs.push(tooLong(path, manager, FIELD_MANAGER_MAX_LENGTH));
  let pos = 0;
  for (const ch of manager) {
    if (!(ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch))) {
      const code = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      errs.push(invalid(path, manager, `invalid character U+${code} (at position ${pos})`));
    }
    pos += Buffer.byteLength(ch);
  }
  return errs;
}

export function validateManagedFields(entries: ManagedFieldsEntry[] | undefined, path: FieldPath | string): FieldError[] {
  const errs: FieldError[] = [];
  (entries ?? []).forEach((e, i) => {
    const p = asPath(path).index(i);
    if (e.operation !== 'Apply' && e.operation !== 'Update') {
      errs.push(invalid(p.child('operation'), e.operation ?? '', 'must be `Apply` or `Update`'));
    }
    if (e.fieldsType && e.fieldsType !== 'FieldsV1') errs.push(invalid(p.child('fieldsType'), e.fieldsType, 'must be `FieldsV1`'));
    errs.push(...validateFieldManager(e.manager ?? '', p.child('manager')));
    if (Buffer.byteLength(e.subresource ?? '') > MAX_SUBRESOURCE_NAME_LENGTH) {
      errs.push(tooLong(p.child('subresource'), e.subresource, MAX_SUBRESOURCE_NAME_LENGTH));
    }
  });
  return errs;
}

/**
 * ValidateObjectMeta, on create, after generateName has been applied. `namespaced` is the
 * resource's scope; `nameFn` the kind's name rule (see ../names.ts).
 */
export function validateObjectMeta(
  meta: ObjectMeta,
  namespaced: boolean,
  nameFn: ValidateNameFunc,
  fieldPath: FieldPath | string = 'metadata',
): FieldError[] {
  const p = asPath(fieldPath);
  const errs: FieldError[] = [];
  if (meta.generateName) {
    for (const m of nameFn(meta.generateName, true)) errs.push(invalid(p.child('generateName'), meta.generateName, m));
  }
  if (!meta.name) errs.push(required(p.child('name'), 'name or generateName is required'));
  else for (const m of nameFn(meta.name, false)) errs.push(invalid(p.child('name'), meta.name, m));
  if (namespaced) {
    if (!meta.namespace) errs.push(required(p.child('namespace')));
    else for (const m of validateNamespaceName(meta.namespace, false)) errs.push(invalid(p.child('namespace'), meta.namespace, m));
  } else if (meta.namespace) {
    errs.push(forbidden(p.child('namespace'), 'not allowed on this type'));
  }
  errs.push(...validateNonnegativeField(meta.generation ?? 0, p.child('generation')));
  errs.push(...validateLabels(meta.labels, p.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, p.child('annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, p.child('ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers, p.child('finalizers')));
  errs.push(...validateManagedFields(meta.managedFields, p.child('managedFields')));
  return errs;
}

function immutable(newVal: unknown, oldVal: unknown, path: FieldPath): FieldError[] {
  const norm = (v: unknown): unknown => (v === undefined || v === '' ? null : v);
  return norm(newVal) === norm(oldVal) ? [] : [invalid(path, newVal ?? null, FIELD_IMMUTABLE_ERROR_MSG)];
}

/** ValidateImmutableField for structured values (deep equality, as Semantic.DeepEqual). */
export function validateImmutableField(newVal: unknown, oldVal: unknown, path: PathLike): FieldError[] {
  return JSON.stringify(newVal ?? null) === JSON.stringify(oldVal ?? null)
    ? []
    : [invalid(path, newVal ?? null, FIELD_IMMUTABLE_ERROR_MSG)];
}

/** ValidateObjectMetaUpdate: identity fields are immutable, resourceVersion required, generation never decreases. */
export function validateObjectMetaUpdate(
  newMeta: ObjectMeta,
  oldMeta: ObjectMeta,
  fieldPath: FieldPath | string = 'metadata',
): FieldError[] {
  const p = asPath(fieldPath);
  const errs: FieldError[] = [];
  if (oldMeta.deletionTimestamp) {
    errs.push(...validateNoNewFinalizers(newMeta.finalizers, oldMeta.finalizers, p.child('finalizers')));
  }
  if (!newMeta.resourceVersion) {
    errs.push(invalid(p.child('resourceVersion'), newMeta.resourceVersion ?? '', 'must be specified for an update'));
  }
  if ((newMeta.generation ?? 0) < (oldMeta.generation ?? 0)) {
    errs.push(invalid(p.child('generation'), newMeta.generation ?? 0, 'must not be decremented'));
  }
  errs.push(...immutable(newMeta.name ?? '', oldMeta.name ?? '', p.child('name')));
  errs.push(...immutable(newMeta.namespace ?? '', oldMeta.namespace ?? '', p.child('namespace')));
  errs.push(...immutable(newMeta.uid ?? '', oldMeta.uid ?? '', p.child('uid')));
  errs.push(...immutable(newMeta.creationTimestamp, oldMeta.creationTimestamp, p.child('creationTimestamp')));
  errs.push(...immutable(newMeta.deletionTimestamp, oldMeta.deletionTimestamp, p.child('deletionTimestamp')));
  errs.push(...immutable(newMeta.deletionGracePeriodSeconds, oldMeta.deletionGracePeriodSeconds, p.child('deletionGracePeriodSeconds')));
  errs.push(...validateLabels(newMeta.labels, p.child('labels')));
  errs.push(...validateAnnotations(newMeta.annotations, p.child('annotations')));
  errs.push(...validateOwnerReferences(newMeta.ownerReferences, p.child('ownerReferences')));
  errs.push(...validateManagedFields(newMeta.managedFields, p.child('managedFields')));
  return errs;
}
