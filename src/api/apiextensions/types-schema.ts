/** apiextensions.k8s.io/v1 JSONSchemaProps, the structural schema of a custom resource version. */
import { boolean, defineTypes, double, field, int64, json, list, map, ref, string } from '../../machinery/schema/dsl.js';

/** Definition-name prefix of this group version. */
export const APIEXTENSIONS_V1 = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

export const JSON_SCHEMA_PROPS = `${APIEXTENSIONS_V1}.JSONSchemaProps`;
export const VALIDATION_RULE = `${APIEXTENSIONS_V1}.ValidationRule`;
export const EXTERNAL_DOCUMENTATION = `${APIEXTENSIONS_V1}.ExternalDocumentation`;

defineTypes(
  {
    name: `${APIEXTENSIONS_V1}.JSONSchemaProps`,
    description: 'JSONSchemaProps is a JSON-Schema following Specification Draft 4 (http://json-schema.org/).',
    fields: {
      id: field(1, string),
      $schema: field(2, string),
      $ref: field(3, string),
      description: field(4, string),
      type: field(5, string),
      format: field(6, string, 'format is an OpenAPI v3 format string. Unknown formats are ignored.'),
      title: field(7, string),
      default: field(
        8,
        json,
        'default is a default value for undefined object fields. Defaulting is a beta feature under the CustomResourceDefaulting feature gate.',
      ),
      maximum: field(9, double),
      exclusiveMaximum: field(10, boolean),
      minimum: field(11, double),
      exclusiveMinimum: field(12, boolean),
      maxLength: field(13, int64),
      minLength: field(14, int64),
      pattern: field(15, string),
      maxItems: field(16, int64),
      minItems: field(17, int64),
      uniqueItems: field(18, boolean),
      multipleOf: field(19, double),
      enum: field(
        20,
        list(json),
        'JSON represents any valid JSON value. These types are supported: bool, int64, float64, string, []interface{}, map[string]interface{} and nil.',
        { listType: 'atomic' },
      ),
      maxProperties: field(21, int64),
      minProperties: field(22, int64),
      required: field(23, list(string), undefined, { listType: 'atomic' }),
      // items, additionalProperties, additionalItems and dependencies are unions in JSON (a schema, or an
      // array / boolean / string array), so they are declared as free JSON values: OpenAPI then shows
      // them untyped and pruning keeps them whole. In protobuf each is a small wrapper message
      // (OrArray: schema=1, jSONSchemas=2; OrBool: allows=1, schema=2; OrStringArray: schema=1,
      // property=2), not a raw JSON blob; CRDs are written as JSON by kubectl and client-go.
      items: field(
        24,
        json,
        'JSONSchemaPropsOrArray represents a value that can either be a JSONSchemaProps or an array of JSONSchemaProps. Mainly here for serialization purposes.',
      ),
      allOf: field(25, list(ref(`${APIEXTENSIONS_V1}.JSONSchemaProps`)), undefined, { listType: 'atomic' }),
      oneOf: field(26, list(ref(`${APIEXTENSIONS_V1}.JSONSchemaProps`)), undefined, { listType: 'atomic' }),
      anyOf: field(27, list(ref(`${APIEXTENSIONS_V1}.JSONSchemaProps`)), undefined, { listType: 'atomic' }),
      not: field(28, ref(`${APIEXTENSIONS_V1}.JSONSchemaProps`)),
      properties: field(29, map(ref(`${APIEXTENSIONS_V1}.JSONSchemaProps`))),
      additionalProperties: field(
        30,
        json,
        'JSONSchemaPropsOrBool represents JSONSchemaProps or a boolean value. Defaults to true for the boolean property.',
      ),
      patternProperties: field(31, map(ref(`${APIEXTENSIONS_V1}.JSONSchemaProps`))),
      dependencies: field(32, map(json), 'JSONSchemaPropsOrStringArray represents a JSONSchemaProps or a string array.'),
      additionalItems: field(
        33,
        json,
        'JSONSchemaPropsOrBool represents JSONSchemaProps or a boolean value. Defaults to true for the boolean property.',
      ),
      definitions: field(34, map(ref(`${APIEXTENSIONS_V1}.JSONSchemaProps`))),
      externalDocs: field(35, ref(`${APIEXTENSIONS_V1}.ExternalDocumentation`)),
      example: field(
        36,
        json,
        'JSON represents any valid JSON value. These types are supported: bool, int64, float64, string, []interface{}, map[string]interface{} and nil.',
      ),
      nullable: field(37, boolean),
      'x-kubernetes-preserve-unknown-fields': field(
        38,
        boolean,
        'x-kubernetes-preserve-unknown-fields stops the API server decoding step from pruning fields which are not specified in the validation schema.',
      ),
      'x-kubernetes-embedded-resource': field(
        39,
        boolean,
        'x-kubernetes-embedded-resource defines that the value is an embedded Kubernetes runtime.Object, with TypeMeta and ObjectMeta. The type must be object.',
      ),
      'x-kubernetes-int-or-string': field(
        40,
        boolean,
        'x-kubernetes-int-or-string specifies that this value is either an integer or a string.',
      ),
      'x-kubernetes-list-map-keys': field(
        41,
        list(string),
        'x-kubernetes-list-map-keys annotates an array with the x-kubernetes-list-type `map` by specifying the keys used as the index of the map. This tag MUST only be used on lists that have the "x-kubernetes-list-type" extension set to "map".',
        { listType: 'atomic' },
      ),
      'x-kubernetes-list-type': field(
        42,
        string,
        'x-kubernetes-list-type annotates an array to further describe its topology. This extension must only be used on lists and may have 3 possible values: 1) `atomic`: the list is treated as a single entity, like a scalar.',
      ),
      'x-kubernetes-map-type': field(43, string, 'x-kubernetes-map-type annotates an object to further describe its topology.'),
      'x-kubernetes-validations': field(
        44,
        list(ref(`${APIEXTENSIONS_V1}.ValidationRule`)),
        'x-kubernetes-validations describes a list of validation rules written in the CEL expression language.',
        { patchStrategy: 'merge', patchMergeKey: 'rule', listType: 'map', listMapKeys: ['rule'] },
      ),
    },
  },
  {
    name: `${APIEXTENSIONS_V1}.ExternalDocumentation`,
    description: 'ExternalDocumentation allows referencing an external resource for extended documentation.',
    fields: {
      description: field(1, string),
      url: field(2, string),
    },
  },
  {
    name: `${APIEXTENSIONS_V1}.ValidationRule`,
    description: 'ValidationRule describes a validation rule written in the CEL expression language.',
    required: ['rule'],
    fields: {
      rule: field(
        1,
        string,
        'Rule represents the expression which will be evaluated by CEL. ref: https://github.com/google/cel-spec The Rule is scoped to the location of the x-kubernetes-validations extension in the schema.',
      ),
      message: field(
        2,
        string,
        'Message represents the message displayed when validation fails. The message is required if the Rule contains line breaks.',
      ),
      messageExpression: field(
        3,
        string,
        'MessageExpression declares a CEL expression that evaluates to the validation failure message that is returned when this rule fails. Since messageExpression is used as a failure message, it must evaluate to a string.',
      ),
      reason: field(
        4,
        string,
        'reason provides a machine-readable validation failure reason that is returned to the caller when a request fails this validation rule. The HTTP status code returned to the caller will match the reason of the reason of the first failed validation rule.',
        { enum: ['FieldValueRequired', 'FieldValueDuplicate', 'FieldValueInvalid', 'FieldValueForbidden'] },
      ),
      fieldPath: field(5, string, 'fieldPath represents the field path returned when the validation fails.'),
      optionalOldSelf: field(
        6,
        boolean,
        'optionalOldSelf is used to opt a transition rule into evaluation even when the object is first created, or if the old object is missing the value.',
      ),
    },
  },
);
