/**
 * The parts of an apiextensions.k8s.io/v1 JSONSchemaProps that structural schemas use, as
 * plain JSON (the CRD object is stored and served as JSON, so no decoding step is needed).
 */
import { isPlainObject } from '../../machinery/object.js';

export interface JSONSchemaProps {
  type?: string;
  format?: string;
  description?: string;
  title?: string;
  default?: unknown;
  nullable?: boolean;
  enum?: unknown[];
  maximum?: number;
  exclusiveMaximum?: boolean;
  minimum?: number;
  exclusiveMinimum?: boolean;
  multipleOf?: number;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  maxProperties?: number;
  minProperties?: number;
  required?: string[];
  properties?: Record<string, JSONSchemaProps>;
  /** A schema, or a boolean (true: anything; false: nothing but `properties`). */
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps | JSONSchemaProps[];
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  [key: string]: unknown;
}

/** The single item schema of an array schema (structural schemas never use tuple items). */
export function itemSchema(s: JSONSchemaProps): JSONSchemaProps | undefined {
  const items = s.items;
  return isPlainObject(items) ? (items as JSONSchemaProps) : undefined;
}

/** The schema of additional properties, when it is a schema. */
export function additionalSchema(s: JSONSchemaProps): JSONSchemaProps | undefined {
  const ap = s.additionalProperties;
  return isPlainObject(ap) ? (ap as JSONSchemaProps) : undefined;
}

export function preservesUnknown(s: JSONSchemaProps): boolean {
  return s['x-kubernetes-preserve-unknown-fields'] === true;
}

export function isEmbedded(s: JSONSchemaProps): boolean {
  return s['x-kubernetes-embedded-resource'] === true;
}

export function isIntOrString(s: JSONSchemaProps): boolean {
  return s['x-kubernetes-int-or-string'] === true;
}

/** The JSON type name of a value as go-openapi reports it: object, array, string, integer, number, boolean, null. */
export function jsonTypeOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return 'object';
}
