/** core/v1: Object references shared across core/v1 (ObjectReference, LocalObjectReference, typed references). */
import type { FieldDef } from '../../../machinery/schema/dsl.js';
import { defineTypes, field, string } from '../../../machinery/schema/dsl.js';
import { LOCAL_OBJECT_REFERENCE, OBJECT_REFERENCE, TYPED_LOCAL_OBJECT_REFERENCE, TYPED_OBJECT_REFERENCE } from './pod-names.js';

/** The fields of LocalObjectReference, also inlined (JSON) into the types that embed it. */
export const localObjectReferenceFields: Readonly<Record<string, FieldDef>> = {
  name: field(
    1,
    string,
    'Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty.',
    { default: '' },
  ),
};

defineTypes(
  {
    name: OBJECT_REFERENCE,
    description: 'ObjectReference contains enough information to let you inspect or modify the referred object.',
    atomic: true,
    fields: {
      kind: field(
        1,
        string,
        'Kind of the referent. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ),
      namespace: field(
        2,
        string,
        'Namespace of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/',
      ),
      name: field(
        3,
        string,
        'Name of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
      ),
      uid: field(
        4,
        string,
        'UID of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#uids',
      ),
      apiVersion: field(5, string, 'API version of the referent.'),
      resourceVersion: field(
        6,
        string,
        'Specific resourceVersion to which this reference is made, if any. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency',
      ),
      fieldPath: field(
        7,
        string,
        'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].',
      ),
    },
  },
  {
    name: LOCAL_OBJECT_REFERENCE,
    description: 'LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.',
    atomic: true,
    fields: localObjectReferenceFields,
  },
  {
    name: TYPED_LOCAL_OBJECT_REFERENCE,
    description:
      'TypedLocalObjectReference contains enough information to let you locate the typed referenced object inside the same namespace.',
    atomic: true,
    required: ['kind', 'name'],
    fields: {
      apiGroup: field(
        1,
        string,
        'APIGroup is the group for the resource being referenced. If APIGroup is not specified, the specified Kind must be in the core API group.',
      ),
      kind: field(2, string, 'Kind is the type of resource being referenced.'),
      name: field(3, string, 'Name is the name of resource being referenced.'),
    },
  },
  {
    name: TYPED_OBJECT_REFERENCE,
    description: 'TypedObjectReference contains enough information to let you locate the typed referenced object.',
    required: ['kind', 'name'],
    fields: {
      apiGroup: field(
        1,
        string,
        'APIGroup is the group for the resource being referenced. If APIGroup is not specified, the specified Kind must be in the core API group.',
      ),
      kind: field(2, string, 'Kind is the type of resource being referenced.'),
      name: field(3, string, 'Name is the name of resource being referenced.'),
      namespace: field(
        4,
        string,
        "Namespace is the namespace of resource being referenced Note that when a namespace is specified, a gateway.networking.k8s.io/ReferenceGrant object is required in the referent namespace to allow that namespace's owner to accept the reference.",
      ),
    },
  },
);
