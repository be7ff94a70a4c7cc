/** storage.k8s.io/v1 types (k8s.io/api/storage/v1); field numbers from upstream's generated.proto.
 *
 * core/v1 TopologySelectorTerm and TopologySelectorLabelRequirement are declared here too: StorageClass is
 * the only type that reaches them, so the core/v1 declarations leave them out. */
import { boolean, defineTypes, field, list, LIST_META, map, OBJECT_META, ref, string } from '../../machinery/schema/dsl.js';
import { CORE_V1 } from '../core/types/pod-names.js';

/** Definition-name prefix of this group version. */
export const STORAGE_V1 = 'io.k8s.api.storage.v1';

export const STORAGE_CLASS = `${STORAGE_V1}.StorageClass`;
export const STORAGE_CLASS_LIST = `${STORAGE_V1}.StorageClassList`;
export const TOPOLOGY_SELECTOR_TERM = `${CORE_V1}.TopologySelectorTerm`;

defineTypes(
  {
    name: `${STORAGE_V1}.StorageClass`,
    description:
      'StorageClass describes the parameters for a class of storage for which PersistentVolumes can be dynamically provisioned. StorageClasses are non-namespaced; the name of the storage class according to etcd is in ObjectMeta.Name.',
    gvk: { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass' },
    required: ['provisioner'],
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      provisioner: field(2, string, 'provisioner indicates the type of the provisioner.'),
      parameters: field(
        3,
        map(string),
        'parameters holds the parameters for the provisioner that should create volumes of this storage class.',
      ),
      reclaimPolicy: field(
        4,
        string,
        'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.',
        { enum: ['Recycle', 'Delete', 'Retain'] },
      ),
      mountOptions: field(
        5,
        list(string),
        'mountOptions controls the mountOptions for dynamically provisioned PersistentVolumes of this storage class. e.g. ["ro", "soft"]. Not validated - mount of the PVs will simply fail if one is invalid.',
        { listType: 'atomic' },
      ),
      allowVolumeExpansion: field(6, boolean, 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
      volumeBindingMode: field(
        7,
        string,
        'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound. When unset, VolumeBindingImmediate is used.',
        { enum: ['Immediate', 'WaitForFirstConsumer'] },
      ),
      allowedTopologies: field(
        8,
        list(ref(`${CORE_V1}.TopologySelectorTerm`)),
        'allowedTopologies restrict the node topologies where volumes can be dynamically provisioned. Each volume plugin defines its own supported topology specifications.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${STORAGE_V1}.StorageClassList`,
    description: 'StorageClassList is a collection of storage classes.',
    gvk: { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClassList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), 'Standard list metadata'),
      items: field(2, list(ref(`${STORAGE_V1}.StorageClass`)), 'items is the list of StorageClasses'),
    },
  },
  {
    name: `${CORE_V1}.TopologySelectorTerm`,
    description:
      'A topology selector term represents the result of label queries. A null or empty topology selector term matches no objects.',
    atomic: true,
    fields: {
      matchLabelExpressions: field(
        1,
        list(ref(`${CORE_V1}.TopologySelectorLabelRequirement`)),
        'A list of topology selector requirements by labels.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${CORE_V1}.TopologySelectorLabelRequirement`,
    description:
      'A topology selector requirement is a selector that matches given label. This is an alpha feature and may change in the future.',
    required: ['key', 'values'],
    fields: {
      key: field(1, string, 'The label key that the selector applies to.'),
      values: field(2, list(string), 'An array of string values. One value must match the label to be selected.', { listType: 'atomic' }),
    },
  },
);
