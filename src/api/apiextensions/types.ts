/** apiextensions.k8s.io/v1 types (k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1); field numbers from
 * upstream's generated.proto. JSONSchemaProps and its parts live beside it in types-schema.ts. */
import { boolean, bytes, defineTypes, field, int32, list, LIST_META, OBJECT_META, ref, string, time } from '../../machinery/schema/dsl.js';
import { APIEXTENSIONS_V1 } from './types-schema.js';

export { APIEXTENSIONS_V1, JSON_SCHEMA_PROPS, VALIDATION_RULE, EXTERNAL_DOCUMENTATION } from './types-schema.js';

export const CUSTOM_RESOURCE_DEFINITION = `${APIEXTENSIONS_V1}.CustomResourceDefinition`;
export const CUSTOM_RESOURCE_DEFINITION_LIST = `${APIEXTENSIONS_V1}.CustomResourceDefinitionList`;

defineTypes(
  {
    name: `${APIEXTENSIONS_V1}.CustomResourceDefinition`,
    description:
      'CustomResourceDefinition represents a resource that should be exposed on the API server. Its name MUST be in the format <.spec.name>.<.spec.group>.',
    gvk: { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' },
    required: ['spec'],
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata"),
      spec: field(2, ref(`${APIEXTENSIONS_V1}.CustomResourceDefinitionSpec`), 'spec describes how the user wants the resources to appear'),
      status: field(
        3,
        ref(`${APIEXTENSIONS_V1}.CustomResourceDefinitionStatus`),
        'status indicates the actual state of the CustomResourceDefinition',
      ),
    },
  },
  {
    name: `${APIEXTENSIONS_V1}.CustomResourceDefinitionList`,
    description: 'CustomResourceDefinitionList is a list of CustomResourceDefinition objects.',
    gvk: { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinitionList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), "Standard object's metadata"),
      items: field(2, list(ref(`${APIEXTENSIONS_V1}.CustomResourceDefinition`)), 'items list individual CustomResourceDefinition objects'),
    },
  },
  {
    name: `${APIEXTENSIONS_V1}.CustomResourceDefinitionSpec`,
    description: 'CustomResourceDefinitionSpec describes how a user wants their resource to appear',
    required: ['group', 'names', 'scope', 'versions'],
    fields: {
      group: field(
        1,
        string,
        'group is the API group of the defined custom resource. The custom resources are served under `/apis/<group>/...`.',
      ),
      names: field(
        3,
        ref(`${APIEXTENSIONS_V1}.CustomResourceDefinitionNames`),
        'names specify the resource and kind names for the custom resource.',
      ),
      scope: field(
        4,
        string,
        'scope indicates whether the defined custom resource is cluster- or namespace-scoped. Allowed values are `Cluster` and `Namespaced`.',
      ),
      versions: field(
        7,
        list(ref(`${APIEXTENSIONS_V1}.CustomResourceDefinitionVersion`)),
        'versions is the list of all API versions of the defined custom resource. Version names are used to compute the order in which served versions are listed in API discovery.',
        { listType: 'atomic' },
      ),
      conversion: field(9, ref(`${APIEXTENSIONS_V1}.CustomResourceConversion`), 'conversion defines conversion settings for the CRD.'),
      preserveUnknownFields: field(
        10,
        boolean,
        'preserveUnknownFields indicates that object fields which are not specified in the OpenAPI schema should be preserved when persisting to storage. apiVersion, kind, metadata and known fields inside metadata are always preserved.',
      ),
    },
  },
  {
    name: `${APIEXTENSIONS_V1}.CustomResourceDefinitionStatus`,
    description: 'CustomResourceDefinitionStatus indicates the state of the CustomResourceDefinition',
    fields: {
      conditions: field(
        1,
        list(ref(`${APIEXTENSIONS_V1}.CustomResourceDefinitionCondition`)),
        'conditions indicate state for particular aspects of a CustomResourceDefinition',
        { listType: 'map', listMapKeys: ['type'] },
      ),
      acceptedNames: field(
        2,
        ref(`${APIEXTENSIONS_V1}.CustomResourceDefinitionNames`),
        'acceptedNames are the names that are actually being used to serve discovery. They may be different than the names in spec.',
      ),
      storedVersions: field(
        3,
        list(string),
        'storedVersions lists all versions of CustomResources that were ever persisted. Tracking these versions allows a migration path for stored versions in etcd.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${APIEXTENSIONS_V1}.CustomResourceDefinitionNames`,
    description: 'CustomResourceDefinitionNames indicates the names to serve this CustomResourceDefinition',
    required: ['plural', 'kind'],
    fields: {
      plural: field(
        1,
        string,
        'plural is the plural name of the resource to serve. The custom resources are served under `/apis/<group>/<version>/.../<plural>`.',
      ),
      singular: field(2, string, 'singular is the singular name of the resource. It must be all lowercase.'),
      shortNames: field(
        3,
        list(string),
        'shortNames are short names for the resource, exposed in API discovery documents, and used by clients to support invocations like `kubectl get <shortname>`. It must be all lowercase.',
        { listType: 'atomic' },
      ),
      kind: field(4, string, 'kind is the serialized kind of the resource. It is normally CamelCase and singular.'),
      listKind: field(5, string, 'listKind is the serialized kind of the list for this resource. Defaults to "`kind`List".'),
      categories: field(
        6,
        list(string),
        "categories is a list of grouped resources this custom resource belongs to (e.g. 'all'). This is published in API discovery documents, and used by clients to support invocations like `kubectl get all`.",
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${APIEXTENSIONS_V1}.CustomResourceDefinitionVersion`,
    description: 'CustomResourceDefinitionVersion describes a version for CRD.',
    required: ['name', 'served', 'storage'],
    fields: {
      name: field(
        1,
        string,
        'name is the version name, e.g. “v1”, “v2beta1”, etc. The custom resources are served under this version at `/apis/<group>/<version>/...` if `served` is true.',
      ),
      served: field(2, boolean, 'served is a flag enabling/disabling this version from being served via REST APIs'),
      storage: field(
        3,
        boolean,
        'storage indicates this version should be used when persisting custom resources to storage. There must be exactly one version with storage=true.',
      ),
      deprecated: field(
        7,
        boolean,
        'deprecated indicates this version of the custom resource API is deprecated. When set to true, API requests to this version receive a warning header in the server response.',
      ),
      deprecationWarning: field(
        8,
        string,
        'deprecationWarning overrides the default warning returned to API clients. May only be set when `deprecated` is true.',
      ),
      schema: field(
        4,
        ref(`${APIEXTENSIONS_V1}.CustomResourceValidation`),
        'schema describes the schema used for validation, pruning, and defaulting of this version of the custom resource.',
      ),
      subresources: field(
        5,
        ref(`${APIEXTENSIONS_V1}.CustomResourceSubresources`),
        'subresources specify what subresources this version of the defined custom resource have.',
      ),
      additionalPrinterColumns: field(
        6,
        list(ref(`${APIEXTENSIONS_V1}.CustomResourceColumnDefinition`)),
        'additionalPrinterColumns specifies additional columns returned in Table output. See https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables for details.',
        { listType: 'atomic' },
      ),
      selectableFields: field(
        9,
        list(ref(`${APIEXTENSIONS_V1}.SelectableField`)),
        'selectableFields specifies paths to fields that may be used as field selectors. A maximum of 8 selectable fields are allowed.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${APIEXTENSIONS_V1}.CustomResourceConversion`,
    description: 'CustomResourceConversion describes how to convert different versions of a CR.',
    required: ['strategy'],
    fields: {
      strategy: field(1, string, 'strategy specifies how custom resources are converted between versions.'),
      webhook: field(
        2,
        ref(`${APIEXTENSIONS_V1}.WebhookConversion`),
        'webhook describes how to call the conversion webhook. Required when `strategy` is set to `"Webhook"`.',
      ),
    },
  },
  {
    name: `${APIEXTENSIONS_V1}.CustomResourceDefinitionCondition`,
    description: 'CustomResourceDefinitionCondition contains details for the current condition of this pod.',
    required: ['type', 'status'],
    fields: {
      type: field(1, string, 'type is the type of the condition. Types include Established, NamesAccepted and Terminating.'),
      status: field(2, string, 'status is the status of the condition. Can be True, False, Unknown.'),
      lastTransitionTime: field(3, time, 'lastTransitionTime last time the condition transitioned from one status to another.'),
      reason: field(4, string, "reason is a unique, one-word, CamelCase reason for the condition's last transition."),
      message: field(5, string, 'message is a human-readable message indicating details about last transition.'),
    },
  },
  {
    name: `${APIEXTENSIONS_V1}.CustomResourceValidation`,
    description: 'CustomResourceValidation is a list of validation methods for CustomResources.',
    fields: {
      openAPIV3Schema: field(
        1,
        ref(`${APIEXTENSIONS_V1}.JSONSchemaProps`),
        'openAPIV3Schema is the OpenAPI v3 schema to use for validation and pruning.',
      ),
    },
  },
  {
    name: `${APIEXTENSIONS_V1}.CustomResourceSubresources`,
    description: 'CustomResourceSubresources defines the status and scale subresources for CustomResources.',
    fields: {
      status: field(
        1,
        ref(`${APIEXTENSIONS_V1}.CustomResourceSubresourceStatus`),
        'status indicates the custom resource should serve a `/status` subresource.',
      ),
      scale: field(
        2,
        ref(`${APIEXTENSIONS_V1}.CustomResourceSubresourceScale`),
        'scale indicates the custom resource should serve a `/scale` subresource that returns an `autoscaling/v1` Scale object.',
      ),
    },
  },
  {
    name: `${APIEXTENSIONS_V1}.CustomResourceColumnDefinition`,
    description: 'CustomResourceColumnDefinition specifies a column for server side printing.',
    required: ['name', 'type', 'jsonPath'],
    fields: {
      name: field(1, string, 'name is a human readable name for the column.'),
      type: field(
        2,
        string,
        'type is an OpenAPI type definition for this column. See https://github.com/OAI/OpenAPI-Specification/blob/master/versions/2.0.md#data-types for details.',
      ),
      format: field(
        3,
        string,
        "format is an optional OpenAPI type definition for this column. The 'name' format is applied to the primary identifier column to assist in clients identifying column is the resource name.",
      ),
      description: field(4, string, 'description is a human readable description of this column.'),
      priority: field(
        5,
        int32,
        'priority is an integer defining the relative importance of this column compared to others. Lower numbers are considered higher priority.',
      ),
      jsonPath: field(
        6,
        string,
        'jsonPath is a simple JSON path (i.e. with array notation) which is evaluated against each custom resource to produce the value for this column.',
      ),
    },
  },
  {
    name: `${APIEXTENSIONS_V1}.SelectableField`,
    description: 'SelectableField specifies the JSON path of a field that may be used with field selectors.',
    required: ['jsonPath'],
    fields: {
      jsonPath: field(
        1,
        string,
        'jsonPath is a simple JSON path which is evaluated against each custom resource to produce a field selector value. Only JSON paths without the array notation are allowed.',
      ),
    },
  },
  {
    name: `${APIEXTENSIONS_V1}.WebhookConversion`,
    description: 'WebhookConversion describes how to call a conversion webhook',
    required: ['conversionReviewVersions'],
    fields: {
      clientConfig: field(
        2,
        ref(`${APIEXTENSIONS_V1}.WebhookClientConfig`),
        'clientConfig is the instructions for how to call the webhook if strategy is `Webhook`.',
      ),
      conversionReviewVersions: field(
        3,
        list(string),
        'conversionReviewVersions is an ordered list of preferred `ConversionReview` versions the Webhook expects. The API server will use the first version in the list which it supports.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${APIEXTENSIONS_V1}.CustomResourceSubresourceStatus`,
    description:
      'CustomResourceSubresourceStatus defines how to serve the status subresource for CustomResources. Status is represented by the `.status` JSON path inside of a CustomResource.',
    fields: {},
  },
  {
    name: `${APIEXTENSIONS_V1}.CustomResourceSubresourceScale`,
    description: 'CustomResourceSubresourceScale defines how to serve the scale subresource for CustomResources.',
    required: ['specReplicasPath', 'statusReplicasPath'],
    fields: {
      specReplicasPath: field(
        1,
        string,
        'specReplicasPath defines the JSON path inside of a custom resource that corresponds to Scale `spec.replicas`. Only JSON paths without the array notation are allowed.',
      ),
      statusReplicasPath: field(
        2,
        string,
        'statusReplicasPath defines the JSON path inside of a custom resource that corresponds to Scale `status.replicas`. Only JSON paths without the array notation are allowed.',
      ),
      labelSelectorPath: field(
        3,
        string,
        'labelSelectorPath defines the JSON path inside of a custom resource that corresponds to Scale `status.selector`. Only JSON paths without the array notation are allowed.',
      ),
    },
  },
  {
    name: `${APIEXTENSIONS_V1}.WebhookClientConfig`,
    description: 'WebhookClientConfig contains the information to make a TLS connection with the webhook.',
    fields: {
      url: field(
        3,
        string,
        'url gives the location of the webhook, in standard URL form (`scheme://host:port/path`). Exactly one of `url` or `service` must be specified.',
      ),
      service: field(
        1,
        ref(`${APIEXTENSIONS_V1}.ServiceReference`),
        'service is a reference to the service for this webhook. Either service or url must be specified.',
      ),
      caBundle: field(
        2,
        bytes,
        "caBundle is a PEM encoded CA bundle which will be used to validate the webhook's server certificate. If unspecified, system trust roots on the apiserver are used.",
      ),
    },
  },
  {
    name: `${APIEXTENSIONS_V1}.ServiceReference`,
    description: 'ServiceReference holds a reference to Service.legacy.k8s.io',
    required: ['namespace', 'name'],
    fields: {
      namespace: field(1, string, 'namespace is the namespace of the service. Required'),
      name: field(2, string, 'name is the name of the service. Required'),
      path: field(3, string, 'path is an optional URL path at which the webhook will be contacted.'),
      port: field(
        4,
        int32,
        'port is an optional service port at which the webhook will be contacted. `port` should be a valid port number (1-65535, inclusive).',
      ),
    },
  },
);
