/** core/v1: Container environment: EnvVar, EnvVarSource and its selectors, EnvFromSource. */
import { boolean, defineTypes, field, quantity, ref, string } from '../../../machinery/schema/dsl.js';
import { embed } from './pod-embedding.js';
import { localObjectReferenceFields } from './pod-references.js';
import {
  CONFIG_MAP_ENV_SOURCE,
  CONFIG_MAP_KEY_SELECTOR,
  ENV_FROM_SOURCE,
  ENV_VAR,
  ENV_VAR_SOURCE,
  FILE_KEY_SELECTOR,
  LOCAL_OBJECT_REFERENCE,
  OBJECT_FIELD_SELECTOR,
  RESOURCE_FIELD_SELECTOR,
  SECRET_ENV_SOURCE,
  SECRET_KEY_SELECTOR,
} from './pod-names.js';

defineTypes(
  {
    name: ENV_VAR,
    description: 'EnvVar represents an environment variable present in a Container.',
    required: ['name'],
    fields: {
      name: field(1, string, "Name of the environment variable. May consist of any printable ASCII characters except '='."),
      value: field(
        2,
        string,
        'Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables.',
      ),
      valueFrom: field(3, ref(ENV_VAR_SOURCE), "Source for the environment variable's value. Cannot be used if value is not empty."),
    },
  },
  {
    name: ENV_VAR_SOURCE,
    description: 'EnvVarSource represents a source for the value of an EnvVar.',
    fields: {
      fieldRef: field(
        1,
        ref(OBJECT_FIELD_SELECTOR),
        "Selects a field of the pod: supports metadata.name, metadata.namespace, `metadata.labels['<KEY>']`, `metadata.annotations['<KEY>']`, spec.nodeName, spec.serviceAccountName, status.hostIP, status.podIP, status.podIPs.",
      ),
      resourceFieldRef: field(
        2,
        ref(RESOURCE_FIELD_SELECTOR),
        'Selects a resource of the container: only resources limits and requests (limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, requests.memory and requests.ephemeral-storage) are currently supported.',
      ),
      configMapKeyRef: field(3, ref(CONFIG_MAP_KEY_SELECTOR), 'Selects a key of a ConfigMap.'),
      secretKeyRef: field(4, ref(SECRET_KEY_SELECTOR), "Selects a key of a secret in the pod's namespace."),
      fileKeyRef: field(
        5,
        ref(FILE_KEY_SELECTOR),
        'FileKeyRef selects a key of the env file. Requires the EnvFiles feature gate to be enabled.',
      ),
    },
  },
  {
    name: CONFIG_MAP_KEY_SELECTOR,
    description: 'Selects a key from a ConfigMap.',
    atomic: true,
    required: ['key'],
    fields: {
      ...embed(CONFIG_MAP_KEY_SELECTOR, 1, LOCAL_OBJECT_REFERENCE, localObjectReferenceFields),
      key: field(2, string, 'The key to select.'),
      optional: field(3, boolean, 'Specify whether the ConfigMap or its key must be defined.'),
    },
  },
  {
    name: SECRET_KEY_SELECTOR,
    description: 'SecretKeySelector selects a key of a Secret.',
    atomic: true,
    required: ['key'],
    fields: {
      ...embed(SECRET_KEY_SELECTOR, 1, LOCAL_OBJECT_REFERENCE, localObjectReferenceFields),
      key: field(2, string, 'The key of the secret to select from. Must be a valid secret key.'),
      optional: field(3, boolean, 'Specify whether the Secret or its key must be defined.'),
    },
  },
  {
    name: OBJECT_FIELD_SELECTOR,
    description: 'ObjectFieldSelector selects an APIVersioned field of an object.',
    atomic: true,
    required: ['fieldPath'],
    fields: {
      apiVersion: field(1, string, 'Version of the schema the FieldPath is written in terms of, defaults to "v1".'),
      fieldPath: field(2, string, 'Path of the field to select in the specified API version.'),
    },
  },
  {
    name: RESOURCE_FIELD_SELECTOR,
    description: 'ResourceFieldSelector represents container resources (cpu, memory) and their output format.',
    atomic: true,
    required: ['resource'],
    fields: {
      containerName: field(1, string, 'Container name: required for volumes, optional for env vars.'),
      resource: field(2, string, 'Required: resource to select.'),
      divisor: field(3, quantity, 'Specifies the output format of the exposed resources, defaults to "1".'),
    },
  },
  {
    name: ENV_FROM_SOURCE,
    description: 'EnvFromSource represents the source of a set of ConfigMaps or Secrets.',
    fields: {
      prefix: field(
        1,
        string,
        "Optional text to prepend to the name of each environment variable. May consist of any printable ASCII characters except '='.",
      ),
      configMapRef: field(2, ref(CONFIG_MAP_ENV_SOURCE), 'The ConfigMap to select from.'),
      secretRef: field(3, ref(SECRET_ENV_SOURCE), 'The Secret to select from.'),
    },
  },
  {
    name: CONFIG_MAP_ENV_SOURCE,
    description: 'ConfigMapEnvSource selects a ConfigMap to populate the environment variables with.',
    fields: {
      ...embed(CONFIG_MAP_ENV_SOURCE, 1, LOCAL_OBJECT_REFERENCE, localObjectReferenceFields),
      optional: field(2, boolean, 'Specify whether the ConfigMap must be defined.'),
    },
  },
  {
    name: SECRET_ENV_SOURCE,
    description: 'SecretEnvSource selects a Secret to populate the environment variables with.',
    fields: {
      ...embed(SECRET_ENV_SOURCE, 1, LOCAL_OBJECT_REFERENCE, localObjectReferenceFields),
      optional: field(2, boolean, 'Specify whether the Secret must be defined.'),
    },
  },
  {
    name: FILE_KEY_SELECTOR,
    description: 'FileKeySelector selects a key of the env file.',
    atomic: true,
    required: ['volumeName', 'path', 'key'],
    fields: {
      volumeName: field(1, string, 'The name of the volume mount containing the env file.'),
      path: field(
        2,
        string,
        "The path within the volume from which to select the file. Must be relative and may not contain the '..' path or start with '..'.",
      ),
      key: field(3, string, 'The key within the env file. An invalid key will prevent the pod from starting.'),
      optional: field(
        4,
        boolean,
        'Specify whether the file or its key must be defined. If the file or key does not exist, then the env var is not published.',
        { default: false },
      ),
    },
  },
);
