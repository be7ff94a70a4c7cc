/**
 * The ResourceType of one served version of a CRD (upstream's customresource registry): a
 * strategy that prunes, defaults and validates along the version's structural schema, keeps
 * status behind the status subresource, checks scale paths, and prints the printer columns.
 */
import type { ResourceStrategy, ResourceType, ScaleSubresource } from '../../api/resource.js';
import type { FieldError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { isPlainObject } from '../../machinery/object.js';
import { invalid } from '../../machinery/validation/index.js';
import { isDeepStrictEqual } from 'node:util';
import { applyDefaults, pruneNulls } from './defaults.js';
import { findFirst } from './jsonpath.js';
import { customResourcePrinter, type PrinterColumn } from './printer.js';
import { pruneObject } from './prune.js';
import type { JSONSchemaProps } from './schema.js';
import { validateValue } from './validate.js';

export interface AcceptedNames {
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  shortNames?: string[];
  categories?: string[];
}

/** What one served version of a CRD declares, as the custom resource strategy needs it. */
export interface ServedVersion {
  group: string;
  version: string;
  storageVersion: string;
  names: AcceptedNames;
  namespaced: boolean;
  schema: JSONSchemaProps | undefined;
  status: boolean;
  scale: ScaleSubresource | undefined;
  columns: readonly PrinterColumn[];
  selectableFields: readonly string[];
  deprecationWarning: string | undefined;
}

/** Prunes unknown fields in place (returning their paths), then applies defaults. */
export function pruneAndDefault(obj: Record<string, unknown>, schema: JSONSchemaProps | undefined): string[] {
  const pruned = pruneObject(obj, schema);
  applyDefaults(obj, schema);
  pruneNulls(obj, schema);
  return pruned;
}

/** The schema without `metadata`, which ObjectMeta validation covers. */
function bodySchema(schema: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  if (!schema?.properties || !('metadata' in schema.properties)) return schema;
  const properties = { ...schema.properties };
  delete properties['metadata'];
  return { ...schema, properties };
}

/** unstructured.NestedInt64: a missing value is 0, anything but an integer is an accessor error. */
function nestedInt(obj: KubeObject, path: string): { value: unknown; error?: string } {
  const value = findFirst(path, obj);
  if (value === undefined) return { value: 0 };
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    const goType =
      typeof value === 'number'
        ? 'float64'
        : typeof value === 'string'
          ? 'string'
          : typeof value === 'boolean'
            ? 'bool'
            : Array.isArray(value)
              ? '[]interface {}'
              : value === null
                ? '<nil>'
                : 'map[string]interface {}';
    const shown = typeof value === 'string' ? value : JSON.stringify(value);
    return { value, error: `.${path.replace(/^\./, '')} accessor error: ${shown} is of the type ${goType}, expected int64` };
  }
  return { value };
}

function replicasErrors(obj: KubeObject, path: string): FieldError[] {
  const { value, error } = nestedInt(obj, path);
  if (error) return [invalid(path, value, error)];
  const n = value as number;
  if (n < 0) return [invalid(path, n, 'should be a non-negative integer')];
  if (n > 2147483647) return [invalid(path, n, 'should be less than or equal to 2147483647')];
  return [];
}

export function customResourceStrategy(v: ServedVersion): ResourceStrategy {
  const validation = bodySchema(v.schema);
  const validate = (obj: KubeObject): FieldError[] => {
    const errs = validation ? validateValue(validation, obj) : [];
    if (v.scale) errs.push(...replicasErrors(obj, v.scale.specReplicasPath));
    return errs;
  };
  return {
    defaults(obj) {
      pruneAndDefault(obj, v.schema);
    },
    prepareForCreate(obj) {
      if (v.status) delete obj['status'];
    },
    prepareForUpdate(obj, old) {
      // without a status subresource, status is content too: any change moves the generation
      if (!v.status && old.metadata.generation !== undefined && !isDeepStrictEqual(obj['status'], old['status'])) {
        obj.metadata.generation = old.metadata.generation + 1;
      }
    },
    validate,
    validateUpdate: (obj) => validate(obj),
    validateStatusUpdate(obj) {
      const statusSchema = v.schema?.properties?.['status'];
      const errs = statusSchema && obj['status'] !== undefined ? validateValue(statusSchema, obj['status'], 'status') : [];
      if (v.scale) errs.push(...replicasErrors(obj, v.scale.statusReplicasPath));
      return errs;
    },
    selectableFields(obj) {
      const out: Record<string, string> = {};
      for (const path of v.selectableFields) {
        const value = findFirst(path, obj);
        out[path.replace(/^\./, '')] = value === undefined || value === null || isPlainObject(value) ? '' : String(value);
      }
      return out;
    },
    warnings() {
      return v.deprecationWarning !== undefined ? [v.deprecationWarning] : [];
    },
  };
}

/** Serves one version; objects are stored in the storage version and read back with defaults applied. */
export function customResourceType(v: ServedVersion): ResourceType {
  const apiVersion = `${v.group}/${v.version}`;
  const storageApiVersion = `${v.group}/${v.storageVersion}`;
  return {
    group: v.group,
    version: v.version,
    kind: v.names.kind,
    plural: v.names.plural,
    singular: v.names.singular,
    namespaced: v.namespaced,
    ...(v.names.shortNames?.length ? { shortNames: [...v.names.shortNames] } : {}),
    ...(v.names.categories?.length ? { categories: [...v.names.categories] } : {}),
    ...(v.status ? { status: true } : {}),
    ...(v.scale ? { scale: v.scale } : {}),
    strategy: customResourceStrategy(v),
    printer: customResourcePrinter(v.columns),
    pruneUnknownFields: (body) => pruneObject(body, v.schema),
    storage: {
      group: v.group,
      version: v.storageVersion,
      plural: v.names.plural,
      toStorage: (obj) => ({ ...obj, apiVersion: storageApiVersion }),
      fromStorage: (obj) => {
        const out: KubeObject = { ...obj, apiVersion };
        applyDefaults(out, v.schema);
        pruneNulls(out, v.schema);
        return out;
      },
    },
  };
}
