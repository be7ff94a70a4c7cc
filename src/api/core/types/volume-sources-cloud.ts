/** core/v1: In-tree cloud and vendor volume sources (AWS, GCE, Azure, Cinder, Photon, Portworx, ScaleIO, StorageOS, vSphere). */
import { boolean, defineTypes, field, int32, ref, string } from '../../../machinery/schema/dsl.js';
import {
  AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE,
  AZURE_DISK_VOLUME_SOURCE,
  AZURE_FILE_VOLUME_SOURCE,
  CINDER_VOLUME_SOURCE,
  GCE_PERSISTENT_DISK_VOLUME_SOURCE,
  LOCAL_OBJECT_REFERENCE,
  PHOTON_PERSISTENT_DISK_VOLUME_SOURCE,
  PORTWORX_VOLUME_SOURCE,
  SCALE_IO_VOLUME_SOURCE,
  STORAGE_OS_VOLUME_SOURCE,
  VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE,
} from './pod-names.js';

defineTypes(
  {
    name: AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE,
    description: 'Represents a Persistent Disk resource in AWS.',
    required: ['volumeID'],
    fields: {
      volumeID: field(
        1,
        string,
        'volumeID is unique ID of the persistent disk resource in AWS (Amazon EBS volume). More info: https://kubernetes.io/docs/concepts/storage/volumes#awselasticblockstore',
      ),
      fsType: field(
        2,
        string,
        'fsType is the filesystem type of the volume that you want to mount. Tip: Ensure that the filesystem type is supported by the host operating system.',
      ),
      partition: field(
        3,
        int32,
        'partition is the partition in the volume that you want to mount. If omitted, the default is to mount by volume name.',
      ),
      readOnly: field(
        4,
        boolean,
        'readOnly value true will force the readOnly setting in VolumeMounts. More info: https://kubernetes.io/docs/concepts/storage/volumes#awselasticblockstore',
      ),
    },
  },
  {
    name: GCE_PERSISTENT_DISK_VOLUME_SOURCE,
    description: 'Represents a Persistent Disk resource in Google Compute Engine.',
    required: ['pdName'],
    fields: {
      pdName: field(
        1,
        string,
        'pdName is unique name of the PD resource in GCE. Used to identify the disk in GCE. More info: https://kubernetes.io/docs/concepts/storage/volumes#gcepersistentdisk',
      ),
      fsType: field(
        2,
        string,
        'fsType is filesystem type of the volume that you want to mount. Tip: Ensure that the filesystem type is supported by the host operating system.',
      ),
      partition: field(
        3,
        int32,
        'partition is the partition in the volume that you want to mount. If omitted, the default is to mount by volume name.',
      ),
      readOnly: field(4, boolean, 'readOnly here will force the ReadOnly setting in VolumeMounts. Defaults to false.'),
    },
  },
  {
    name: AZURE_DISK_VOLUME_SOURCE,
    description: 'AzureDisk represents an Azure Data Disk mount on the host and bind mount to the pod.',
    required: ['diskName', 'diskURI'],
    fields: {
      diskName: field(1, string, 'diskName is the Name of the data disk in the blob storage.'),
      diskURI: field(2, string, 'diskURI is the URI of data disk in the blob storage.'),
      cachingMode: field(3, string, 'cachingMode is the Host Caching mode: None, Read Only, Read Write.', {
        default: 'ReadWrite',
        enum: ['None', 'ReadOnly', 'ReadWrite'],
      }),
      fsType: field(4, string, 'fsType is Filesystem type to mount. Must be a filesystem type supported by the host operating system.', {
        default: 'ext4',
      }),
      readOnly: field(
        5,
        boolean,
        'readOnly Defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
        { default: false },
      ),
      kind: field(
        6,
        string,
        'kind expected values are Shared: multiple blob disks per storage account Dedicated: single blob disk per storage account Managed: azure managed data disk (only in managed availability set). defaults to shared.',
        { default: 'Shared', enum: ['Dedicated', 'Managed', 'Shared'] },
      ),
    },
  },
  {
    name: AZURE_FILE_VOLUME_SOURCE,
    description: 'AzureFile represents an Azure File Service mount on the host and bind mount to the pod.',
    required: ['secretName', 'shareName'],
    fields: {
      secretName: field(1, string, 'secretName is the name of secret that contains Azure Storage Account Name and Key.'),
      shareName: field(2, string, 'shareName is the azure share Name.'),
      readOnly: field(
        3,
        boolean,
        'readOnly defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
      ),
    },
  },
  {
    name: CINDER_VOLUME_SOURCE,
    description: 'Represents a cinder volume resource in Openstack. A Cinder volume must exist before mounting to a container.',
    required: ['volumeID'],
    fields: {
      volumeID: field(
        1,
        string,
        'volumeID used to identify the volume in cinder. More info: https://examples.k8s.io/mysql-cinder-pd/README.md',
      ),
      fsType: field(2, string, 'fsType is the filesystem type to mount. Must be a filesystem type supported by the host operating system.'),
      readOnly: field(
        3,
        boolean,
        'readOnly defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
      ),
      secretRef: field(
        4,
        ref(LOCAL_OBJECT_REFERENCE),
        'secretRef is optional: points to a secret object containing parameters used to connect to OpenStack.',
      ),
    },
  },
  {
    name: PHOTON_PERSISTENT_DISK_VOLUME_SOURCE,
    description: 'Represents a Photon Controller persistent disk resource.',
    required: ['pdID'],
    fields: {
      pdID: field(1, string, 'pdID is the ID that identifies Photon Controller persistent disk.'),
      fsType: field(2, string, 'fsType is the filesystem type to mount. Must be a filesystem type supported by the host operating system.'),
    },
  },
  {
    name: PORTWORX_VOLUME_SOURCE,
    description: 'PortworxVolumeSource represents a Portworx volume resource.',
    required: ['volumeID'],
    fields: {
      volumeID: field(1, string, 'volumeID uniquely identifies a Portworx volume.'),
      fsType: field(
        2,
        string,
        'fSType represents the filesystem type to mount Must be a filesystem type supported by the host operating system.',
      ),
      readOnly: field(
        3,
        boolean,
        'readOnly defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
      ),
    },
  },
  {
    name: SCALE_IO_VOLUME_SOURCE,
    description: 'ScaleIOVolumeSource represents a persistent ScaleIO volume.',
    required: ['gateway', 'system', 'secretRef'],
    fields: {
      gateway: field(1, string, 'gateway is the host address of the ScaleIO API Gateway.'),
      system: field(2, string, 'system is the name of the storage system as configured in ScaleIO.'),
      secretRef: field(
        3,
        ref(LOCAL_OBJECT_REFERENCE),
        'secretRef references to the secret for ScaleIO user and other sensitive information. If this is not provided, Login operation will fail.',
      ),
      sslEnabled: field(4, boolean, 'sslEnabled Flag enable/disable SSL communication with Gateway, default false.'),
      protectionDomain: field(5, string, 'protectionDomain is the name of the ScaleIO Protection Domain for the configured storage.'),
      storagePool: field(6, string, 'storagePool is the ScaleIO Storage Pool associated with the protection domain.'),
      storageMode: field(
        7,
        string,
        'storageMode indicates whether the storage for a volume should be ThickProvisioned or ThinProvisioned.',
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
        'readOnly Defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
      ),
    },
  },
  {
    name: STORAGE_OS_VOLUME_SOURCE,
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
        ref(LOCAL_OBJECT_REFERENCE),
        'secretRef specifies the secret to use for obtaining the StorageOS API credentials. If not specified, default values will be attempted.',
      ),
    },
  },
  {
    name: VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE,
    description: 'Represents a vSphere volume resource.',
    required: ['volumePath'],
    fields: {
      volumePath: field(1, string, 'volumePath is the path that identifies vSphere volume vmdk.'),
      fsType: field(2, string, 'fsType is filesystem type to mount. Must be a filesystem type supported by the host operating system.'),
      storagePolicyName: field(3, string, 'storagePolicyName is the storage Policy Based Management (SPBM) profile name.'),
      storagePolicyID: field(
        4,
        string,
        'storagePolicyID is the storage Policy Based Management (SPBM) profile ID associated with the StoragePolicyName.',
      ),
    },
  },
);
