/** core/v1: In-tree network and block storage volume sources (iSCSI, RBD, CephFS, FC, Glusterfs, Quobyte, FlexVolume, Flocker). */
import { boolean, defineTypes, field, int32, list, map, ref, string } from '../../../machinery/schema/dsl.js';
import {
  CEPH_FS_VOLUME_SOURCE,
  FC_VOLUME_SOURCE,
  FLEX_VOLUME_SOURCE,
  FLOCKER_VOLUME_SOURCE,
  GLUSTERFS_VOLUME_SOURCE,
  ISCSI_VOLUME_SOURCE,
  LOCAL_OBJECT_REFERENCE,
  QUOBYTE_VOLUME_SOURCE,
  RBD_VOLUME_SOURCE,
} from './pod-names.js';

defineTypes(
  {
    name: ISCSI_VOLUME_SOURCE,
    description: 'Represents an ISCSI disk. ISCSI volumes can only be mounted as read/write once.',
    required: ['targetPortal', 'iqn', 'lun'],
    fields: {
      targetPortal: field(
        1,
        string,
        'targetPortal is iSCSI Target Portal. The Portal is either an IP or ip_addr:port if the port is other than default (typically TCP ports 860 and 3260).',
      ),
      iqn: field(2, string, 'iqn is the target iSCSI Qualified Name.'),
      lun: field(3, int32, 'lun represents iSCSI Target Lun number.'),
      iscsiInterface: field(4, string, "iscsiInterface is the interface Name that uses an iSCSI transport. Defaults to 'default' (tcp).", {
        default: 'default',
      }),
      fsType: field(
        5,
        string,
        'fsType is the filesystem type of the volume that you want to mount. Tip: Ensure that the filesystem type is supported by the host operating system.',
      ),
      readOnly: field(6, boolean, 'readOnly here will force the ReadOnly setting in VolumeMounts. Defaults to false.'),
      portals: field(
        7,
        list(string),
        'portals is the iSCSI Target Portal List. The portal is either an IP or ip_addr:port if the port is other than default (typically TCP ports 860 and 3260).',
        { listType: 'atomic' },
      ),
      chapAuthDiscovery: field(8, boolean, 'chapAuthDiscovery defines whether support iSCSI Discovery CHAP authentication.'),
      chapAuthSession: field(11, boolean, 'chapAuthSession defines whether support iSCSI Session CHAP authentication.'),
      secretRef: field(10, ref(LOCAL_OBJECT_REFERENCE), 'secretRef is the CHAP Secret for iSCSI target and initiator authentication.'),
      initiatorName: field(
        12,
        string,
        'initiatorName is the custom iSCSI Initiator Name. If initiatorName is specified with iscsiInterface simultaneously, new iSCSI interface <target portal>:<volume name> will be created for the connection.',
      ),
    },
  },
  {
    name: RBD_VOLUME_SOURCE,
    description:
      'Represents a Rados Block Device mount that lasts the lifetime of a pod. RBD volumes support ownership management and SELinux relabeling.',
    required: ['monitors', 'image'],
    fields: {
      monitors: field(
        1,
        list(string),
        'monitors is a collection of Ceph monitors. More info: https://examples.k8s.io/volumes/rbd/README.md#how-to-use-it',
        { listType: 'atomic' },
      ),
      image: field(2, string, 'image is the rados image name. More info: https://examples.k8s.io/volumes/rbd/README.md#how-to-use-it'),
      fsType: field(
        3,
        string,
        'fsType is the filesystem type of the volume that you want to mount. Tip: Ensure that the filesystem type is supported by the host operating system.',
      ),
      pool: field(4, string, 'pool is the rados pool name. Default is rbd.', { default: 'rbd' }),
      user: field(5, string, 'user is the rados user name. Default is admin.', { default: 'admin' }),
      keyring: field(6, string, 'keyring is the path to key ring for RBDUser. Default is /etc/ceph/keyring.', {
        default: '/etc/ceph/keyring',
      }),
      secretRef: field(
        7,
        ref(LOCAL_OBJECT_REFERENCE),
        'secretRef is name of the authentication secret for RBDUser. If provided overrides keyring.',
      ),
      readOnly: field(8, boolean, 'readOnly here will force the ReadOnly setting in VolumeMounts. Defaults to false.'),
    },
  },
  {
    name: CEPH_FS_VOLUME_SOURCE,
    description:
      'Represents a Ceph Filesystem mount that lasts the lifetime of a pod Cephfs volumes do not support ownership management or SELinux relabeling.',
    required: ['monitors'],
    fields: {
      monitors: field(
        1,
        list(string),
        'monitors is Required: Monitors is a collection of Ceph monitors More info: https://examples.k8s.io/volumes/cephfs/README.md#how-to-use-it',
        { listType: 'atomic' },
      ),
      path: field(2, string, 'path is Optional: Used as the mounted root, rather than the full Ceph tree, default is /.'),
      user: field(
        3,
        string,
        'user is optional: User is the rados user name, default is admin More info: https://examples.k8s.io/volumes/cephfs/README.md#how-to-use-it',
      ),
      secretFile: field(
        4,
        string,
        'secretFile is Optional: SecretFile is the path to key ring for User, default is /etc/ceph/user.secret More info: https://examples.k8s.io/volumes/cephfs/README.md#how-to-use-it',
      ),
      secretRef: field(
        5,
        ref(LOCAL_OBJECT_REFERENCE),
        'secretRef is Optional: SecretRef is reference to the authentication secret for User, default is empty.',
      ),
      readOnly: field(
        6,
        boolean,
        'readOnly is Optional: Defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
      ),
    },
  },
  {
    name: FC_VOLUME_SOURCE,
    description: 'Represents a Fibre Channel volume. Fibre Channel volumes can only be mounted as read/write once.',
    fields: {
      targetWWNs: field(1, list(string), 'targetWWNs is Optional: FC target worldwide names (WWNs).', { listType: 'atomic' }),
      lun: field(2, int32, 'lun is Optional: FC target lun number.'),
      fsType: field(3, string, 'fsType is the filesystem type to mount. Must be a filesystem type supported by the host operating system.'),
      readOnly: field(
        4,
        boolean,
        'readOnly is Optional: Defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
      ),
      wwids: field(
        5,
        list(string),
        'wwids Optional: FC volume world wide identifiers (wwids) Either wwids or combination of targetWWNs and lun must be set, but not both simultaneously.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: GLUSTERFS_VOLUME_SOURCE,
    description:
      'Represents a Glusterfs mount that lasts the lifetime of a pod. Glusterfs volumes do not support ownership management or SELinux relabeling.',
    required: ['endpoints', 'path'],
    fields: {
      endpoints: field(1, string, 'endpoints is the endpoint name that details Glusterfs topology.'),
      path: field(
        2,
        string,
        'path is the Glusterfs volume path. More info: https://examples.k8s.io/volumes/glusterfs/README.md#create-a-pod',
      ),
      readOnly: field(
        3,
        boolean,
        'readOnly here will force the Glusterfs volume to be mounted with read-only permissions. Defaults to false.',
      ),
    },
  },
  {
    name: QUOBYTE_VOLUME_SOURCE,
    description:
      'Represents a Quobyte mount that lasts the lifetime of a pod. Quobyte volumes do not support ownership management or SELinux relabeling.',
    required: ['registry', 'volume'],
    fields: {
      registry: field(
        1,
        string,
        'registry represents a single or multiple Quobyte Registry services specified as a string as host:port pair (multiple entries are separated with commas) which acts as the central registry for volumes.',
      ),
      volume: field(2, string, 'volume is a string that references an already created Quobyte volume by name.'),
      readOnly: field(
        3,
        boolean,
        'readOnly here will force the Quobyte volume to be mounted with read-only permissions. Defaults to false.',
      ),
      user: field(4, string, 'user to map volume access to Defaults to serivceaccount user.'),
      group: field(5, string, 'group to map volume access to Default is no group.'),
      tenant: field(
        6,
        string,
        'tenant owning the given Quobyte volume in the Backend Used with dynamically provisioned Quobyte volumes, value is set by the plugin.',
      ),
    },
  },
  {
    name: FLEX_VOLUME_SOURCE,
    description: 'FlexVolume represents a generic volume resource that is provisioned/attached using an exec based plugin.',
    required: ['driver'],
    fields: {
      driver: field(1, string, 'driver is the name of the driver to use for this volume.'),
      fsType: field(2, string, 'fsType is the filesystem type to mount. Must be a filesystem type supported by the host operating system.'),
      secretRef: field(
        3,
        ref(LOCAL_OBJECT_REFERENCE),
        'secretRef is Optional: secretRef is reference to the secret object containing sensitive information to pass to the plugin scripts.',
      ),
      readOnly: field(
        4,
        boolean,
        'readOnly is Optional: defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
      ),
      options: field(5, map(string), 'options is Optional: this field holds extra command options if any.'),
    },
  },
  {
    name: FLOCKER_VOLUME_SOURCE,
    description: 'Represents a Flocker volume mounted by the Flocker agent. One and only one of datasetName and datasetUUID should be set.',
    fields: {
      datasetName: field(
        1,
        string,
        'datasetName is Name of the dataset stored as metadata -> name on the dataset for Flocker should be considered as deprecated.',
      ),
      datasetUUID: field(2, string, 'datasetUUID is the UUID of the dataset. This is unique identifier of a Flocker dataset.'),
    },
  },
);
