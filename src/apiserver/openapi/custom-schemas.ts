/**
 * Definitions of custom resources from their CRD schemas (plain JSONSchemaProps objects), the
 * way apiextensions-apiserver publishes them: apiVersion, kind and metadata (a reference to
 * ObjectMeta) are added, the list kind is synthesised, and for Swagger 2.0 the constructs it
 * cannot express (nullable, oneOf, anyOf, not) are dropped.
 */
import { LIST_META, OBJECT_META } from '../../machinery/schema/dsl.js';
import type { CustomResourceOpenApi } from './resources.js';
import { customDefinitionPrefix } from './resources.js';
import { API_VERSION_DESCRIPTION, KIND_DESCRIPTION, refName, refTo, type Dialect, type JsonSchema } from './well-known.js';
import { cloneJson } from '../../machinery/clone.js';

const METADATA_DESCRIPTION =
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
const LIST_METADATA_DESCRIPTION =
  'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reference(dialect: Dialect, name: string, description: string): JsonSchema {
  return dialect === 'v3' ? { allOf: [{ $ref: refTo(dialect, name) }], description } : { $ref: refTo(dialect, name), description };
}

/** Swagger 2.0 has no nullable, oneOf, anyOf or not; an array needs items to be parsed by kubectl. */
export function toSwaggerSchema(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'oneOf' || key === 'anyOf' || key === 'not' || key === 'allOf') continue;
    if (key === 'properties' && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isObject(v) ? toSwaggerSchema(v) : v]));
    } else if ((key === 'items' || key === 'additionalProperties') && isObject(value)) {
      out[key] = toSwaggerSchema(value);
    } else {
      out[key] = value;
    }
  }
  if (out['type'] === 'array' && !isObject(out['items'])) delete out['type'];
  // An int-or-string field has no single type in Swagger 2.0.
  if (out['x-kubernetes-int-or-string'] === true) delete out['type'];
  return out;
}

/** The kind and list definitions of one custom resource version, by definition name. */
export function customResourceDefinitions(crd: CustomResourceOpenApi, dialect: Dialect): Map<string, JsonSchema> {
  const prefix = customDefinitionPrefix(crd.group, crd.version);
  const kindName = `${prefix}.${crd.kind}`;
  const listKind = crd.listKind ?? `${crd.kind}List`;
  const base: JsonSchema = crd.schema ? cloneJson(crd.schema) : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const properties: Record<string, unknown> = isObject(base['properties']) ? { ...base['properties'] } : {};
  properties['apiVersion'] = { description: API_VERSION_DESCRIPTION, type: 'string' };
  properties['kind'] = { description: KIND_DESCRIPTION, type: 'string' };
  properties['metadata'] = reference(dialect, OBJECT_META, METADATA_DESCRIPTION);
  const kind: JsonSchema = {
    ...base,
    properties,
    type: 'object',
    'x-kubernetes-group-version-kind': [{ group: crd.group, kind: crd.kind, version: crd.version }],
  };
  const list: JsonSchema = {
    description: `${listKind} is a list of ${crd.kind}`,
    properties: {
      apiVersion: { description: API_VERSION_DESCRIPTION, type: 'string' },
      items: {
        description: `List of ${crd.plural}. More info: https://git.k8s.io/community/contributors/devel/api-conventions.md`,
        items: { $ref: refTo(dialect, kindName) },
        type: 'array',
      },
      kind: { description: KIND_DESCRIPTION, type: 'string' },
      metadata: reference(dialect, LIST_META, LIST_METADATA_DESCRIPTION),
    },
    required: ['items'],
    type: 'object',
    'x-kubernetes-group-version-kind': [{ group: crd.group, kind: listKind, version: crd.version }],
  };
  return new Map([
    [kindName, dialect === 'v2' ? toSwaggerSchema(kind) : kind],
    [`${prefix}.${listKind}`, list],
  ]);
}

/** Definition names a schema refers to through `$ref` anywhere inside it. */
export function schemaRefs(schema: unknown, into: string[] = []): string[] {
  if (Array.isArray(schema)) {
    for (const item of schema) schemaRefs(item, into);
  } else if (isObject(schema)) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string') {
        const name = refName(value);
        if (name !== undefined) into.push(name);
      } else if (typeof value === 'object') schemaRefs(value, into);
    }
  }
  return into;
}
