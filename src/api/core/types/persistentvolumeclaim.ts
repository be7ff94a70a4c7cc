/** PersistentVolumeClaim (core/v1), with the spec that ephemeral pod volumes' claim templates share. */
import { defineTypes, field, LABEL_SELECTOR, list, map, OBJECT_META, quantity, ref, string, time } from '../../../machinery/schema/dsl.js';
import { CORE } from './names.js';

defineTypes(
  {
    name: `${CORE}.PersistentVolumeClaim`,
    description: "PersistentVolumeClaim is a user's request for and claim to a persistent volume",
    gvk: { group: '', version: 'v1', kind: 'PersistentVolumeClaim' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      spec: field(
        2,
        ref(`${CORE}.PersistentVolumeClaimSpec`),
        'spec defines the desired characteristics of a volume requested by a pod author.',
      ),
      status: field(
        3,
        ref(`${CORE}.PersistentVolumeClaimStatus`),
        'status represents the current information/status of a persistent volume claim. Read-only.',
      ),
    },
  },
  {
    name: `${CORE}.PersistentVolumeClaimSpec`,
    description:
      'PersistentVolumeClaimSpec describes the common attributes of storage devices and allows a Source for provider-specific attributes',
    fields: {
      accessModes: field(1, list(string), 'accessModes contains the desired access modes the volume should have.', {
        listType: 'atomic',
        enum: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'],
      }),
      selector: field(4, ref(LABEL_SELECTOR), 'selector is a label query over volumes to consider for binding.'),
      resources: field(
        2,
        ref(`${CORE}.VolumeResourceRequirements`),
        'resources represents the minimum resources the volume should have. If RecoverVolumeExpansionFailure feature is enabled users are allowed to specify resource requirements that are lower than previous value but must still be higher than capacity recorded in the status field of the claim.',
      ),
      volumeName: field(3, string, 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
      storageClassName: field(5, string, 'storageClassName is the name of the StorageClass required by the claim.'),
      volumeMode: field(
        6,
        string,
        'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.',
        { enum: ['Block', 'Filesystem'] },
      ),
      dataSource: field(
        7,
        ref(`${CORE}.TypedLocalObjectReference`),
        'dataSource field can be used to specify either an existing VolumeSnapshot object (snapshot.storage.k8s.io/VolumeSnapshot) or an existing PVC (PersistentVolumeClaim). If the provisioner or an external controller can support the specified data source, it will create a new volume based on the contents of the specified data source.',
      ),
      dataSourceRef: field(
        8,
        ref(`${CORE}.TypedObjectReference`),
        'dataSourceRef specifies the object from which to populate the volume with data, if a non-empty volume is desired. This may be any object from a non-empty API group (non core object) or a PersistentVolumeClaim object.',
      ),
      volumeAttributesClassName: field(
        9,
        string,
        'volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim. If specified, the CSI driver will create or update the volume with the attributes defined in the corresponding VolumeAttributesClass.',
      ),
    },
  },
  {
    name: `${CORE}.VolumeResourceRequirements`,
    description: 'VolumeResourceRequirements describes the storage resource requirements for a volume.',
    fields: {
      limits: field(1, map(quantity), 'Limits describes the maximum amount of compute resources allowed.'),
      requests: field(
        2,
        map(quantity),
        'Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified, otherwise to an implementation-defined value.',
      ),
    },
  },
  {
    name: `${CORE}.PersistentVolumeClaimStatus`,
    description: 'PersistentVolumeClaimStatus is the current status of a persistent volume claim.',
    fields: {
      phase: field(1, string, 'phase represents the current phase of PersistentVolumeClaim.', { enum: ['Pending', 'Bound', 'Lost'] }),
      accessModes: field(2, list(string), 'accessModes contains the actual access modes the volume backing the PVC has.', {
        listType: 'atomic',
        enum: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'],
      }),
      capacity: field(3, map(quantity), 'capacity represents the actual resources of the underlying volume.'),
      conditions: field(
        4,
        list(ref(`${CORE}.PersistentVolumeClaimCondition`)),
        "conditions is the current Condition of persistent volume claim. If underlying persistent volume is being resized then the Condition will be set to 'Resizing'.",
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
      ),
      allocatedResources: field(
        5,
        map(quantity),
        'allocatedResources tracks the resources allocated to a PVC including its capacity. Key names follow standard Kubernetes label syntax.',
      ),
      allocatedResourceStatuses: field(
        7,
        map(string),
        'allocatedResourceStatuses stores status of resource being resized for the given PVC. Key names follow standard Kubernetes label syntax.',
        { mapType: 'granular' },
      ),
      currentVolumeAttributesClassName: field(
        8,
        string,
        'currentVolumeAttributesClassName is the current name of the VolumeAttributesClass the PVC is using. When unset, there is no VolumeAttributeClass applied to this PersistentVolumeClaim This is a beta field and requires enabling VolumeAttributesClass feature (off by default).',
      ),
      modifyVolumeStatus: field(
        9,
        ref(`${CORE}.ModifyVolumeStatus`),
        'ModifyVolumeStatus represents the status object of ControllerModifyVolume operation. When this is unset, there is no ModifyVolume operation being attempted.',
      ),
    },
  },
  {
    name: `${CORE}.PersistentVolumeClaimCondition`,
    description: 'PersistentVolumeClaimCondition contains details about state of pvc',
    required: ['type', 'status'],
    fields: {
      type: field(1, string, 'Type is the type of the condition.'),
      status: field(2, string, 'Status is the status of the condition. Can be True, False, Unknown.'),
      lastProbeTime: field(3, time, 'lastProbeTime is the time we probed the condition.'),
      lastTransitionTime: field(4, time, 'lastTransitionTime is the time the condition transitioned from one status to another.'),
      reason: field(
        5,
        string,
        'reason is a unique, this should be a short, machine understandable string that gives the reason for condition\'s last transition. If it reports "Resizing" that means the underlying persistent volume is being resized.',
      ),
      message: field(6, string, 'message is the human-readable message indicating details about last transition.'),
    },
  },
  {
    name: `${CORE}.ModifyVolumeStatus`,
    description: 'ModifyVolumeStatus represents the status object of ControllerModifyVolume operation',
    required: ['status'],
    fields: {
      targetVolumeAttributesClassName: field(
        1,
        string,
        'targetVolumeAttributesClassName is the name of the VolumeAttributesClass the PVC currently being reconciled',
      ),
      status: field(
        2,
        string,
        'status is the status of the ControllerModifyVolume operation. It can be in any of following states: - Pending Pending indicates that the PersistentVolumeClaim cannot be modified due to unmet requirements, such as the specified VolumeAttributesClass not existing. - InProgress InProgress indicates that the volume is being modified. - Infeasible Infeasible indicates that the request has been rejected as invalid by the CSI driver.',
        { enum: ['Pending', 'InProgress', 'Infeasible'] },
      ),
    },
  },
);
