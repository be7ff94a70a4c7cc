/**
 * The messages of gnostic's openapi_v2 package (openapiv2/OpenAPIv2.proto, package openapi.v2)
 * that a Kubernetes Swagger 2.0 document needs, as a protobufjs JSON descriptor. Field numbers
 * are gnostic's; names are ours (only numbers reach the wire). kubectl 1.27/1.28 fetch
 * /openapi/v2 in this encoding and unmarshal it into openapi_v2.Document.
 */
import protobuf from 'protobufjs';

type Fields = Record<string, { type: string; id: number; rule?: 'repeated' }>;

const str = (id: number): { type: string; id: number } => ({ type: 'string', id });
const bool = (id: number): { type: string; id: number } => ({ type: 'bool', id });
const dbl = (id: number): { type: string; id: number } => ({ type: 'double', id });
const i64 = (id: number): { type: string; id: number } => ({ type: 'int64', id });
const msg = (type: string, id: number): { type: string; id: number } => ({ type, id });
const rep = (type: string, id: number): { type: string; id: number; rule: 'repeated' } => ({ type, id, rule: 'repeated' });

/** Fields shared by the query and path parameter sub-schemas after `name` (numbers differ by an offset). */
function primitiveParameterFields(first: number): Fields {
  const n = (k: number): number => first + k;
  return {
    type: str(n(0)),
    format: str(n(1)),
    items: msg('PrimitivesItems', n(2)),
    collectionFormat: str(n(3)),
    default: msg('Any', n(4)),
    maximum: dbl(n(5)),
    exclusiveMaximum: bool(n(6)),
    minimum: dbl(n(7)),
    exclusiveMinimum: bool(n(8)),
    maxLength: i64(n(9)),
    minLength: i64(n(10)),
    pattern: str(n(11)),
    maxItems: i64(n(12)),
    minItems: i64(n(13)),
    uniqueItems: bool(n(14)),
    enum: rep('Any', n(15)),
    multipleOf: dbl(n(16)),
    vendorExtension: rep('NamedAny', n(17)),
  };
}

const oneof = (...names: string[]): Record<string, { oneof: string[] }> => ({ oneof: { oneof: names } });

const messages: Record<string, { fields: Fields; oneofs?: Record<string, { oneof: string[] }> }> = {
  Any: { fields: { yaml: str(2) } },
  NamedAny: { fields: { name: str(1), value: msg('Any', 2) } },
  Document: {
    fields: {
      swagger: str(1),
      info: msg('Info', 2),
      host: str(3),
      basePath: str(4),
      schemes: rep('string', 5),
      consumes: rep('string', 6),
      produces: rep('string', 7),
      paths: msg('Paths', 8),
      definitions: msg('Definitions', 9),
      parameters: msg('ParameterDefinitions', 10),
      security: rep('SecurityRequirement', 12),
      securityDefinitions: msg('SecurityDefinitions', 13),
      vendorExtension: rep('NamedAny', 16),
    },
  },
  Info: { fields: { title: str(1), version: str(2), description: str(3), vendorExtension: rep('NamedAny', 7) } },
  Paths: { fields: { vendorExtension: rep('NamedAny', 1), path: rep('NamedPathItem', 2) } },
  NamedPathItem: { fields: { name: str(1), value: msg('PathItem', 2) } },
  PathItem: {
    fields: {
      ref: str(1),
      get: msg('Operation', 2),
      put: msg('Operation', 3),
      post: msg('Operation', 4),
      delete: msg('Operation', 5),
      options: msg('Operation', 6),
      head: msg('Operation', 7),
      patch: msg('Operation', 8),
      parameters: rep('ParametersItem', 9),
      vendorExtension: rep('NamedAny', 10),
    },
  },
  Operation: {
    fields: {
      tags: rep('string', 1),
      summary: str(2),
      description: str(3),
      operationId: str(5),
      produces: rep('string', 6),
      consumes: rep('string', 7),
      parameters: rep('ParametersItem', 8),
      responses: msg('Responses', 9),
      schemes: rep('string', 10),
      deprecated: bool(11),
      vendorExtension: rep('NamedAny', 13),
    },
  },
  ParametersItem: {
    fields: { parameter: msg('Parameter', 1), jsonReference: msg('JsonReference', 2) },
    oneofs: oneof('parameter', 'jsonReference'),
  },
  JsonReference: { fields: { ref: str(1), description: str(2) } },
  Parameter: {
    fields: { bodyParameter: msg('BodyParameter', 1), nonBodyParameter: msg('NonBodyParameter', 2) },
    oneofs: oneof('bodyParameter', 'nonBodyParameter'),
  },
  BodyParameter: {
    fields: {
      description: str(1),
      name: str(2),
      in: str(3),
      required: bool(4),
      schema: msg('Schema', 5),
      vendorExtension: rep('NamedAny', 6),
    },
  },
  NonBodyParameter: {
    fields: { queryParameterSubSchema: msg('QueryParameterSubSchema', 3), pathParameterSubSchema: msg('PathParameterSubSchema', 4) },
    oneofs: oneof('queryParameterSubSchema', 'pathParameterSubSchema'),
  },
  QueryParameterSubSchema: {
    fields: { required: bool(1), in: str(2), description: str(3), name: str(4), allowEmptyValue: bool(5), ...primitiveParameterFields(6) },
  },
  PathParameterSubSchema: { fields: { required: bool(1), in: str(2), description: str(3), name: str(4), ...primitiveParameterFields(5) } },
  PrimitivesItems: { fields: { type: str(1), format: str(2), items: msg('PrimitivesItems', 3), collectionFormat: str(4) } },
  Responses: { fields: { responseCode: rep('NamedResponseValue', 1), vendorExtension: rep('NamedAny', 2) } },
  NamedResponseValue: { fields: { name: str(1), value: msg('ResponseValue', 2) } },
  ResponseValue: {
    fields: { response: msg('Response', 1), jsonReference: msg('JsonReference', 2) },
    oneofs: oneof('response', 'jsonReference'),
  },
  Response: { fields: { description: str(1), schema: msg('SchemaItem', 2), vendorExtension: rep('NamedAny', 5) } },
  SchemaItem: { fields: { schema: msg('Schema', 1) }, oneofs: oneof('schema') },
  Schema: {
    fields: {
      ref: str(1),
      format: str(2),
      title: str(3),
      description: str(4),
      default: msg('Any', 5),
      multipleOf: dbl(6),
      maximum: dbl(7),
      exclusiveMaximum: bool(8),
      minimum: dbl(9),
      exclusiveMinimum: bool(10),
      maxLength: i64(11),
      minLength: i64(12),
      pattern: str(13),
      maxItems: i64(14),
      minItems: i64(15),
      uniqueItems: bool(16),
      maxProperties: i64(17),
      minProperties: i64(18),
      required: rep('string', 19),
      enum: rep('Any', 20),
      additionalProperties: msg('AdditionalPropertiesItem', 21),
      type: msg('TypeItem', 22),
      items: msg('ItemsItem', 23),
      allOf: rep('Schema', 24),
      properties: msg('Properties', 25),
      discriminator: str(26),
      readOnly: bool(27),
      example: msg('Any', 30),
      vendorExtension: rep('NamedAny', 31),
    },
  },
  AdditionalPropertiesItem: { fields: { schema: msg('Schema', 1), boolean: bool(2) }, oneofs: oneof('schema', 'boolean') },
  TypeItem: { fields: { value: rep('string', 1) } },
  ItemsItem: { fields: { schema: rep('Schema', 1) } },
  Properties: { fields: { additionalProperties: rep('NamedSchema', 1) } },
  NamedSchema: { fields: { name: str(1), value: msg('Schema', 2) } },
  Definitions: { fields: { additionalProperties: rep('NamedSchema', 1) } },
  ParameterDefinitions: { fields: { additionalProperties: rep('NamedParameter', 1) } },
  NamedParameter: { fields: { name: str(1), value: msg('Parameter', 2) } },
  SecurityDefinitions: { fields: { additionalProperties: rep('NamedSecurityDefinitionsItem', 1) } },
  NamedSecurityDefinitionsItem: { fields: { name: str(1), value: msg('SecurityDefinitionsItem', 2) } },
  SecurityDefinitionsItem: { fields: { apiKeySecurity: msg('ApiKeySecurity', 2) }, oneofs: oneof('apiKeySecurity') },
  ApiKeySecurity: { fields: { type: str(1), name: str(2), in: str(3), description: str(4), vendorExtension: rep('NamedAny', 5) } },
  SecurityRequirement: { fields: { additionalProperties: rep('NamedStringArray', 1) } },
  NamedStringArray: { fields: { name: str(1), value: msg('StringArray', 2) } },
  StringArray: { fields: { value: rep('string', 1) } },
};

let root: protobuf.Root | undefined;

/** A message type of the openapi.v2 package. */
export function gnosticType(name: string): protobuf.Type {
  root ??= protobuf.Root.fromJSON({ nested: { openapi: { nested: { v2: { nested: messages } } } } });
  return root.lookupType(`openapi.v2.${name}`);
}
