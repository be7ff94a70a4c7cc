/** core/v1: Volume, VolumeSource (all members) and KeyToPath. */
import type { FieldDef } from '../../../machinery/schema/dsl.js';
import { defineTypes, field, int32, ref, string } from '../../../machinery/schema/dsl.js';
import { embed } from './pod-embedding.js';
import {
  AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE,
  AZURE_DISK_VOLUME_SOURCE,
  AZURE_FILE_VOLUME_SOURCE,
  CEPH_FS_VOLUME_SOURCE,
  CINDER_VOLUME_SOURCE,
  CONFIG_MAP_VOLUME_SOURCE,
  CSI_VOLUME_SOURCE,
  DOWNWARD_API_VOLUME_SOURCE,
  EMPTY_DIR_VOLUME_SOURCE,
  EPHEMERAL_VOLUME_SOURCE,
  FC_VOLUME_SOURCE,
  FLEX_VOLUME_SOURCE,
  FLOCKER_VOLUME_SOURCE,
  GCE_PERSISTENT_DISK_VOLUME_SOURCE,
  GIT_REPO_VOLUME_SOURCE,
  GLUSTERFS_VOLUME_SOURCE,
  HOST_PATH_VOLUME_SOURCE,
  IMAGE_VOLUME_SOURCE,
  ISCSI_VOLUME_SOURCE,
  KEY_TO_PATH,
  NFS_VOLUME_SOURCE,
  PERSISTENT_VOLUME_CLAIM_VOLUME_SOURCE,
  PHOTON_PERSISTENT_DISK_VOLUME_SOURCE,
  PORTWORX_VOLUME_SOURCE,
  PROJECTED_VOLUME_SOURCE,
  QUOBYTE_VOLUME_SOURCE,
  RBD_VOLUME_SOURCE,
  SCALE_IO_VOLUME_SOURCE,
  SECRET_VOLUME_SOURCE,
  STORAGE_OS_VOLUME_SOURCE,
  VOLUME,
  VOLUME_SOURCE,
  VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE,
} from './pod-names.js';

/** The fields of VolumeSource, also inlined (JSON) into the types that embed it. */
export const volumeSourceFields: Readonly<Record<string, FieldDef>> = {
  hostPath: field(
    1,
    ref(HOST_PATH_VOLUME_SOURCE),
    'hostPath represents a pre-existing file or directory on the host machine that is directly exposed to the container.',
  ),
  emptyDir: field(
    2,
    ref(EMPTY_DIR_VOLUME_SOURCE),
    "emptyDir represents a temporary directory that shares a pod's lifetime. More info: https://kubernetes.io/docs/concepts/storage/volumes#emptydir",
  ),
  gcePersistentDisk: field(
    3,
    ref(GCE_PERSISTENT_DISK_VOLUME_SOURCE),
    "gcePersistentDisk represents a GCE Disk resource that is attached to a kubelet's host machine and then exposed to the pod.",
  ),
  awsElasticBlockStore: field(
    4,
    ref(AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE),
    "awsElasticBlockStore represents an AWS Disk resource that is attached to a kubelet's host machine and then exposed to the pod.",
  ),
  gitRepo: field(
    5,
    ref(GIT_REPO_VOLUME_SOURCE),
    'gitRepo represents a git repository at a particular revision. Deprecated: GitRepo is deprecated.',
  ),
  secret: field(
    6,
    ref(SECRET_VOLUME_SOURCE),
    'secret represents a secret that should populate this volume. More info: https://kubernetes.io/docs/concepts/storage/volumes#secret',
  ),
  nfs: field(
    7,
    ref(NFS_VOLUME_SOURCE),
    "nfs represents an NFS mount on the host that shares a pod's lifetime More info: https://kubernetes.io/docs/concepts/storage/volumes#nfs",
  ),
  iscsi: field(
    8,
    ref(ISCSI_VOLUME_SOURCE),
    "iscsi represents an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod.",
  ),
  glusterfs: field(
    9,
    ref(GLUSTERFS_VOLUME_SOURCE),
    "glusterfs represents a Glusterfs mount on the host that shares a pod's lifetime. Deprecated: Glusterfs is deprecated and the in-tree glusterfs type is no longer supported.",
  ),
  persistentVolumeClaim: field(
    10,
    ref(PERSISTENT_VOLUME_CLAIM_VOLUME_SOURCE),
    'persistentVolumeClaimVolumeSource represents a reference to a PersistentVolumeClaim in the same namespace.',
  ),
  rbd: field(
    11,
    ref(RBD_VOLUME_SOURCE),
    "rbd represents a Rados Block Device mount on the host that shares a pod's lifetime. Deprecated: RBD is deprecated and the in-tree rbd type is no longer supported.",
  ),
  flexVolume: field(
    12,
    ref(FLEX_VOLUME_SOURCE),
    'flexVolume represents a generic volume resource that is provisioned/attached using an exec based plugin.',
  ),
  cinder: field(
    13,
    ref(CINDER_VOLUME_SOURCE),
    'cinder represents a cinder volume attached and mounted on kubelets host machine. Deprecated: Cinder is deprecated.',
  ),
  cephfs: field(
    14,
    ref(CEPH_FS_VOLUME_SOURCE),
    "cephFS represents a Ceph FS mount on the host that shares a pod's lifetime. Deprecated: CephFS is deprecated and the in-tree cephfs type is no longer supported.",
  ),
  flocker: field(
    15,
    ref(FLOCKER_VOLUME_SOURCE),
    "flocker represents a Flocker volume attached to a kubelet's host machine. This depends on the Flocker control service being running.",
  ),
  downwardAPI: field(
    16,
    ref(DOWNWARD_API_VOLUME_SOURCE),
    'downwardAPI represents downward API about the pod that should populate this volume.',
  ),
  fc: field(
    17,
    ref(FC_VOLUME_SOURCE),
    "fc represents a Fibre Channel resource that is attached to a kubelet's host machine and then exposed to the pod.",
  ),
  azureFile: field(
    18,
    ref(AZURE_FILE_VOLUME_SOURCE),
    'azureFile represents an Azure File Service mount on the host and bind mount to the pod. Deprecated: AzureFile is deprecated.',
  ),
  configMap: field(19, ref(CONFIG_MAP_VOLUME_SOURCE), 'configMap represents a configMap that should populate this volume.'),
  vsphereVolume: field(
    20,
    ref(VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE),
    'vsphereVolume represents a vSphere volume attached and mounted on kubelets host machine. Deprecated: VsphereVolume is deprecated.',
  ),
  quobyte: field(
    21,
    ref(QUOBYTE_VOLUME_SOURCE),
    "quobyte represents a Quobyte mount on the host that shares a pod's lifetime. Deprecated: Quobyte is deprecated and the in-tree quobyte type is no longer supported.",
  ),
  azureDisk: field(
    22,
    ref(AZURE_DISK_VOLUME_SOURCE),
    'azureDisk represents an Azure Data Disk mount on the host and bind mount to the pod. Deprecated: AzureDisk is deprecated.',
  ),
  photonPersistentDisk: field(
    23,
    ref(PHOTON_PERSISTENT_DISK_VOLUME_SOURCE),
    'photonPersistentDisk represents a PhotonController persistent disk attached and mounted on kubelets host machine.',
  ),
  projected: field(26, ref(PROJECTED_VOLUME_SOURCE), 'projected items for all in one resources secrets, configmaps, and downward API.'),
  portworxVolume: field(
    24,
    ref(PORTWORX_VOLUME_SOURCE),
    'portworxVolume represents a portworx volume attached and mounted on kubelets host machine. Deprecated: PortworxVolume is deprecated.',
  ),
  scaleIO: field(
    25,
    ref(SCALE_IO_VOLUME_SOURCE),
    'scaleIO represents a ScaleIO persistent volume attached and mounted on Kubernetes nodes. Deprecated: ScaleIO is deprecated and the in-tree scaleIO type is no longer supported.',
  ),
  storageos: field(
    27,
    ref(STORAGE_OS_VOLUME_SOURCE),
    'storageOS represents a StorageOS volume attached and mounted on Kubernetes nodes. Deprecated: StorageOS is deprecated and the in-tree storageos type is no longer supported.',
  ),
  csi: field(
    28,
    ref(CSI_VOLUME_SOURCE),
    'csi (Container Storage Interface) represents ephemeral storage that is handled by certain external CSI drivers.',
  ),
  ephemeral: field(
    29,
    ref(EPHEMERAL_VOLUME_SOURCE),
    "ephemeral represents a volume that is handled by a cluster storage driver. The volume's lifecycle is tied to the pod that defines it - it will be created before the pod starts, and deleted when the pod is removed.",
  ),
  image: field(
    30,
    ref(IMAGE_VOLUME_SOURCE),
    "image represents an OCI object (a container image or artifact) pulled and mounted on the kubelet's host machine.",
  ),
};

defineTypes(
  {
    name: VOLUME,
    description: 'Volume represents a named volume in a pod that may be accessed by any container in the pod.',
    required: ['name'],
    fields: {
      ...embed(VOLUME, 2, VOLUME_SOURCE, volumeSourceFields),
      name: field(1, string, 'name of the volume. Must be a DNS_LABEL and unique within the pod.'),
    },
  },
  {
    name: VOLUME_SOURCE,
    description: 'Represents the source of a volume to mount. Only one of its members may be specified.',
    fields: volumeSourceFields,
  },
  {
    name: KEY_TO_PATH,
    description: 'Maps a string key to a path within a volume.',
    required: ['key', 'path'],
    fields: {
      key: field(1, string, 'key is the key to project.'),
      path: field(2, string, 'path is the relative path of the file to map the key to. May not be an absolute path.'),
      mode: field(
        3,
        int32,
        'mode is Optional: mode bits used to set permissions on this file. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511.',
      ),
    },
  },
);
