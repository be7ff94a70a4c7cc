/**
 * Static checks of a CRD version's openAPIV3Schema: what OpenAPI v3 features CRDs allow
 * (ValidateCustomResourceDefinitionOpenAPISchema) and the invariants of a structural schema
 * (ValidateStructural), with upstream's field paths and messages, plus default validation.
 */
import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../../machinery/errors.js';
import { isPlainObject } from '../../machinery/object.js';
import { type FieldPath, forbidden, invalid, notSupported, required } from '../../machinery/validation/index.js';
import { additionalSchema, isEmbedded, isIntOrString, preservesUnknown, type JSONSchemaProps } from './schema.js';
import { prune } from './prune.js';
import { compilePattern, validateValue } from './validate.js';
import { cloneJson } from '../../machinery/clone.js';

type Level = 'root' | 'item' | 'field';

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const FORBIDDEN_KEYWORDS: [string, string][] = [
  ['id', 'id is not supported'],
  ['additionalItems', 'additionalItems is not supported'],
  ['patternProperties', 'patternProperties is not supported'],
  ['definitions', 'definitions is not supported'],
  ['dependencies', 'dependencies is not supported'],
  ['$ref', '$ref is not supported'],
];

/** All errors of one version's schema, found at `path` (…openAPIV3Schema's parent). */
export function validateCRDSchema(schema: JSONSchemaProps, path: FieldPath, statusEnabled: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const root = path.child('openAPIV3Schema');
  if (statusEnabled && schema.type !== undefined && schema.type !== 'object') {
    errs.push(
      invalid(
        path.child('openAPIV3Schema.type'),
        schema.type,
        'only "object" is allowed as the type at the root of the schema if the status subresource is enabled',
      ),
    );
  }
  if (schema.nullable) errs.push(forbidden(path.child('openAPIV3Schema.nullable'), 'nullable cannot be true at the root'));
  const structural: FieldError[] = [];
  structuralInvariants(schema, 'root', root, structural);
  structural.sort((a, b) => (`${a.field}: ${a.message}` < `${b.field}: ${b.message}` ? -1 : 1));
  errs.push(...structural);
  if (structural.length === 0) validateDefaults(schema, root, errs, true);
  openAPIRules(schema, root, errs);
  return errs;
}

/** What OpenAPI v3 features a CRD schema may use at all. */
function openAPIRules(s: JSONSchemaProps, path: FieldPath, errs: FieldError[]): void {
  if (s.type !== undefined && s.type !== 'null' && !TYPES.includes(s.type)) errs.push(notSupported(path.child('type'), s.type, TYPES));
  if (s.type === 'null') errs.push(forbidden(path.child('type'), 'type cannot be set to null, use nullable as an alternative'));
  for (const [key, msg] of FORBIDDEN_KEYWORDS) if (s[key] !== undefined) errs.push(forbidden(path.child(key), msg));
  if (Array.isArray(s.items)) errs.push(forbidden(path.child('items'), 'items must be a schema object and not an array'));
  if (s.uniqueItems)
    errs.push(forbidden(path.child('uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (s.additionalProperties !== undefined && Object.keys(s.properties ?? {}).length > 0 && s.additionalProperties !== true) {
    errs.push(forbidden(path.child('additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === false) {
    errs.push(invalid(path.child('x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  }
  const listType = s['x-kubernetes-list-type'];
  if (listType !== undefined) {
    if (!['atomic', 'set', 'map'].includes(listType))
      errs.push(notSupported(path.child('x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']));
    if (s.type !== 'array') {
      errs.push(
        s.type
          ? invalid(path.child('type'), s.type, 'must be array if x-kubernetes-list-type is specified')
          : required(path.child('type'), 'must be array if x-kubernetes-list-type is specified'),
      );
    }
    if (listType === 'map' && !(s['x-kubernetes-list-map-keys'] ?? []).length) {
      errs.push(required(path.child('x-kubernetes-list-map-keys'), 'must not be empty if x-kubernetes-list-type is map'));
    }
  }
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && !['atomic', 'granular'].includes(mapType))
    errs.push(notSupported(path.child('x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
  for (const [k, v] of Object.entries(s.properties ?? {})) openAPIRules(v, path.child('properties').key(k), errs);
  const extra = additionalSchema(s);
  if (extra) openAPIRules(extra, path.child('additionalProperties'), errs);
  if (isPlainObject(s.items)) openAPIRules(s.items as JSONSchemaProps, path.child('items'), errs);
}

function structuralInvariants(s: JSONSchemaProps, lvl: Level, path: FieldPath, errs: FieldError[]): void {
  if (s.type === 'array' && s.items === undefined) errs.push(required(path.child('items'), 'must be specified'));
  if (isPlainObject(s.items)) structuralInvariants(s.items as JSONSchemaProps, 'item', path.child('items'), errs);
  for (const [k, v] of Object.entries(s.properties ?? {})) structuralInvariants(v, 'field', path.child('properties').key(k), errs);
  if (s.additionalProperties !== undefined) {
    if (lvl === 'root') errs.push(forbidden(path.child('additionalProperties'), 'must not be used at the root'));
    const extra = additionalSchema(s);
    if (extra) structuralInvariants(extra, 'field', path.child('additionalProperties'), errs);
  }
  if (isIntOrString(s) && preservesUnknown(s)) {
    errs.push(invalid(path.child('x-kubernetes-preserve-unknown-fields'), true, 'must be false if x-kubernetes-int-or-string is true'));
  }
  if (isIntOrString(s) && isEmbedded(s))
    errs.push(invalid(path.child('x-kubernetes-embedded-resource'), true, 'must be false if x-kubernetes-int-or-string is true'));
  for (const junction of ['allOf', 'anyOf', 'oneOf'] as const) {
    (s[junction] ?? []).forEach((sub, i) => nestedValueValidation(sub, path.child(junction).index(i), errs, isIntOrString(s)));
  }
  if (s.not) nestedValueValidation(s.not, path.child('not'), errs, false);
  if (s.pattern !== undefined && !compilePattern(s.pattern)) {
    errs.push(
      invalid(path.child('pattern'), s.pattern, `must be a valid regular expression, but isn't: error parsing regexp: ${s.pattern}`),
    );
  }
  if (isEmbedded(s) && s.type !== 'object') {
    errs.push(
      s.type
        ? invalid(path.child('type'), s.type, 'must be object if x-kubernetes-embedded-resource is true')
        : required(path.child('type'), 'must be object if x-kubernetes-embedded-resource is true'),
    );
  } else if (!s.type && !isIntOrString(s) && !preservesUnknown(s)) {
    const detail =
      lvl === 'root'
        ? 'must not be empty at the root'
        : lvl === 'item'
          ? 'must not be empty for specified array items'
          : 'must not be empty for specified object fields';
    errs.push(required(path.child('type'), detail));
  }
  if (isEmbedded(s) && s.additionalProperties !== undefined) {
    errs.push(forbidden(path.child('additionalProperties'), 'must not be used if x-kubernetes-embedded-resource is set'));
  }
  if (lvl === 'root' && s.type && s.type !== 'object') errs.push(invalid(path.child('type'), s.type, 'must be object at the root'));
  const checkMetadata = lvl === 'root' || isEmbedded(s);
  for (const meta of ['kind', 'apiVersion']) {
    const p = s.properties?.[meta];
    if (p && checkMetadata && p.type !== 'string')
      errs.push(invalid(path.child('properties').key(meta).child('type'), p.type ?? '', 'must be string'));
  }
  const metadata = s.properties?.['metadata'];
  if (metadata) {
    const mp = path.child('properties').key('metadata');
    if (checkMetadata && metadata.type !== 'object') errs.push(invalid(mp.child('type'), metadata.type ?? '', 'must be object'));
    if (lvl === 'root' && !onlyNameRestrictions(metadata)) {
      errs.push(forbidden(mp, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
    }
  }
  if (isEmbedded(s) && !preservesUnknown(s) && Object.keys(s.properties ?? {}).length === 0) {
    errs.push(
      required(
        path.child('properties'),
        'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
      ),
    );
  }
}

/** The root metadata schema may only say `type: object` and restrict name and generateName. */
function onlyNameRestrictions(m: JSONSchemaProps): boolean {
  const allowed = new Set(['type', 'properties', 'description', 'default']);
  if (Object.keys(m).some((k) => !allowed.has(k))) return false;
  return Object.keys(m.properties ?? {}).every((k) => k === 'name' || k === 'generateName');
}

/** Inside allOf/anyOf/oneOf/not only value validations may appear. */
function nestedValueValidation(v: JSONSchemaProps, path: FieldPath, errs: FieldError[], intOrString: boolean): void {
  if (v.type !== undefined && !(intOrString && (v.type === 'integer' || v.type === 'string')))
    errs.push(forbidden(path.child('type'), 'must be empty to be structural'));
  if (v.additionalProperties !== undefined) errs.push(forbidden(path.child('additionalProperties'), 'must be undefined to be structural'));
  if (v.default !== undefined) errs.push(forbidden(path.child('default'), 'must be undefined to be structural'));
  if (v.title) errs.push(forbidden(path.child('title'), 'must be empty to be structural'));
  if (v.description) errs.push(forbidden(path.child('description'), 'must be empty to be structural'));
  if (v.nullable) errs.push(forbidden(path.child('nullable'), 'must be false to be structural'));
  for (const ext of ['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string'] as const) {
    if (v[ext]) errs.push(forbidden(path.child(ext), 'must be false to be structural'));
  }
  if (v.properties?.['metadata'])
    errs.push(forbidden(path.child('properties').key('metadata'), 'must not be specified in a nested context'));
  for (const [k, p] of Object.entries(v.properties ?? {})) nestedValueValidation(p, path.child('properties').key(k), errs, false);
  if (isPlainObject(v.items)) nestedValueValidation(v.items as JSONSchemaProps, path.child('items'), errs, false);
}

/** Every default must validate against its own schema (structuraldefaulting.ValidateDefaults). */
function validateDefaults(s: JSONSchemaProps, path: FieldPath, errs: FieldError[], root: boolean): void {
  if (!root && s.default !== undefined) {
    if (s.default === null && !s.nullable) {
      errs.push(invalid(path.child('default'), null, 'must not be null for non-nullable fields'));
    } else {
      const at = path.child('default');
      const pruned = cloneJson(s.default);
      prune(pruned, s, '', []);
      if (!isDeepStrictEqual(pruned, s.default)) errs.push(invalid(at, s.default, 'must not have unknown fields'));
      for (const e of validateValue(s, s.default, '')) {
        errs.push({ ...e, field: e.field && e.field !== '<nil>' ? `${String(at)}.${e.field}` : String(at) });
      }
    }
  }
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    if (root && k === 'metadata') continue;
    validateDefaults(v, path.child('properties').key(k), errs, false);
  }
  const extra = additionalSchema(s);
  if (extra) validateDefaults(extra, path.child('additionalProperties'), errs, false);
  if (isPlainObject(s.items)) validateDefaults(s.items as JSONSchemaProps, path.child('items'), errs, false);
}
