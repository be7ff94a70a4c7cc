/** PersistentVolume (core/v1). Sources only a PersistentVolume uses are in persistentvolume-sources.ts; those pod volumes share are in the volume-* files. */
import type { FieldDef } from '../../../machinery/schema/dsl.js';
import { defineTypes, field, list, map, OBJECT_META, quantity, ref, string, time } from '../../../machinery/schema/dsl.js';
import { embed } from './pod-embedding.js';
import { CORE, PERSISTENT_VOLUME_SOURCE, PERSISTENT_VOLUME_SPEC } from './names.js';

/** The fields of PersistentVolumeSource, inlined (JSON) into PersistentVolumeSpec. */
const persistentVolumeSourceFields: Readonly<Record<string, FieldDef>> = {
  gcePersistentDisk: field(
    1,
    ref(`${CORE}.GCEPersistentDiskVolumeSource`),
    "gcePersistentDisk represents a GCE Disk resource that is attached to a kubelet's host machine and then exposed to the pod. Provisioned by an admin.",
  ),
  awsElasticBlockStore: field(
    2,
    ref(`${CORE}.AWSElasticBlockStoreVolumeSource`),
    "awsElasticBlockStore represents an AWS Disk resource that is attached to a kubelet's host machine and then exposed to the pod. Deprecated: AWSElasticBlockStore is deprecated.",
  ),
  hostPath: field(
    3,
    ref(`${CORE}.HostPathVolumeSource`),
    'hostPath represents a directory on the host. Provisioned by a developer or tester.',
  ),
  glusterfs: field(
    4,
    ref(`${CORE}.GlusterfsPersistentVolumeSource`),
    'glusterfs represents a Glusterfs volume that is attached to a host and exposed to the pod. Provisioned by an admin.',
  ),
  nfs: field(5, ref(`${CORE}.NFSVolumeSource`), 'nfs represents an NFS mount on the host. Provisioned by an admin.'),
  rbd: field(
    6,
    ref(`${CORE}.RBDPersistentVolumeSource`),
    "rbd represents a Rados Block Device mount on the host that shares a pod's lifetime. Deprecated: RBD is deprecated and the in-tree rbd type is no longer supported.",
  ),
  iscsi: field(
    7,
    ref(`${CORE}.ISCSIPersistentVolumeSource`),
    "iscsi represents an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod. Provisioned by an admin.",
  ),
  cinder: field(
    8,
    ref(`${CORE}.CinderPersistentVolumeSource`),
    'cinder represents a cinder volume attached and mounted on kubelets host machine. Deprecated: Cinder is deprecated.',
  ),
  cephfs: field(
    9,
    ref(`${CORE}.CephFSPersistentVolumeSource`),
    "cephFS represents a Ceph FS mount on the host that shares a pod's lifetime. Deprecated: CephFS is deprecated and the in-tree cephfs type is no longer supported.",
  ),
  fc: field(
    10,
    ref(`${CORE}.FCVolumeSource`),
    "fc represents a Fibre Channel resource that is attached to a kubelet's host machine and then exposed to the pod.",
  ),
  flocker: field(
    11,
    ref(`${CORE}.FlockerVolumeSource`),
    "flocker represents a Flocker volume attached to a kubelet's host machine and exposed to the pod for its usage. This depends on the Flocker control service being running.",
  ),
  flexVolume: field(
    12,
    ref(`${CORE}.FlexPersistentVolumeSource`),
    'flexVolume represents a generic volume resource that is provisioned/attached using an exec based plugin. Deprecated: FlexVolume is deprecated.',
  ),
  azureFile: field(
    13,
    ref(`${CORE}.AzureFilePersistentVolumeSource`),
    'azureFile represents an Azure File Service mount on the host and bind mount to the pod. Deprecated: AzureFile is deprecated.',
  ),
  vsphereVolume: field(
    14,
    ref(`${CORE}.VsphereVirtualDiskVolumeSource`),
    'vsphereVolume represents a vSphere volume attached and mounted on kubelets host machine. Deprecated: VsphereVolume is deprecated.',
  ),
  quobyte: field(
    15,
    ref(`${CORE}.QuobyteVolumeSource`),
    "quobyte represents a Quobyte mount on the host that shares a pod's lifetime. Deprecated: Quobyte is deprecated and the in-tree quobyte type is no longer supported.",
  ),
  azureDisk: field(
    16,
    ref(`${CORE}.AzureDiskVolumeSource`),
    'azureDisk represents an Azure Data Disk mount on the host and bind mount to the pod. Deprecated: AzureDisk is deprecated.',
  ),
  photonPersistentDisk: field(
    17,
    ref(`${CORE}.PhotonPersistentDiskVolumeSource`),
    'photonPersistentDisk represents a PhotonController persistent disk attached and mounted on kubelets host machine. Deprecated: PhotonPersistentDisk is deprecated and the in-tree photonPersistentDisk type is no longer supported.',
  ),
  portworxVolume: field(
    18,
    ref(`${CORE}.PortworxVolumeSource`),
    'portworxVolume represents a portworx volume attached and mounted on kubelets host machine. Deprecated: PortworxVolume is deprecated.',
  ),
  scaleIO: field(
    19,
    ref(`${CORE}.ScaleIOPersistentVolumeSource`),
    'scaleIO represents a ScaleIO persistent volume attached and mounted on Kubernetes nodes. Deprecated: ScaleIO is deprecated and the in-tree scaleIO type is no longer supported.',
  ),
  local: field(20, ref(`${CORE}.LocalVolumeSource`), 'local represents directly-attached storage with node affinity'),
  storageos: field(
    21,
    ref(`${CORE}.StorageOSPersistentVolumeSource`),
    "storageOS represents a StorageOS volume that is attached to the kubelet's host machine and mounted into the pod. Deprecated: StorageOS is deprecated and the in-tree storageos type is no longer supported.",
  ),
  csi: field(22, ref(`${CORE}.CSIPersistentVolumeSource`), 'csi represents storage that is handled by an external CSI driver.'),
};

defineTypes(
  {
    name: `${CORE}.PersistentVolume`,
    description: 'PersistentVolume (PV) is a storage resource provisioned by an administrator. It is analogous to a node.',
    gvk: { group: '', version: 'v1', kind: 'PersistentVolume' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      spec: field(
        2,
        ref(`${CORE}.PersistentVolumeSpec`),
        'spec defines a specification of a persistent volume owned by the cluster. Provisioned by an administrator.',
      ),
      status: field(
        3,
        ref(`${CORE}.PersistentVolumeStatus`),
        'status represents the current information/status for the persistent volume. Populated by the system.',
      ),
    },
  },
  {
    name: PERSISTENT_VOLUME_SPEC,
    description: 'PersistentVolumeSpec is the specification of a persistent volume.',
    fields: {
      capacity: field(1, map(quantity), "capacity is the description of the persistent volume's resources and capacity."),
      ...embed(PERSISTENT_VOLUME_SPEC, 2, PERSISTENT_VOLUME_SOURCE, persistentVolumeSourceFields),
      accessModes: field(3, list(string), 'accessModes contains all ways the volume can be mounted.', {
        listType: 'atomic',
        enum: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'],
      }),
      claimRef: field(
        4,
        ref(`${CORE}.ObjectReference`),
        'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC.',
        { mapType: 'granular' },
      ),
      persistentVolumeReclaimPolicy: field(
        5,
        string,
        'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated).',
        { enum: ['Recycle', 'Delete', 'Retain'] },
      ),
      storageClassName: field(
        6,
        string,
        'storageClassName is the name of StorageClass to which this persistent volume belongs. Empty value means that this volume does not belong to any StorageClass.',
      ),
      mountOptions: field(
        7,
        list(string),
        'mountOptions is the list of mount options, e.g. ["ro", "soft"]. Not validated - mount will simply fail if one is invalid.',
        { listType: 'atomic' },
      ),
      volumeMode: field(
        8,
        string,
        'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.',
        { enum: ['Block', 'Filesystem'] },
      ),
      nodeAffinity: field(
        9,
        ref(`${CORE}.VolumeNodeAffinity`),
        'nodeAffinity defines constraints that limit what nodes this volume can be accessed from. This field influences the scheduling of pods that use this volume.',
      ),
      volumeAttributesClassName: field(
        10,
        string,
        'Name of VolumeAttributesClass to which this persistent volume belongs. Empty value is not allowed.',
      ),
    },
  },
  {
    name: `${CORE}.VolumeNodeAffinity`,
    description: 'VolumeNodeAffinity defines constraints that limit what nodes this volume can be accessed from.',
    fields: {
      required: field(1, ref(`${CORE}.NodeSelector`), 'required specifies hard node constraints that must be met.'),
    },
  },
  {
    name: `${CORE}.PersistentVolumeStatus`,
    description: 'PersistentVolumeStatus is the current status of a persistent volume.',
    fields: {
      phase: field(1, string, 'phase indicates if a volume is available, bound to a claim, or released by a claim.', {
        enum: ['Pending', 'Available', 'Bound', 'Released', 'Failed'],
      }),
      message: field(2, string, 'message is a human-readable message indicating details about why the volume is in this state.'),
      reason: field(
        3,
        string,
        'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.',
      ),
      lastPhaseTransitionTime: field(
        4,
        time,
        'lastPhaseTransitionTime is the time the phase transitioned from one to another and automatically resets to current time everytime a volume phase transitions.',
      ),
    },
  },
  {
    name: PERSISTENT_VOLUME_SOURCE,
    description:
      'PersistentVolumeSource is similar to VolumeSource but meant for the administrator who creates PVs. Exactly one of its members must be set.',
    fields: persistentVolumeSourceFields,
  },
);
