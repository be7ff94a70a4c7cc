/** Volume sources that only a PersistentVolume uses (core/v1), and SecretReference. */
import { boolean, defineTypes, field, int32, list, map, ref, string } from '../../../machinery/schema/dsl.js';
import { CORE } from './names.js';

defineTypes(
  {
    name: `${CORE}.SecretReference`,
    description: 'SecretReference represents a Secret Reference. It has enough information to retrieve secret in any namespace',
    atomic: true,
    fields: {
      name: field(1, string, 'name is unique within a namespace to reference a secret resource.'),
      namespace: field(2, string, 'namespace defines the space within which the secret name must be unique.'),
    },
  },
  {
    name: `${CORE}.CSIPersistentVolumeSource`,
    description: 'Represents storage that is managed by an external CSI volume driver',
    required: ['driver', 'volumeHandle'],
    fields: {
      driver: field(1, string, 'driver is the name of the driver to use for this volume. Required.'),
      volumeHandle: field(
        2,
        string,
        'volumeHandle is the unique volume name returned by the CSI volume plugin’s CreateVolume to refer to the volume on all subsequent calls. Required.',
      ),
      readOnly: field(3, boolean, 'readOnly value to pass to ControllerPublishVolumeRequest. Defaults to false (read/write).'),
      fsType: field(4, string, 'fsType to mount. Must be a filesystem type supported by the host operating system.'),
      volumeAttributes: field(5, map(string), 'volumeAttributes of the volume to publish.'),
      controllerPublishSecretRef: field(
        6,
        ref(`${CORE}.SecretReference`),
        'controllerPublishSecretRef is a reference to the secret object containing sensitive information to pass to the CSI driver to complete the CSI ControllerPublishVolume and ControllerUnpublishVolume calls. This field is optional, and may be empty if no secret is required.',
      ),
      nodeStageSecretRef: field(
        7,
        ref(`${CORE}.SecretReference`),
        'nodeStageSecretRef is a reference to the secret object containing sensitive information to pass to the CSI driver to complete the CSI NodeStageVolume and NodeStageVolume and NodeUnstageVolume calls. This field is optional, and may be empty if no secret is required.',
      ),
      nodePublishSecretRef: field(
        8,
        ref(`${CORE}.SecretReference`),
        'nodePublishSecretRef is a reference to the secret object containing sensitive information to pass to the CSI driver to complete the CSI NodePublishVolume and NodeUnpublishVolume calls. This field is optional, and may be empty if no secret is required.',
      ),
      controllerExpandSecretRef: field(
        9,
        ref(`${CORE}.SecretReference`),
        'controllerExpandSecretRef is a reference to the secret object containing sensitive information to pass to the CSI driver to complete the CSI ControllerExpandVolume call. This field is optional, and may be empty if no secret is required.',
      ),
      nodeExpandSecretRef: field(
        10,
        ref(`${CORE}.SecretReference`),
        'nodeExpandSecretRef is a reference to the secret object containing sensitive information to pass to the CSI driver to complete the CSI NodeExpandVolume call. This field is optional, may be omitted if no secret is required.',
      ),
    },
  },
  {
    name: `${CORE}.ISCSIPersistentVolumeSource`,
    description: 'ISCSIPersistentVolumeSource represents an ISCSI disk. ISCSI volumes can only be mounted as read/write once.',
    required: ['targetPortal', 'iqn', 'lun'],
    fields: {
      targetPortal: field(
        1,
        string,
        'targetPortal is iSCSI Target Portal. The Portal is either an IP or ip_addr:port if the port is other than default (typically TCP ports 860 and 3260).',
      ),
      iqn: field(2, string, 'iqn is Target iSCSI Qualified Name.'),
      lun: field(3, int32, 'lun is iSCSI Target Lun number.'),
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
        'portals is the iSCSI Target Portal List. The Portal is either an IP or ip_addr:port if the port is other than default (typically TCP ports 860 and 3260).',
        { listType: 'atomic' },
      ),
      chapAuthDiscovery: field(8, boolean, 'chapAuthDiscovery defines whether support iSCSI Discovery CHAP authentication'),
      chapAuthSession: field(11, boolean, 'chapAuthSession defines whether support iSCSI Session CHAP authentication'),
      secretRef: field(10, ref(`${CORE}.SecretReference`), 'secretRef is the CHAP Secret for iSCSI target and initiator authentication'),
      initiatorName: field(
        12,
        string,
        'initiatorName is the custom iSCSI Initiator Name. If initiatorName is specified with iscsiInterface simultaneously, new iSCSI interface <target portal>:<volume name> will be created for the connection.',
      ),
    },
  },
  {
    name: `${CORE}.RBDPersistentVolumeSource`,
    description:
      'Represents a Rados Block Device mount that lasts the lifetime of a pod. RBD volumes support ownership management and SELinux relabeling.',
    required: ['monitors', 'image'],
    fields: {
      monitors: field(1, list(string), 'monitors is a collection of Ceph monitors.', { listType: 'atomic' }),
      image: field(2, string, 'image is the rados image name.'),
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
        ref(`${CORE}.SecretReference`),
        'secretRef is name of the authentication secret for RBDUser. If provided overrides keyring.',
      ),
      readOnly: field(8, boolean, 'readOnly here will force the ReadOnly setting in VolumeMounts. Defaults to false.'),
    },
  },
  {
    name: `${CORE}.CephFSPersistentVolumeSource`,
    description:
      'Represents a Ceph Filesystem mount that lasts the lifetime of a pod Cephfs volumes do not support ownership management or SELinux relabeling.',
    required: ['monitors'],
    fields: {
      monitors: field(1, list(string), 'monitors is Required: Monitors is a collection of Ceph monitors', { listType: 'atomic' }),
      path: field(2, string, 'path is Optional: Used as the mounted root, rather than the full Ceph tree, default is /'),
      user: field(3, string, 'user is Optional: User is the rados user name, default is admin'),
      secretFile: field(4, string, 'secretFile is Optional: SecretFile is the path to key ring for User, default is /etc/ceph/user.secret'),
      secretRef: field(
        5,
        ref(`${CORE}.SecretReference`),
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
    name: `${CORE}.CinderPersistentVolumeSource`,
    description: 'Represents a cinder volume resource in Openstack. A Cinder volume must exist before mounting to a container.',
    required: ['volumeID'],
    fields: {
      volumeID: field(1, string, 'volumeID used to identify the volume in cinder.'),
      fsType: field(2, string, 'fsType Filesystem type to mount. Must be a filesystem type supported by the host operating system.'),
      readOnly: field(
        3,
        boolean,
        'readOnly is Optional: Defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
      ),
      secretRef: field(
        4,
        ref(`${CORE}.SecretReference`),
        'secretRef is Optional: points to a secret object containing parameters used to connect to OpenStack.',
      ),
    },
  },
  {
    name: `${CORE}.AzureFilePersistentVolumeSource`,
    description: 'AzureFile represents an Azure File Service mount on the host and bind mount to the pod.',
    required: ['secretName', 'shareName'],
    fields: {
      secretName: field(1, string, 'secretName is the name of secret that contains Azure Storage Account Name and Key'),
      shareName: field(2, string, 'shareName is the azure Share Name'),
      readOnly: field(
        3,
        boolean,
        'readOnly defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
      ),
      secretNamespace: field(
        4,
        string,
        'secretNamespace is the namespace of the secret that contains Azure Storage Account Name and Key default is the same as the Pod',
      ),
    },
  },
  {
    name: `${CORE}.FlexPersistentVolumeSource`,
    description:
      'FlexPersistentVolumeSource represents a generic persistent volume resource that is provisioned/attached using an exec based plugin.',
    required: ['driver'],
    fields: {
      driver: field(1, string, 'driver is the name of the driver to use for this volume.'),
      fsType: field(2, string, 'fsType is the Filesystem type to mount. Must be a filesystem type supported by the host operating system.'),
      secretRef: field(
        3,
        ref(`${CORE}.SecretReference`),
        'secretRef is Optional: SecretRef is reference to the secret object containing sensitive information to pass to the plugin scripts. This may be empty if no secret object is specified.',
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
    name: `${CORE}.GlusterfsPersistentVolumeSource`,
    description:
      'Represents a Glusterfs mount that lasts the lifetime of a pod. Glusterfs volumes do not support ownership management or SELinux relabeling.',
    required: ['endpoints', 'path'],
    fields: {
      endpoints: field(1, string, 'endpoints is the endpoint name that details Glusterfs topology.'),
      path: field(2, string, 'path is the Glusterfs volume path.'),
      readOnly: field(
        3,
        boolean,
        'readOnly here will force the Glusterfs volume to be mounted with read-only permissions. Defaults to false.',
      ),
      endpointsNamespace: field(
        4,
        string,
        'endpointsNamespace is the namespace that contains Glusterfs endpoint. If this field is empty, the EndpointNamespace defaults to the same namespace as the bound PVC.',
      ),
    },
  },
  {
    name: `${CORE}.ScaleIOPersistentVolumeSource`,
    description: 'ScaleIOPersistentVolumeSource represents a persistent ScaleIO volume',
    required: ['gateway', 'system', 'secretRef'],
    fields: {
      gateway: field(1, string, 'gateway is the host address of the ScaleIO API Gateway.'),
      system: field(2, string, 'system is the name of the storage system as configured in ScaleIO.'),
      secretRef: field(
        3,
        ref(`${CORE}.SecretReference`),
        'secretRef references to the secret for ScaleIO user and other sensitive information. If this is not provided, Login operation will fail.',
      ),
      sslEnabled: field(4, boolean, 'sslEnabled is the flag to enable/disable SSL communication with Gateway, default false'),
      protectionDomain: field(5, string, 'protectionDomain is the name of the ScaleIO Protection Domain for the configured storage.'),
      storagePool: field(6, string, 'storagePool is the ScaleIO Storage Pool associated with the protection domain.'),
      storageMode: field(
        7,
        string,
        'storageMode indicates whether the storage for a volume should be ThickProvisioned or ThinProvisioned. Default is ThinProvisioned.',
        { default: 'ThinProvisioned' },
      ),
      volumeName: field(
        8,
        string,
        'volumeName is the name of a volume already created in the ScaleIO system that is associated with this volume source.',
      ),
      fsType: field(
        9,
        string,
        'fsType is the filesystem type to mount. Must be a filesystem type supported by the host operating system.',
        { default: 'xfs' },
      ),
      readOnly: field(
        10,
        boolean,
        'readOnly defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
      ),
    },
  },
  {
    name: `${CORE}.StorageOSPersistentVolumeSource`,
    description: 'Represents a StorageOS persistent volume resource.',
    fields: {
      volumeName: field(
        1,
        string,
        'volumeName is the human-readable name of the StorageOS volume. Volume names are only unique within a namespace.',
      ),
      volumeNamespace: field(
        2,
        string,
        "volumeNamespace specifies the scope of the volume within StorageOS. If no namespace is specified then the Pod's namespace will be used.",
      ),
      fsType: field(3, string, 'fsType is the filesystem type to mount. Must be a filesystem type supported by the host operating system.'),
      readOnly: field(
        4,
        boolean,
        'readOnly defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
      ),
      secretRef: field(
        5,
        ref(`${CORE}.ObjectReference`),
        'secretRef specifies the secret to use for obtaining the StorageOS API credentials. If not specified, default values will be attempted.',
      ),
    },
  },
  {
    name: `${CORE}.LocalVolumeSource`,
    description: 'Local represents directly-attached storage with node affinity',
    required: ['path'],
    fields: {
      path: field(
        1,
        string,
        'path of the full path to the volume on the node. It can be either a directory or block device (disk, partition, ...).',
      ),
      fsType: field(2, string, 'fsType is the filesystem type to mount. It applies only when the Path is a block device.'),
    },
  },
);
