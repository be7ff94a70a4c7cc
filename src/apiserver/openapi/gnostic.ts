/**
 * Encodes a Swagger 2.0 document (plain JSON) as gnostic's openapi_v2.Document protobuf, the
 * form kubectl 1.27/1.28 request with `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`.
 * Maps become ordered (name, value) pairs; `default`, `enum`, `example` and `x-*` extensions
 * become `Any{yaml}` (JSON text, which is YAML).
 */
import { gnosticType } from './gnostic-descriptor.js';
import type { JsonSchema } from './well-known.js';

type Message = Record<string, unknown>;

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function any(value: unknown): Message {
  return { yaml: JSON.stringify(value) };
}

function extensions(obj: JsonSchema): Message[] {
  const out: Message[] = [];
  for (const [name, value] of Object.entries(obj)) if (name.startsWith('x-')) out.push({ name, value: any(value) });
  return out;
}

const SCHEMA_STRINGS = ['format', 'title', 'description', 'pattern', 'discriminator'] as const;
const SCHEMA_NUMBERS = [
  'multipleOf',
  'maximum',
  'minimum',
  'maxLength',
  'minLength',
  'maxItems',
  'minItems',
  'maxProperties',
  'minProperties',
] as const;
const SCHEMA_BOOLEANS = ['exclusiveMaximum', 'exclusiveMinimum', 'uniqueItems', 'readOnly'] as const;

export function schemaMessage(s: JsonSchema): Message {
  const m: Message = {};
  if (typeof s['$ref'] === 'string') m['ref'] = s['$ref'];
  for (const k of SCHEMA_STRINGS) if (typeof s[k] === 'string') m[k] = s[k];
  for (const k of SCHEMA_NUMBERS) if (typeof s[k] === 'number') m[k] = s[k];
  for (const k of SCHEMA_BOOLEANS) if (typeof s[k] === 'boolean') m[k] = s[k];
  if (s['default'] !== undefined) m['default'] = any(s['default']);
  if (s['example'] !== undefined) m['example'] = any(s['example']);
  if (Array.isArray(s['required'])) m['required'] = s['required'].filter((r) => typeof r === 'string');
  if (Array.isArray(s['enum'])) m['enum'] = s['enum'].map(any);
  const type = s['type'];
  if (typeof type === 'string') m['type'] = { value: [type] };
  else if (Array.isArray(type)) m['type'] = { value: type.filter((t) => typeof t === 'string') };
  const items = s['items'];
  if (isObject(items)) m['items'] = { schema: [schemaMessage(items)] };
  else if (Array.isArray(items)) m['items'] = { schema: items.filter(isObject).map(schemaMessage) };
  const additional = s['additionalProperties'];
  if (isObject(additional)) m['additionalProperties'] = { schema: schemaMessage(additional) };
  else if (typeof additional === 'boolean') m['additionalProperties'] = { boolean: additional };
  if (Array.isArray(s['allOf'])) m['allOf'] = s['allOf'].filter(isObject).map(schemaMessage);
  const properties = s['properties'];
  if (isObject(properties)) {
    m['properties'] = {
      additionalProperties: Object.entries(properties)
        .filter((e): e is [string, JsonSchema] => isObject(e[1]))
        .map(([name, value]) => ({ name, value: schemaMessage(value) })),
    };
  }
  const ext = extensions(s);
  if (ext.length > 0) m['vendorExtension'] = ext;
  return m;
}

function parameterMessage(p: JsonSchema): Message {
  if (typeof p['$ref'] === 'string') return { jsonReference: { ref: p['$ref'] } };
  if (p['in'] === 'body') {
    const body: Message = { name: p['name'], in: 'body', required: p['required'] === true };
    if (typeof p['description'] === 'string') body['description'] = p['description'];
    if (isObject(p['schema'])) body['schema'] = schemaMessage(p['schema']);
    return { parameter: { bodyParameter: body } };
  }
  const sub: Message = { in: p['in'], name: p['name'], required: p['required'] === true };
  for (const k of ['description', 'type', 'format', 'collectionFormat'] as const) if (typeof p[k] === 'string') sub[k] = p[k];
  if (typeof p['uniqueItems'] === 'boolean') sub['uniqueItems'] = p['uniqueItems'];
  const ext = extensions(p);
  if (ext.length > 0) sub['vendorExtension'] = ext;
  const key = p['in'] === 'path' ? 'pathParameterSubSchema' : 'queryParameterSubSchema';
  return { parameter: { nonBodyParameter: { [key]: sub } } };
}

function operationMessage(o: JsonSchema): Message {
  const m: Message = {};
  for (const k of ['tags', 'produces', 'consumes', 'schemes'] as const) if (Array.isArray(o[k])) m[k] = o[k];
  for (const k of ['summary', 'description', 'operationId'] as const) if (typeof o[k] === 'string') m[k] = o[k];
  if (o['deprecated'] === true) m['deprecated'] = true;
  if (Array.isArray(o['parameters'])) m['parameters'] = o['parameters'].filter(isObject).map(parameterMessage);
  const responses = o['responses'];
  if (isObject(responses)) {
    m['responses'] = {
      responseCode: Object.entries(responses)
        .filter((e): e is [string, JsonSchema] => isObject(e[1]))
        .map(([name, r]) => {
          const response: Message = { description: typeof r['description'] === 'string' ? r['description'] : '' };
          if (isObject(r['schema'])) response['schema'] = { schema: schemaMessage(r['schema']) };
          return { name, value: { response } };
        }),
    };
  }
  const ext = extensions(o);
  if (ext.length > 0) m['vendorExtension'] = ext;
  return m;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

function pathItemMessage(p: JsonSchema): Message {
  const m: Message = {};
  for (const method of METHODS) {
    const op = p[method];
    if (isObject(op)) m[method] = operationMessage(op);
  }
  if (Array.isArray(p['parameters'])) m['parameters'] = p['parameters'].filter(isObject).map(parameterMessage);
  return m;
}

function named<T>(obj: unknown, convert: (value: JsonSchema) => T): Array<{ name: string; value: T }> {
  if (!isObject(obj)) return [];
  return Object.entries(obj)
    .filter((e): e is [string, JsonSchema] => isObject(e[1]))
    .map(([name, value]) => ({ name, value: convert(value) }));
}

/** The openapi_v2.Document message of a Swagger 2.0 document. */
export function documentMessage(doc: JsonSchema): Message {
  const info = isObject(doc['info']) ? doc['info'] : {};
  const m: Message = {
    swagger: typeof doc['swagger'] === 'string' ? doc['swagger'] : '2.0',
    info: { title: String(info['title'] ?? ''), version: String(info['version'] ?? '') },
    paths: { path: named(doc['paths'], pathItemMessage) },
    definitions: { additionalProperties: named(doc['definitions'], schemaMessage) },
  };
  const params = named(doc['parameters'], (p) => parameterMessage(p)['parameter'] ?? {});
  if (params.length > 0) m['parameters'] = { additionalProperties: params };
  const security = named(doc['securityDefinitions'], (s) => ({
    apiKeySecurity: { type: s['type'], name: s['name'], in: s['in'], description: s['description'] },
  }));
  if (security.length > 0) m['securityDefinitions'] = { additionalProperties: security };
  if (Array.isArray(doc['security'])) {
    m['security'] = doc['security'].filter(isObject).map((req) => ({
      additionalProperties: Object.entries(req).map(([name, scopes]) => ({ name, value: { value: Array.isArray(scopes) ? scopes : [] } })),
    }));
  }
  return m;
}

/** gnostic protobuf bytes of a Swagger 2.0 document. */
export function encodeSwaggerDocument(doc: JsonSchema): Uint8Array {
  return gnosticType('Document').encode(documentMessage(doc)).finish();
}

/** Decodes gnostic bytes back to a plain object (field names of our descriptor), for tests. */
export function decodeGnosticDocument(bytes: Uint8Array): Record<string, unknown> {
  const type = gnosticType('Document');
  return type.toObject(type.decode(bytes), { defaults: false, longs: Number }) as Record<string, unknown>;
}
