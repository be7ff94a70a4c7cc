/** apps/v1 StatefulSet, DaemonSet and ControllerRevision declarations (upstream's generated.proto). */
import {
  defineTypes,
  field,
  int32,
  int64,
  intOrString,
  LABEL_SELECTOR,
  list,
  LIST_META,
  OBJECT_META,
  rawExtension,
  ref,
  string,
  time,
} from '../../machinery/schema/dsl.js';
import { CORE_V1 } from '../core/types/pod-names.js';

/** Definition-name prefix of this group version. */
export const APPS_V1 = 'io.k8s.api.apps.v1';
export const STATEFUL_SET = `${APPS_V1}.StatefulSet`;
export const STATEFUL_SET_LIST = `${APPS_V1}.StatefulSetList`;
export const DAEMON_SET = `${APPS_V1}.DaemonSet`;
export const DAEMON_SET_LIST = `${APPS_V1}.DaemonSetList`;
export const CONTROLLER_REVISION = `${APPS_V1}.ControllerRevision`;
export const CONTROLLER_REVISION_LIST = `${APPS_V1}.ControllerRevisionList`;

defineTypes(
  {
    name: `${APPS_V1}.StatefulSet`,
    description:
      'StatefulSet represents a set of pods with consistent identities. Identities are defined as: - Network: A single stable DNS and hostname. - Storage: As many VolumeClaims as requested.',
    gvk: { group: 'apps', version: 'v1', kind: 'StatefulSet' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      spec: field(2, ref(`${APPS_V1}.StatefulSetSpec`), 'Spec defines the desired identities of pods in this set.'),
      status: field(
        3,
        ref(`${APPS_V1}.StatefulSetStatus`),
        'Status is the current status of Pods in this StatefulSet. This data may be out of date by some window of time.',
      ),
    },
  },
  {
    name: `${APPS_V1}.StatefulSetList`,
    description: 'StatefulSetList is a collection of StatefulSets.',
    gvk: { group: 'apps', version: 'v1', kind: 'StatefulSetList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), "Standard list's metadata."),
      items: field(2, list(ref(`${APPS_V1}.StatefulSet`)), 'Items is the list of stateful sets.'),
    },
  },
  {
    name: `${APPS_V1}.DaemonSet`,
    description: 'DaemonSet represents the configuration of a daemon set.',
    gvk: { group: 'apps', version: 'v1', kind: 'DaemonSet' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      spec: field(2, ref(`${APPS_V1}.DaemonSetSpec`), 'The desired behavior of this daemon set.'),
      status: field(
        3,
        ref(`${APPS_V1}.DaemonSetStatus`),
        'The current status of this daemon set. This data may be out of date by some window of time.',
      ),
    },
  },
  {
    name: `${APPS_V1}.DaemonSetList`,
    description: 'DaemonSetList is a collection of daemon sets.',
    gvk: { group: 'apps', version: 'v1', kind: 'DaemonSetList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), 'Standard list metadata.'),
      items: field(2, list(ref(`${APPS_V1}.DaemonSet`)), 'A list of daemon sets.'),
    },
  },
  {
    name: `${APPS_V1}.ControllerRevision`,
    description:
      'ControllerRevision implements an immutable snapshot of state data. Clients are responsible for serializing and deserializing the objects that contain their internal state.',
    gvk: { group: 'apps', version: 'v1', kind: 'ControllerRevision' },
    required: ['revision'],
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      data: field(2, rawExtension, 'Data is the serialized representation of the state.'),
      revision: field(3, int64, 'Revision indicates the revision of the state represented by Data.'),
    },
  },
  {
    name: `${APPS_V1}.ControllerRevisionList`,
    description: 'ControllerRevisionList is a resource containing a list of ControllerRevision objects.',
    gvk: { group: 'apps', version: 'v1', kind: 'ControllerRevisionList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META)),
      items: field(2, list(ref(`${APPS_V1}.ControllerRevision`)), 'Items is the list of ControllerRevisions'),
    },
  },
  {
    name: `${APPS_V1}.StatefulSetSpec`,
    description: 'A StatefulSetSpec is the specification of a StatefulSet.',
    required: ['selector', 'template'],
    fields: {
      replicas: field(
        1,
        int32,
        'replicas is the desired number of replicas of the given Template. These are replicas in the sense that they are instantiations of the same Template, but individual replicas also have a consistent identity.',
      ),
      selector: field(
        2,
        ref(LABEL_SELECTOR),
        "selector is a label query over pods that should match the replica count. It must match the pod template's labels.",
      ),
      template: field(
        3,
        ref(`${CORE_V1}.PodTemplateSpec`),
        'template is the object that describes the pod that will be created if insufficient replicas are detected. Each pod stamped out by the StatefulSet will fulfill this Template, but have a unique identity from the rest of the StatefulSet.',
      ),
      volumeClaimTemplates: field(
        4,
        list(ref(`${CORE_V1}.PersistentVolumeClaim`)),
        'volumeClaimTemplates is a list of claims that pods are allowed to reference. The StatefulSet controller is responsible for mapping network identities to claims in a way that maintains the identity of a pod.',
        { listType: 'atomic' },
      ),
      serviceName: field(
        5,
        string,
        'serviceName is the name of the service that governs this StatefulSet. This service must exist before the StatefulSet, and is responsible for the network identity of the set.',
      ),
      podManagementPolicy: field(
        6,
        string,
        'podManagementPolicy controls how pods are created during initial scale up, when replacing pods on nodes, or when scaling down.',
        { enum: ['OrderedReady', 'Parallel'] },
      ),
      updateStrategy: field(
        7,
        ref(`${APPS_V1}.StatefulSetUpdateStrategy`),
        'updateStrategy indicates the StatefulSetUpdateStrategy that will be employed to update Pods in the StatefulSet when a revision is made to Template.',
      ),
      revisionHistoryLimit: field(
        8,
        int32,
        "revisionHistoryLimit is the maximum number of revisions that will be maintained in the StatefulSet's revision history. The revision history consists of all revisions not represented by a currently applied StatefulSetSpec version.",
      ),
      minReadySeconds: field(
        9,
        int32,
        'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)',
      ),
      persistentVolumeClaimRetentionPolicy: field(
        10,
        ref(`${APPS_V1}.StatefulSetPersistentVolumeClaimRetentionPolicy`),
        'persistentVolumeClaimRetentionPolicy describes the lifecycle of persistent volume claims created from volumeClaimTemplates. By default, all persistent volume claims are created as needed and retained until manually deleted.',
      ),
      ordinals: field(
        11,
        ref(`${APPS_V1}.StatefulSetOrdinals`),
        'ordinals controls the numbering of replica indices in a StatefulSet. The default ordinals behavior assigns a "0" index to the first replica and increments the index by one for each additional replica requested.',
      ),
    },
  },
  {
    name: `${APPS_V1}.StatefulSetStatus`,
    description: 'StatefulSetStatus represents the current state of a StatefulSet.',
    required: ['replicas'],
    fields: {
      observedGeneration: field(
        1,
        int64,
        "observedGeneration is the most recent generation observed for this StatefulSet. It corresponds to the StatefulSet's generation, which is updated on mutation by the API Server.",
      ),
      replicas: field(2, int32, 'replicas is the number of Pods created by the StatefulSet controller.'),
      readyReplicas: field(3, int32, 'readyReplicas is the number of pods created for this StatefulSet with a Ready Condition.'),
      currentReplicas: field(
        4,
        int32,
        'currentReplicas is the number of Pods created by the StatefulSet controller from the StatefulSet version indicated by currentRevision.',
      ),
      updatedReplicas: field(
        5,
        int32,
        'updatedReplicas is the number of Pods created by the StatefulSet controller from the StatefulSet version indicated by updateRevision.',
      ),
      currentRevision: field(
        6,
        string,
        'currentRevision, if not empty, indicates the version of the StatefulSet used to generate Pods in the sequence [0,currentReplicas).',
      ),
      updateRevision: field(
        7,
        string,
        'updateRevision, if not empty, indicates the version of the StatefulSet used to generate Pods in the sequence [replicas-updatedReplicas,replicas)',
      ),
      collisionCount: field(
        9,
        int32,
        'collisionCount is the count of hash collisions for the StatefulSet. The StatefulSet controller uses this field as a collision avoidance mechanism when it needs to create the name for the newest ControllerRevision.',
      ),
      conditions: field(
        10,
        list(ref(`${APPS_V1}.StatefulSetCondition`)),
        "Represents the latest available observations of a statefulset's current state.",
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
      ),
      availableReplicas: field(
        11,
        int32,
        'Total number of available pods (ready for at least minReadySeconds) targeted by this statefulset.',
      ),
    },
  },
  {
    name: `${APPS_V1}.DaemonSetSpec`,
    description: 'DaemonSetSpec is the specification of a daemon set.',
    required: ['selector', 'template'],
    fields: {
      selector: field(
        1,
        ref(LABEL_SELECTOR),
        'A label query over pods that are managed by the daemon set. Must match in order to be controlled.',
      ),
      template: field(
        2,
        ref(`${CORE_V1}.PodTemplateSpec`),
        "An object that describes the pod that will be created. The DaemonSet will create exactly one copy of this pod on every node that matches the template's node selector (or on every node if no node selector is specified).",
      ),
      updateStrategy: field(
        3,
        ref(`${APPS_V1}.DaemonSetUpdateStrategy`),
        'An update strategy to replace existing DaemonSet pods with new pods.',
      ),
      minReadySeconds: field(
        4,
        int32,
        'The minimum number of seconds for which a newly created DaemonSet pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready).',
      ),
      revisionHistoryLimit: field(
        6,
        int32,
        'The number of old history to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified.',
      ),
    },
  },
  {
    name: `${APPS_V1}.DaemonSetStatus`,
    description: 'DaemonSetStatus represents the current status of a daemon set.',
    required: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'],
    fields: {
      currentNumberScheduled: field(
        1,
        int32,
        'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
      ),
      numberMisscheduled: field(
        2,
        int32,
        'The number of nodes that are running the daemon pod, but are not supposed to run the daemon pod.',
      ),
      desiredNumberScheduled: field(
        3,
        int32,
        'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).',
      ),
      numberReady: field(
        4,
        int32,
        'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.',
      ),
      observedGeneration: field(5, int64, 'The most recent generation observed by the daemon set controller.'),
      updatedNumberScheduled: field(6, int32, 'The total number of nodes that are running updated daemon pod'),
      numberAvailable: field(
        7,
        int32,
        'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
      ),
      numberUnavailable: field(
        8,
        int32,
        'The number of nodes that should be running the daemon pod and have none of the daemon pod running and available (ready for at least spec.minReadySeconds)',
      ),
      collisionCount: field(
        9,
        int32,
        'Count of hash collisions for the DaemonSet. The DaemonSet controller uses this field as a collision avoidance mechanism when it needs to create the name for the newest ControllerRevision.',
      ),
      conditions: field(
        10,
        list(ref(`${APPS_V1}.DaemonSetCondition`)),
        "Represents the latest available observations of a DaemonSet's current state.",
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
      ),
    },
  },
  {
    name: `${APPS_V1}.StatefulSetUpdateStrategy`,
    description:
      'StatefulSetUpdateStrategy indicates the strategy that the StatefulSet controller will use to perform updates. It includes any additional parameters necessary to perform the update for the indicated strategy.',
    fields: {
      type: field(1, string, 'Type indicates the type of the StatefulSetUpdateStrategy. Default is RollingUpdate.', {
        enum: ['RollingUpdate', 'OnDelete'],
      }),
      rollingUpdate: field(
        2,
        ref(`${APPS_V1}.RollingUpdateStatefulSetStrategy`),
        'RollingUpdate is used to communicate parameters when Type is RollingUpdateStatefulSetStrategyType.',
      ),
    },
  },
  {
    name: `${APPS_V1}.StatefulSetPersistentVolumeClaimRetentionPolicy`,
    description:
      'StatefulSetPersistentVolumeClaimRetentionPolicy describes the policy used for PVCs created from the StatefulSet VolumeClaimTemplates.',
    fields: {
      whenDeleted: field(
        1,
        string,
        'WhenDeleted specifies what happens to PVCs created from StatefulSet VolumeClaimTemplates when the StatefulSet is deleted. The default policy of `Retain` causes PVCs to not be affected by StatefulSet deletion.',
      ),
      whenScaled: field(
        2,
        string,
        'WhenScaled specifies what happens to PVCs created from StatefulSet VolumeClaimTemplates when the StatefulSet is scaled down. The default policy of `Retain` causes PVCs to not be affected by a scaledown.',
      ),
    },
  },
  {
    name: `${APPS_V1}.StatefulSetOrdinals`,
    description: 'StatefulSetOrdinals describes the policy used for replica ordinal assignment in this StatefulSet.',
    fields: {
      start: field(
        1,
        int32,
        "start is the number representing the first replica's index. It may be used to number replicas from an alternate index (eg: 1-indexed) over the default 0-indexed names, or to orchestrate progressive movement of replicas from one StatefulSet to another.",
      ),
    },
  },
  {
    name: `${APPS_V1}.StatefulSetCondition`,
    description: 'StatefulSetCondition describes the state of a statefulset at a certain point.',
    required: ['type', 'status'],
    fields: {
      type: field(1, string, 'Type of statefulset condition.'),
      status: field(2, string, 'Status of the condition, one of True, False, Unknown.'),
      lastTransitionTime: field(3, time, 'Last time the condition transitioned from one status to another.'),
      reason: field(4, string, "The reason for the condition's last transition."),
      message: field(5, string, 'A human readable message indicating details about the transition.'),
    },
  },
  {
    name: `${APPS_V1}.DaemonSetUpdateStrategy`,
    description: 'DaemonSetUpdateStrategy is a struct used to control the update strategy for a DaemonSet.',
    fields: {
      type: field(1, string, 'Type of daemon set update. Can be "RollingUpdate" or "OnDelete".', { enum: ['RollingUpdate', 'OnDelete'] }),
      rollingUpdate: field(
        2,
        ref(`${APPS_V1}.RollingUpdateDaemonSet`),
        'Rolling update config params. Present only if type = "RollingUpdate".',
      ),
    },
  },
  {
    name: `${APPS_V1}.DaemonSetCondition`,
    description: 'DaemonSetCondition describes the state of a DaemonSet at a certain point.',
    required: ['type', 'status'],
    fields: {
      type: field(1, string, 'Type of DaemonSet condition.'),
      status: field(2, string, 'Status of the condition, one of True, False, Unknown.'),
      lastTransitionTime: field(3, time, 'Last time the condition transitioned from one status to another.'),
      reason: field(4, string, "The reason for the condition's last transition."),
      message: field(5, string, 'A human readable message indicating details about the transition.'),
    },
  },
  {
    name: `${APPS_V1}.RollingUpdateStatefulSetStrategy`,
    description: 'RollingUpdateStatefulSetStrategy is used to communicate parameter for RollingUpdateStatefulSetStrategyType.',
    fields: {
      partition: field(
        1,
        int32,
        'Partition indicates the ordinal at which the StatefulSet should be partitioned for updates. During a rolling update, all pods from ordinal Replicas-1 to Partition are updated.',
      ),
      maxUnavailable: field(
        2,
        intOrString,
        'The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%).',
      ),
    },
  },
  {
    name: `${APPS_V1}.RollingUpdateDaemonSet`,
    description: 'Spec to control the desired behavior of daemon set rolling update.',
    fields: {
      maxUnavailable: field(
        1,
        intOrString,
        'The maximum number of DaemonSet pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of total number of DaemonSet pods at the start of the update (ex: 10%).',
      ),
      maxSurge: field(
        2,
        intOrString,
        'The maximum number of nodes with an existing available DaemonSet pod that can have an updated DaemonSet pod during during an update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%).',
      ),
    },
  },
);
