/**
 * Validation of a custom resource against its OpenAPI v3 schema, with the messages upstream's
 * kube-openapi validator produces once apiextensions turns them into field errors
 * (`spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"`).
 */
import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../../machinery/errors.js';
import { isPlainObject } from '../../machinery/object.js';
import { invalid, notSupported, required, tooLong, tooMany, typeInvalid } from '../../machinery/validation/index.js';
import { goFloat, goNumber } from './go-format.js';
import { checkFormat } from './formats.js';
import { additionalSchema, isIntOrString, itemSchema, jsonTypeOf, type JSONSchemaProps } from './schema.js';

const IN = 'body';

/** Validates `value` (found at `path`, '' for the root) against `schema`. */
export function validateValue(schema: JSONSchemaProps, value: unknown, path = ''): FieldError[] {
  const errs: FieldError[] = [];
  walk(schema, value, path, errs);
  return errs;
}

/** field path of an error named `name` (kube-openapi names the root "" and root fields ".x"). */
function at(name: string): string {
  return name.startsWith('.') ? name.slice(1) : name;
}

function types(s: JSONSchemaProps): string[] {
  if (isIntOrString(s)) return ['integer', 'string'];
  return s.type ? [s.type] : [];
}

function walk(s: JSONSchemaProps, value: unknown, path: string, errs: FieldError[]): void {
  if (value === null || value === undefined) {
    const t = types(s);
    if (t.length > 0 && !s.nullable) errs.push(typeInvalid(at(path), 'null', `${path} in ${IN} must be of type ${t.join(',')}: "null"`));
    if (s.enum && !s.nullable) checkEnum(s, null, path, errs);
    return;
  }
  // a type mismatch does not stop the validators that apply to the value's own kind (as upstream)
  checkType(s, value, path, errs);
  checkJunctions(s, value, path, errs);
  if (typeof value === 'string') {
    checkString(s, value, path, errs);
    if (s.format && !isNumeric(s)) {
      const ok = checkFormat(s.format, value);
      if (!ok) errs.push(typeInvalid(at(path), value, `${path} in ${IN} must be of type ${s.format}: ${JSON.stringify(value)}`));
    }
  }
  if (typeof value === 'number') checkNumber(s, value, path, errs);
  if (Array.isArray(value)) checkArray(s, value, path, errs);
  checkEnum(s, value, path, errs);
  if (isPlainObject(value)) checkObject(s, value, path, errs);
}

function isNumeric(s: JSONSchemaProps): boolean {
  return s.type === 'integer' || s.type === 'number';
}

function checkType(s: JSONSchemaProps, value: unknown, path: string, errs: FieldError[]): boolean {
  const t = types(s);
  if (t.length === 0) return true;
  const actual = jsonTypeOf(value);
  if (t.includes(actual)) return true;
  if (actual === 'integer' && t.includes('number')) return true;
  errs.push(typeInvalid(at(path), actual, `${path} in ${IN} must be of type ${t.join(',')}: ${JSON.stringify(actual)}`));
  return false;
}

function checkString(s: JSONSchemaProps, value: string, path: string, errs: FieldError[]): void {
  const length = [...value].length;
  if (s.maxLength !== undefined && length > s.maxLength) errs.push(tooLong(at(path), value, s.maxLength));
  if (s.minLength !== undefined && length < s.minLength) {
    errs.push(invalid(at(path), value, `${path} in ${IN} should be at least ${s.minLength} chars long`));
  }
  if (s.pattern !== undefined) {
    const re = compilePattern(s.pattern);
    if (re && !re.test(value)) errs.push(invalid(at(path), value, `${path} in ${IN} should match '${s.pattern}'`));
  }
}

const patterns = new Map<string, RegExp | undefined>();

/** ECMA-262 patterns as upstream accepts them; an invalid one (refused on the CRD) never matches anything. */
export function compilePattern(pattern: string): RegExp | undefined {
  if (!patterns.has(pattern)) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      try {
        re = new RegExp(pattern);
      } catch {
        re = undefined;
      }
    }
    patterns.set(pattern, re);
  }
  return patterns.get(pattern);
}

function bound(value: number, limit: number): string {
  return Number.isInteger(value) ? goNumber(Math.trunc(limit)) : goFloat(limit);
}

function checkNumber(s: JSONSchemaProps, value: number, path: string, errs: FieldError[]): void {
  if (s.multipleOf !== undefined && s.multipleOf > 0) {
    const q = value / s.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) {
      errs.push(invalid(at(path), value, `${path} in ${IN} should be a multiple of ${goFloat(s.multipleOf)}`));
    }
  }
  if (s.maximum !== undefined) {
    const over = s.exclusiveMaximum ? value >= s.maximum : value > s.maximum;
    if (over) {
      const rel = s.exclusiveMaximum ? 'less than' : 'less than or equal to';
      errs.push(invalid(at(path), value, `${path} in ${IN} should be ${rel} ${bound(value, s.maximum)}`));
    }
  }
  if (s.minimum !== undefined) {
    const under = s.exclusiveMinimum ? value <= s.minimum : value < s.minimum;
    if (under) {
      const rel = s.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
      errs.push(invalid(at(path), value, `${path} in ${IN} should be ${rel} ${bound(value, s.minimum)}`));
    }
  }
}

function checkArray(s: JSONSchemaProps, value: unknown[], path: string, errs: FieldError[]): void {
  const items = itemSchema(s);
  if (items) value.forEach((v, i) => walk(items, v, `${path}[${i}]`, errs));
  if (s.minItems !== undefined && value.length < s.minItems) {
    errs.push(invalid(at(path), value.length, `${path} in ${IN} should have at least ${s.minItems} items`));
  }
  if (s.maxItems !== undefined && value.length > s.maxItems) errs.push(tooMany(at(path), value.length, s.maxItems));
  if (s.uniqueItems) {
    const dup = value.some((v, i) => value.findIndex((w) => isDeepStrictEqual(v, w)) !== i);
    if (dup) errs.push(invalid(at(path), '', `${path} in ${IN} shouldn't contain duplicates`));
  }
}

function checkEnum(s: JSONSchemaProps, value: unknown, path: string, errs: FieldError[]): void {
  if (!s.enum || s.enum.length === 0) return;
  if (s.enum.some((e) => isDeepStrictEqual(e, value))) return;
  const allowed = s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
  errs.push(notSupported(at(path), value, allowed));
}

function checkObject(s: JSONSchemaProps, value: Record<string, unknown>, path: string, errs: FieldError[]): void {
  const count = Object.keys(value).length;
  if (s.minProperties !== undefined && count < s.minProperties) {
    errs.push(invalid(at(path), count, `${path} in ${IN} should have at least ${s.minProperties} properties`));
    return;
  }
  if (s.maxProperties !== undefined && count > s.maxProperties) {
    errs.push(tooMany(at(path), count, s.maxProperties));
    return;
  }
  const props = s.properties ?? {};
  if (s.additionalProperties === false) {
    for (const k of Object.keys(value)) {
      if (!(k in props)) errs.push(invalid(at(path), k, `${path}.${k} in ${IN} is a forbidden property`));
    }
  } else {
    const extra = additionalSchema(s);
    if (extra) for (const [k, v] of Object.entries(value)) if (!(k in props)) walk(extra, v, `${path}.${k}`, errs);
  }
  for (const [name, sub] of Object.entries(props)) {
    if (name in value) walk(sub, value[name], path ? `${path}.${name}` : name, errs);
  }
  for (const name of s.required ?? []) if (!(name in value)) errs.push(required(at(`${path}.${name}`)));
}

/** allOf, anyOf, oneOf and not. Failures of the last three are not field errors upstream: their path is `<nil>`. */
function checkJunctions(s: JSONSchemaProps, value: unknown, path: string, errs: FieldError[]): void {
  for (const sub of s.allOf ?? []) walk(sub, value, path, errs);
  const quoted = JSON.stringify(path);
  if (s.anyOf && s.anyOf.length > 0 && !isIntOrStringPair(s.anyOf, value)) {
    if (!s.anyOf.some((sub) => validateValue(sub, value, path).length === 0)) {
      errs.push(invalid(undefined, '', `${quoted} must validate at least one schema (anyOf)`));
    }
  }
  if (s.oneOf && s.oneOf.length > 0) {
    const passing = s.oneOf.filter((sub) => validateValue(sub, value, path).length === 0).length;
    if (passing !== 1) errs.push(invalid(undefined, '', `${quoted} must validate one and only one schema (oneOf)`));
  }
  if (s.not && validateValue(s.not, value, path).length === 0) {
    errs.push(invalid(undefined, '', `${quoted} must not validate the schema (not)`));
  }
}

function isIntOrStringPair(anyOf: JSONSchemaProps[], value: unknown): boolean {
  return anyOf.length === 2 && typeof value !== 'object' && anyOf.some((a) => a.type === jsonTypeOf(value));
}
