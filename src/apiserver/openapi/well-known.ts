/**
 * Definitions upstream publishes for the wire types that are not plain structs (metav1.Time,
 * resource.Quantity, intstr.IntOrString, runtime.RawExtension, …) and for the request/response
 * shapes every group-version refers to (Patch, WatchEvent). Field schemas refer to them by name.
 */
import type { Scalar } from '../../machinery/schema/dsl.js';
import { META } from '../../machinery/schema/dsl.js';

/** A JSON-schema object as published (OpenAPI v3 schema or Swagger 2.0 definition). */
export type JsonSchema = Record<string, unknown>;

/** v2 (Swagger 2.0, `#/definitions/`) or v3 (OpenAPI 3.0, `#/components/schemas/`). */
export type Dialect = 'v2' | 'v3';

export const TIME = `${META}.Time`;
export const MICRO_TIME = `${META}.MicroTime`;
export const FIELDS_V1 = `${META}.FieldsV1`;
export const PATCH = `${META}.Patch`;
export const WATCH_EVENT = `${META}.WatchEvent`;
export const STATUS = `${META}.Status`;
export const DELETE_OPTIONS = `${META}.DeleteOptions`;
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';
export const JSON_VALUE = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON';

export const API_VERSION_DESCRIPTION =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
export const KIND_DESCRIPTION =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

/** The reference to a definition in a dialect. */
export function refTo(dialect: Dialect, name: string): string {
  return dialect === 'v3' ? `#/components/schemas/${name}` : `#/definitions/${name}`;
}

/** Definition name a reference points at (either dialect), or undefined. */
export function refName(ref: string): string | undefined {
  const m = /^#\/(?:components\/schemas|definitions)\/(.+)$/.exec(ref);
  return m?.[1];
}

/** Scalars published as a reference to a well-known definition. */
export const SCALAR_REFS: Partial<Record<Scalar, string>> = {
  time: TIME,
  microtime: MICRO_TIME,
  quantity: QUANTITY,
  intOrString: INT_OR_STRING,
  rawExtension: RAW_EXTENSION,
  json: JSON_VALUE,
  fieldsV1: FIELDS_V1,
};

/** Scalars published inline. */
export const INLINE_SCALARS: Partial<Record<Scalar, JsonSchema>> = {
  string: { type: 'string' },
  int32: { type: 'integer', format: 'int32' },
  int64: { type: 'integer', format: 'int64' },
  double: { type: 'number', format: 'double' },
  boolean: { type: 'boolean' },
  bytes: { type: 'string', format: 'byte' },
  duration: { type: 'string' },
};

const QUANTITY_DESCRIPTION =
  'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.\n\nThe serialization format is:\n\n``` <quantity>        ::= <signedNumber><suffix>\n\n\t(Note that <suffix> may be empty, from the "" case in <decimalSI>.)\n\n<digit>           ::= 0 | 1 | ... | 9 <digits>          ::= <digit> | <digit><digits> <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits> <sign>            ::= "+" | "-" <signedNumber>    ::= <number> | <sign><number> <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI> <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei\n\n\t(International System of units; See: http://physics.nist.gov/cuu/Units/binary.html)\n\n<decimalSI>       ::= m | "" | k | M | G | T | P | E\n\n\t(Note that 1024 = 1Ki but 1000 = 1k; I didn\'t choose the capitalization.)\n\n<decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber> ```\n\nNo matter which of the three exponent forms is used, no quantity may represent a number greater than 2^63-1 in magnitude, nor may it have more than 3 decimal places. Numbers larger or more precise will be capped or rounded up. (E.g.: 0.1m will rounded up to 1m.) This may be extended in the future if we require larger or smaller quantities.';
const INT_OR_STRING_DESCRIPTION =
  'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.';

/** The well-known definitions, as upstream publishes them in each dialect. */
export function wellKnownSchema(name: string, dialect: Dialect): JsonSchema | undefined {
  switch (name) {
    case TIME:
      return {
        description:
          'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.',
        type: 'string',
        format: 'date-time',
      };
    case MICRO_TIME:
      return { description: 'MicroTime is version of Time with microsecond level precision.', type: 'string', format: 'date-time' };
    case QUANTITY:
      return dialect === 'v3'
        ? { description: QUANTITY_DESCRIPTION, oneOf: [{ type: 'string' }, { type: 'number' }] }
        : { description: QUANTITY_DESCRIPTION, type: 'string' };
    case INT_OR_STRING:
      return dialect === 'v3'
        ? { description: INT_OR_STRING_DESCRIPTION, format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] }
        : { description: INT_OR_STRING_DESCRIPTION, type: 'string', format: 'int-or-string' };
    case RAW_EXTENSION:
      return {
        description:
          'RawExtension is used to hold extensions in external versions.\n\nTo use this, make a field which has RawExtension as its type in your external version struct, and Object in your internal struct. You also need to register your various plugin types.',
        type: 'object',
      };
    case JSON_VALUE:
      return {
        description:
          'JSON represents any valid JSON value. These types are supported: bool, int64, float64, string, []interface{}, map[string]interface{} and nil.',
      };
    case FIELDS_V1:
      return {
        description:
          "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.\n\nEach key is either a '.' representing the field itself, and will always map to an empty set, or a string representing a sub-field or item.",
        type: 'object',
      };
    case PATCH:
      return { description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.', type: 'object' };
    case WATCH_EVENT: {
      const object =
        dialect === 'v3'
          ? {
              allOf: [{ $ref: refTo(dialect, RAW_EXTENSION) }],
              description:
                'Object is:\n * If Type is Added or Modified: the new state of the object.\n * If Type is Deleted: the state of the object immediately before deletion.\n * If Type is Error: *Status is recommended; other types may make sense\n   depending on context.',
            }
          : {
              $ref: refTo(dialect, RAW_EXTENSION),
              description:
                'Object is:\n * If Type is Added or Modified: the new state of the object.\n * If Type is Deleted: the state of the object immediately before deletion.\n * If Type is Error: *Status is recommended; other types may make sense\n   depending on context.',
            };
      return {
        description: 'Event represents a single event to a watched resource.',
        properties: { object, type: dialect === 'v3' ? { default: '', type: 'string' } : { type: 'string' } },
        required: ['type', 'object'],
        type: 'object',
      };
    }
    default:
      return undefined;
  }
}

/** Names of the definitions above that carry GVKs of every served group-version (as upstream). */
export const PER_GROUP_VERSION_KINDS: Readonly<Record<string, string>> = {
  [DELETE_OPTIONS]: 'DeleteOptions',
  [WATCH_EVENT]: 'WatchEvent',
};
