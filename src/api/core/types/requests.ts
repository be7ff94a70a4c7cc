/** Bodies of requests and subresources the apiserver decodes: DeleteOptions and Status (meta/v1), TokenRequest (serviceaccounts/token), Eviction (pods/eviction) and Scale (the scale subresource). */
import {
  boolean,
  defineTypes,
  field,
  int32,
  int64,
  list,
  LIST_META,
  META,
  OBJECT_META,
  ref,
  string,
  time,
} from '../../../machinery/schema/dsl.js';

defineTypes(
  {
    name: `${META}.DeleteOptions`,
    description: 'DeleteOptions may be provided when deleting an API object.',
    gvk: { group: '', version: 'v1', kind: 'DeleteOptions' },
    fields: {
      gracePeriodSeconds: field(
        1,
        int64,
        'The duration in seconds before the object should be deleted. Value must be non-negative integer.',
      ),
      preconditions: field(
        2,
        ref(`${META}.Preconditions`),
        'Must be fulfilled before a deletion is carried out. If not possible, a 409 Conflict status will be returned.',
      ),
      orphanDependents: field(
        3,
        boolean,
        'Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned.',
      ),
      propagationPolicy: field(
        4,
        string,
        'Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both.',
      ),
      dryRun: field(
        5,
        list(string),
        'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request.',
        { listType: 'atomic' },
      ),
      ignoreStoreReadErrorWithClusterBreakingPotential: field(
        6,
        boolean,
        'if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a corrupt object error. A resource is considered corrupt if it can not be retrieved from the underlying storage successfully because of a) its data can not be transformed e.g. decryption failure, or b) it fails to decode into an object.',
      ),
    },
  },
  {
    name: `${META}.Preconditions`,
    description: 'Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.',
    fields: {
      uid: field(1, string, 'Specifies the target UID.'),
      resourceVersion: field(2, string, 'Specifies the target ResourceVersion'),
    },
  },
  {
    name: `${META}.Status`,
    description: "Status is a return value for calls that don't return other objects.",
    gvk: { group: '', version: 'v1', kind: 'Status' },
    fields: {
      metadata: field(1, ref(LIST_META), 'Standard list metadata.'),
      status: field(2, string, 'Status of the operation. One of: "Success" or "Failure".'),
      message: field(3, string, 'A human-readable description of the status of this operation.'),
      reason: field(
        4,
        string,
        'A machine-readable description of why this operation is in the "Failure" status. If this value is empty there is no information available.',
      ),
      details: field(
        5,
        ref(`${META}.StatusDetails`),
        'Extended data associated with the reason. Each reason may define its own extended details.',
      ),
      code: field(6, int32, 'Suggested HTTP return code for this status, 0 if not set.'),
    },
  },
  {
    name: `${META}.StatusDetails`,
    description:
      'StatusDetails is a set of additional properties that MAY be set by the server to provide additional information about a response. The Reason field of a Status object defines what attributes will be set.',
    fields: {
      name: field(
        1,
        string,
        'The name attribute of the resource associated with the status StatusReason (when there is a single name which can be described).',
      ),
      group: field(2, string, 'The group attribute of the resource associated with the status StatusReason.'),
      kind: field(
        3,
        string,
        'The kind attribute of the resource associated with the status StatusReason. On some operations may differ from the requested resource Kind.',
      ),
      uid: field(6, string, 'UID of the resource. (when there is a single resource which can be described).'),
      causes: field(
        4,
        list(ref(`${META}.StatusCause`)),
        'The Causes array includes more details associated with the StatusReason failure. Not all StatusReasons may provide detailed causes.',
        { listType: 'atomic' },
      ),
      retryAfterSeconds: field(
        5,
        int32,
        'If specified, the time in seconds before the operation should be retried. Some errors may indicate the client must take an alternate action - for those errors this field may indicate how long to wait before taking the alternate action.',
      ),
    },
  },
  {
    name: `${META}.StatusCause`,
    description: 'StatusCause provides more information about an api.Status failure, including cases when multiple errors are encountered.',
    fields: {
      reason: field(
        1,
        string,
        'A machine-readable description of the cause of the error. If this value is empty there is no information available.',
      ),
      message: field(2, string, 'A human-readable description of the cause of the error. This field may be presented as-is to a reader.'),
      field: field(
        3,
        string,
        'The field of the resource that has caused this error, as named by its JSON serialization. May include dot and postfix notation for nested attributes.',
      ),
    },
  },
  {
    name: 'io.k8s.api.authentication.v1.TokenRequest',
    description: 'TokenRequest requests a token for a given service account.',
    gvk: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' },
    required: ['spec'],
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      spec: field(2, ref('io.k8s.api.authentication.v1.TokenRequestSpec'), 'Spec holds information about the request being evaluated'),
      status: field(
        3,
        ref('io.k8s.api.authentication.v1.TokenRequestStatus'),
        'Status is filled in by the server and indicates whether the token can be authenticated.',
      ),
    },
  },
  {
    name: 'io.k8s.api.authentication.v1.TokenRequestSpec',
    description: 'TokenRequestSpec contains client provided parameters of a token request.',
    required: ['audiences'],
    fields: {
      audiences: field(
        1,
        list(string),
        'Audiences are the intendend audiences of the token. A recipient of a token must identify themself with an identifier in the list of audiences of the token, and otherwise should reject the token.',
        { listType: 'atomic' },
      ),
      expirationSeconds: field(
        4,
        int64,
        "ExpirationSeconds is the requested duration of validity of the request. The token issuer may return a token with a different validity duration so a client needs to check the 'expiration' field in a response.",
      ),
      boundObjectRef: field(
        3,
        ref('io.k8s.api.authentication.v1.BoundObjectReference'),
        'BoundObjectRef is a reference to an object that the token will be bound to. The token will only be valid for as long as the bound object exists.',
      ),
    },
  },
  {
    name: 'io.k8s.api.authentication.v1.TokenRequestStatus',
    description: 'TokenRequestStatus is the result of a token request.',
    required: ['token', 'expirationTimestamp'],
    fields: {
      token: field(1, string, 'Token is the opaque bearer token.'),
      expirationTimestamp: field(2, time, 'ExpirationTimestamp is the time of expiration of the returned token.'),
    },
  },
  {
    name: 'io.k8s.api.authentication.v1.BoundObjectReference',
    description: 'BoundObjectReference is a reference to an object that a token is bound to.',
    fields: {
      kind: field(1, string, "Kind of the referent. Valid kinds are 'Pod' and 'Secret'."),
      apiVersion: field(2, string, 'API version of the referent.'),
      name: field(3, string, 'Name of the referent.'),
      uid: field(4, string, 'UID of the referent.'),
    },
  },
  {
    name: 'io.k8s.api.policy.v1.Eviction',
    description: 'Eviction evicts a pod from its node subject to certain policies and safety constraints. This is a subresource of Pod.',
    gvk: { group: 'policy', version: 'v1', kind: 'Eviction' },
    fields: {
      metadata: field(1, ref(OBJECT_META), 'ObjectMeta describes the pod that is being evicted.'),
      deleteOptions: field(2, ref(`${META}.DeleteOptions`), 'DeleteOptions may be provided'),
    },
  },
  {
    name: 'io.k8s.api.autoscaling.v1.Scale',
    description: 'Scale represents a scaling request for a resource.',
    gvk: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
    fields: {
      metadata: field(1, ref(OBJECT_META), 'Standard object metadata;'),
      spec: field(2, ref('io.k8s.api.autoscaling.v1.ScaleSpec'), 'spec defines the behavior of the scale.'),
      status: field(3, ref('io.k8s.api.autoscaling.v1.ScaleStatus'), 'status is the current status of the scale. Read-only.'),
    },
  },
  {
    name: 'io.k8s.api.autoscaling.v1.ScaleSpec',
    description: 'ScaleSpec describes the attributes of a scale subresource.',
    fields: {
      replicas: field(1, int32, 'replicas is the desired number of instances for the scaled object.'),
    },
  },
  {
    name: 'io.k8s.api.autoscaling.v1.ScaleStatus',
    description: 'ScaleStatus represents the current status of a scale subresource.',
    required: ['replicas'],
    fields: {
      replicas: field(1, int32, 'replicas is the actual number of observed instances of the scaled object.'),
      selector: field(
        2,
        string,
        'selector is the label query over pods that should match the replicas count. This is same as the label selector but in the string format to avoid introspection by clients.',
      ),
    },
  },
);
