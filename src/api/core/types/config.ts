/** ConfigMap and Secret: configuration data and confidential data for pods (core/v1). */
import { boolean, bytes, defineTypes, field, map, OBJECT_META, ref, string } from '../../../machinery/schema/dsl.js';
import { CORE } from './names.js';

defineTypes(
  {
    name: `${CORE}.ConfigMap`,
    description: 'ConfigMap holds configuration data for pods to consume.',
    gvk: { group: '', version: 'v1', kind: 'ConfigMap' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      immutable: field(
        4,
        boolean,
        'Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time.',
      ),
      data: field(
        2,
        map(string),
        "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'.",
      ),
      binaryData: field(
        3,
        map(bytes),
        "BinaryData contains the binary data. Each key must consist of alphanumeric characters, '-', '_' or '.'.",
      ),
    },
  },
  {
    name: `${CORE}.Secret`,
    description:
      'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.',
    gvk: { group: '', version: 'v1', kind: 'Secret' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      immutable: field(
        5,
        boolean,
        'Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time.',
      ),
      data: field(2, map(bytes), "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'."),
      stringData: field(
        4,
        map(string),
        'stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience.',
      ),
      type: field(3, string, 'Used to facilitate programmatic handling of secret data.'),
    },
  },
);
