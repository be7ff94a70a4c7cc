/** core/v1: Commonly used volume sources: emptyDir, hostPath, secret, configMap, downwardAPI, persistentVolumeClaim, ephemeral, csi, image, nfs, gitRepo. */
import { OBJECT_META, boolean, defineTypes, field, int32, list, map, quantity, ref, string } from '../../../machinery/schema/dsl.js';
import { embed } from './pod-embedding.js';
import { localObjectReferenceFields } from './pod-references.js';
import {
  CONFIG_MAP_VOLUME_SOURCE,
  CSI_VOLUME_SOURCE,
  DOWNWARD_API_VOLUME_FILE,
  DOWNWARD_API_VOLUME_SOURCE,
  EMPTY_DIR_VOLUME_SOURCE,
  EPHEMERAL_VOLUME_SOURCE,
  GIT_REPO_VOLUME_SOURCE,
  HOST_PATH_VOLUME_SOURCE,
  IMAGE_VOLUME_SOURCE,
  KEY_TO_PATH,
  LOCAL_OBJECT_REFERENCE,
  NFS_VOLUME_SOURCE,
  PERSISTENT_VOLUME_CLAIM_SPEC,
  PERSISTENT_VOLUME_CLAIM_TEMPLATE,
  PERSISTENT_VOLUME_CLAIM_VOLUME_SOURCE,
  SECRET_VOLUME_SOURCE,
} from './pod-names.js';

defineTypes(
  {
    name: EMPTY_DIR_VOLUME_SOURCE,
    description: 'Represents an empty directory for a pod. Empty directory volumes support ownership management and SELinux relabeling.',
    fields: {
      medium: field(
        1,
        string,
        'medium represents what type of storage medium should back this directory. The default is "" which means to use the node\'s default medium.',
      ),
      sizeLimit: field(
        2,
        quantity,
        'sizeLimit is the total amount of local storage required for this EmptyDir volume. The size limit is also applicable for memory medium.',
      ),
    },
  },
  {
    name: HOST_PATH_VOLUME_SOURCE,
    description: 'Represents a host path mapped into a pod. Host path volumes do not support ownership management or SELinux relabeling.',
    required: ['path'],
    fields: {
      path: field(1, string, 'path of the directory on the host. If the path is a symlink, it will follow the link to the real path.'),
      type: field(
        2,
        string,
        'type for HostPath Volume Defaults to "" More info: https://kubernetes.io/docs/concepts/storage/volumes#hostpath',
        {
          enum: ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'],
        },
      ),
    },
  },
  {
    name: SECRET_VOLUME_SOURCE,
    description:
      "Adapts a Secret into a volume. The contents of the target Secret's Data field will be presented in a volume as files using the keys in the Data field as the file names.",
    fields: {
      secretName: field(
        1,
        string,
        "secretName is the name of the secret in the pod's namespace to use. More info: https://kubernetes.io/docs/concepts/storage/volumes#secret",
      ),
      items: field(
        2,
        list(ref(KEY_TO_PATH)),
        'items If unspecified, each key-value pair in the Data field of the referenced Secret will be projected into the volume as a file whose name is the key and content is the value.',
        { listType: 'atomic' },
      ),
      defaultMode: field(
        3,
        int32,
        'defaultMode is Optional: mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511.',
      ),
      optional: field(4, boolean, 'optional field specify whether the Secret or its keys must be defined.'),
    },
  },
  {
    name: CONFIG_MAP_VOLUME_SOURCE,
    description: 'Adapts a ConfigMap into a volume.',
    fields: {
      ...embed(CONFIG_MAP_VOLUME_SOURCE, 1, LOCAL_OBJECT_REFERENCE, localObjectReferenceFields),
      items: field(
        2,
        list(ref(KEY_TO_PATH)),
        'items if unspecified, each key-value pair in the Data field of the referenced ConfigMap will be projected into the volume as a file whose name is the key and content is the value.',
        { listType: 'atomic' },
      ),
      defaultMode: field(
        3,
        int32,
        'defaultMode is optional: mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511.',
      ),
      optional: field(4, boolean, 'optional specify whether the ConfigMap or its keys must be defined.'),
    },
  },
  {
    name: DOWNWARD_API_VOLUME_SOURCE,
    description:
      'DownwardAPIVolumeSource represents a volume containing downward API info. Downward API volumes support ownership management and SELinux relabeling.',
    fields: {
      items: field(1, list(ref(DOWNWARD_API_VOLUME_FILE)), 'Items is a list of downward API volume file.', { listType: 'atomic' }),
      defaultMode: field(
        2,
        int32,
        'Optional: mode bits to use on created files by default. Must be a Optional: mode bits used to set permissions on created files by default.',
      ),
    },
  },
  {
    name: PERSISTENT_VOLUME_CLAIM_VOLUME_SOURCE,
    description:
      "PersistentVolumeClaimVolumeSource references the user's PVC in the same namespace. This volume finds the bound PV and mounts that volume for the pod.",
    required: ['claimName'],
    fields: {
      claimName: field(1, string, 'claimName is the name of a PersistentVolumeClaim in the same namespace as the pod using this volume.'),
      readOnly: field(2, boolean, 'readOnly Will force the ReadOnly setting in VolumeMounts. Default false.'),
    },
  },
  {
    name: EPHEMERAL_VOLUME_SOURCE,
    description: 'Represents an ephemeral volume that is handled by a normal storage driver.',
    fields: {
      volumeClaimTemplate: field(
        1,
        ref(PERSISTENT_VOLUME_CLAIM_TEMPLATE),
        'Will be used to create a stand-alone PVC to provision the volume. The pod in which this EphemeralVolumeSource is embedded will be the owner of the PVC, i.e. the PVC will be deleted together with the pod.',
      ),
    },
  },
  {
    name: PERSISTENT_VOLUME_CLAIM_TEMPLATE,
    description: 'PersistentVolumeClaimTemplate is used to produce PersistentVolumeClaim objects as part of an EphemeralVolumeSource.',
    required: ['spec'],
    fields: {
      metadata: field(
        1,
        ref(OBJECT_META),
        'May contain labels and annotations that will be copied into the PVC when creating it. No other fields are allowed and will be rejected during validation.',
      ),
      spec: field(
        2,
        ref(PERSISTENT_VOLUME_CLAIM_SPEC),
        'The specification for the PersistentVolumeClaim. The entire content is copied unchanged into the PVC that gets created from this template.',
      ),
    },
  },
  {
    name: CSI_VOLUME_SOURCE,
    description: 'Represents a source location of a volume to mount, managed by an external CSI driver.',
    required: ['driver'],
    fields: {
      driver: field(
        1,
        string,
        'driver is the name of the CSI driver that handles this volume. Consult with your admin for the correct name as registered in the cluster.',
      ),
      readOnly: field(2, boolean, 'readOnly specifies a read-only configuration for the volume. Defaults to false (read/write).'),
      fsType: field(3, string, 'fsType to mount. Ex. "ext4", "xfs", "ntfs".'),
      volumeAttributes: field(
        4,
        map(string),
        "volumeAttributes stores driver-specific properties that are passed to the CSI driver. Consult your driver's documentation for supported values.",
      ),
      nodePublishSecretRef: field(
        5,
        ref(LOCAL_OBJECT_REFERENCE),
        'nodePublishSecretRef is a reference to the secret object containing sensitive information to pass to the CSI driver to complete the CSI NodePublishVolume and NodeUnpublishVolume calls.',
      ),
    },
  },
  {
    name: IMAGE_VOLUME_SOURCE,
    description: 'ImageVolumeSource represents a image volume resource.',
    fields: {
      reference: field(
        1,
        string,
        'Required: Image or artifact reference to be used. Behaves in the same way as pod.spec.containers[*].image.',
      ),
      pullPolicy: field(
        2,
        string,
        'Policy for pulling OCI objects. Possible values are: Always: the kubelet always attempts to pull the reference.',
        { enum: ['Always', 'IfNotPresent', 'Never'] },
      ),
    },
  },
  {
    name: NFS_VOLUME_SOURCE,
    description:
      'Represents an NFS mount that lasts the lifetime of a pod. NFS volumes do not support ownership management or SELinux relabeling.',
    required: ['server', 'path'],
    fields: {
      server: field(
        1,
        string,
        'server is the hostname or IP address of the NFS server. More info: https://kubernetes.io/docs/concepts/storage/volumes#nfs',
      ),
      path: field(2, string, 'path that is exported by the NFS server. More info: https://kubernetes.io/docs/concepts/storage/volumes#nfs'),
      readOnly: field(3, boolean, 'readOnly here will force the NFS export to be mounted with read-only permissions. Defaults to false.'),
    },
  },
  {
    name: GIT_REPO_VOLUME_SOURCE,
    description:
      'Represents a volume that is populated with the contents of a git repository. Git repo volumes do not support ownership management.',
    required: ['repository'],
    fields: {
      repository: field(1, string, 'repository is the URL.'),
      revision: field(2, string, 'revision is the commit hash for the specified revision.'),
      directory: field(3, string, "directory is the target directory name. Must not contain or start with '..'."),
    },
  },
);
