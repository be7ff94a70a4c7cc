/**
 * apps/v1 types (k8s.io/api/apps/v1); field numbers from upstream's generated.proto.
 * StatefulSet, DaemonSet and ControllerRevision live beside it in types-sets.ts.
 */
import {
  boolean,
  defineTypes,
  field,
  int32,
  int64,
  intOrString,
  LABEL_SELECTOR,
  list,
  LIST_META,
  OBJECT_META,
  ref,
  string,
  time,
} from '../../machinery/schema/dsl.js';
import { CORE_V1 } from '../core/types/pod-names.js';
import { APPS_V1 } from './types-sets.js';

export {
  APPS_V1,
  STATEFUL_SET,
  STATEFUL_SET_LIST,
  DAEMON_SET,
  DAEMON_SET_LIST,
  CONTROLLER_REVISION,
  CONTROLLER_REVISION_LIST,
} from './types-sets.js';

export const DEPLOYMENT = `${APPS_V1}.Deployment`;
export const DEPLOYMENT_LIST = `${APPS_V1}.DeploymentList`;
export const REPLICA_SET = `${APPS_V1}.ReplicaSet`;
export const REPLICA_SET_LIST = `${APPS_V1}.ReplicaSetList`;

defineTypes(
  {
    name: `${APPS_V1}.Deployment`,
    description: 'Deployment enables declarative updates for Pods and ReplicaSets.',
    gvk: { group: 'apps', version: 'v1', kind: 'Deployment' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      spec: field(2, ref(`${APPS_V1}.DeploymentSpec`), 'Specification of the desired behavior of the Deployment.'),
      status: field(3, ref(`${APPS_V1}.DeploymentStatus`), 'Most recently observed status of the Deployment.'),
    },
  },
  {
    name: `${APPS_V1}.DeploymentList`,
    description: 'DeploymentList is a list of Deployments.',
    gvk: { group: 'apps', version: 'v1', kind: 'DeploymentList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), 'Standard list metadata.'),
      items: field(2, list(ref(`${APPS_V1}.Deployment`)), 'Items is the list of Deployments.'),
    },
  },
  {
    name: `${APPS_V1}.ReplicaSet`,
    description: 'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
    gvk: { group: 'apps', version: 'v1', kind: 'ReplicaSet' },
    fields: {
      metadata: field(
        1,
        ref(OBJECT_META),
        "If the Labels of a ReplicaSet are empty, they are defaulted to be the same as the Pod(s) that the ReplicaSet manages. Standard object's metadata.",
      ),
      spec: field(2, ref(`${APPS_V1}.ReplicaSetSpec`), 'Spec defines the specification of the desired behavior of the ReplicaSet.'),
      status: field(
        3,
        ref(`${APPS_V1}.ReplicaSetStatus`),
        'Status is the most recently observed status of the ReplicaSet. This data may be out of date by some window of time.',
      ),
    },
  },
  {
    name: `${APPS_V1}.ReplicaSetList`,
    description: 'ReplicaSetList is a collection of ReplicaSets.',
    gvk: { group: 'apps', version: 'v1', kind: 'ReplicaSetList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), 'Standard list metadata.'),
      items: field(2, list(ref(`${APPS_V1}.ReplicaSet`)), 'List of ReplicaSets.'),
    },
  },
  {
    name: `${APPS_V1}.DeploymentSpec`,
    description: 'DeploymentSpec is the specification of the desired behavior of the Deployment.',
    required: ['selector', 'template'],
    fields: {
      replicas: field(1, int32, 'Number of desired pods. This is a pointer to distinguish between explicit zero and not specified.'),
      selector: field(
        2,
        ref(LABEL_SELECTOR),
        'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
      ),
      template: field(
        3,
        ref(`${CORE_V1}.PodTemplateSpec`),
        'Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is "Always".',
      ),
      strategy: field(4, ref(`${APPS_V1}.DeploymentStrategy`), 'The deployment strategy to use to replace existing pods with new ones.', {
        patchStrategy: 'retainKeys',
      }),
      minReadySeconds: field(
        5,
        int32,
        'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)',
      ),
      revisionHistoryLimit: field(
        6,
        int32,
        'The number of old ReplicaSets to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified.',
      ),
      paused: field(7, boolean, 'Indicates that the deployment is paused.'),
      progressDeadlineSeconds: field(
        9,
        int32,
        'The maximum time in seconds for a deployment to make progress before it is considered to be failed.',
      ),
    },
  },
  {
    name: `${APPS_V1}.DeploymentStatus`,
    description: 'DeploymentStatus is the most recently observed status of the Deployment.',
    fields: {
      observedGeneration: field(1, int64, 'The generation observed by the deployment controller.'),
      replicas: field(2, int32, 'Total number of non-terminating pods targeted by this deployment (their labels match the selector).'),
      updatedReplicas: field(
        3,
        int32,
        'Total number of non-terminating pods targeted by this deployment that have the desired template spec.',
      ),
      readyReplicas: field(7, int32, 'Total number of non-terminating pods targeted by this Deployment with a Ready Condition.'),
      availableReplicas: field(
        4,
        int32,
        'Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.',
      ),
      unavailableReplicas: field(
        5,
        int32,
        'Total number of unavailable pods targeted by this deployment. This is the total number of pods that are still required for the deployment to have 100% available capacity.',
      ),
      terminatingReplicas: field(
        9,
        int32,
        'Total number of terminating pods targeted by this deployment. Terminating pods have a non-null .metadata.deletionTimestamp and have not yet reached the Failed or Succeeded .status.phase.',
      ),
      conditions: field(
        6,
        list(ref(`${APPS_V1}.DeploymentCondition`)),
        "Represents the latest available observations of a deployment's current state.",
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
      ),
      collisionCount: field(
        8,
        int32,
        'Count of hash collisions for the Deployment. The Deployment controller uses this field as a collision avoidance mechanism when it needs to create the name for the newest ReplicaSet.',
      ),
    },
  },
  {
    name: `${APPS_V1}.ReplicaSetSpec`,
    description: 'ReplicaSetSpec is the specification of a ReplicaSet.',
    required: ['selector'],
    fields: {
      replicas: field(
        1,
        int32,
        'Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified.',
      ),
      minReadySeconds: field(
        4,
        int32,
        'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)',
      ),
      selector: field(
        2,
        ref(LABEL_SELECTOR),
        'Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set.',
      ),
      template: field(
        3,
        ref(`${CORE_V1}.PodTemplateSpec`),
        'Template is the object that describes the pod that will be created if insufficient replicas are detected.',
      ),
    },
  },
  {
    name: `${APPS_V1}.ReplicaSetStatus`,
    description: 'ReplicaSetStatus represents the current status of a ReplicaSet.',
    required: ['replicas'],
    fields: {
      replicas: field(1, int32, 'Replicas is the most recently observed number of non-terminating pods.'),
      fullyLabeledReplicas: field(
        2,
        int32,
        'The number of non-terminating pods that have labels matching the labels of the pod template of the replicaset.',
      ),
      readyReplicas: field(4, int32, 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.'),
      availableReplicas: field(
        5,
        int32,
        'The number of available non-terminating pods (ready for at least minReadySeconds) for this replica set.',
      ),
      terminatingReplicas: field(
        7,
        int32,
        'The number of terminating pods for this replica set. Terminating pods have a non-null .metadata.deletionTimestamp and have not yet reached the Failed or Succeeded .status.phase.',
      ),
      observedGeneration: field(3, int64, 'ObservedGeneration reflects the generation of the most recently observed ReplicaSet.'),
      conditions: field(
        6,
        list(ref(`${APPS_V1}.ReplicaSetCondition`)),
        "Represents the latest available observations of a replica set's current state.",
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
      ),
    },
  },
  {
    name: `${APPS_V1}.DeploymentStrategy`,
    description: 'DeploymentStrategy describes how to replace existing pods with new ones.',
    fields: {
      type: field(1, string, 'Type of deployment. Can be "Recreate" or "RollingUpdate".', { enum: ['Recreate', 'RollingUpdate'] }),
      rollingUpdate: field(
        2,
        ref(`${APPS_V1}.RollingUpdateDeployment`),
        'Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate.',
      ),
    },
  },
  {
    name: `${APPS_V1}.DeploymentCondition`,
    description: 'DeploymentCondition describes the state of a deployment at a certain point.',
    required: ['type', 'status'],
    fields: {
      type: field(1, string, 'Type of deployment condition.'),
      status: field(2, string, 'Status of the condition, one of True, False, Unknown.'),
      lastUpdateTime: field(6, time, 'The last time this condition was updated.'),
      lastTransitionTime: field(7, time, 'Last time the condition transitioned from one status to another.'),
      reason: field(4, string, "The reason for the condition's last transition."),
      message: field(5, string, 'A human readable message indicating details about the transition.'),
    },
  },
  {
    name: `${APPS_V1}.ReplicaSetCondition`,
    description: 'ReplicaSetCondition describes the state of a replica set at a certain point.',
    required: ['type', 'status'],
    fields: {
      type: field(1, string, 'Type of replica set condition.'),
      status: field(2, string, 'Status of the condition, one of True, False, Unknown.'),
      lastTransitionTime: field(3, time, 'The last time the condition transitioned from one status to another.'),
      reason: field(4, string, "The reason for the condition's last transition."),
      message: field(5, string, 'A human readable message indicating details about the transition.'),
    },
  },
  {
    name: `${APPS_V1}.RollingUpdateDeployment`,
    description: 'Spec to control the desired behavior of rolling update.',
    fields: {
      maxUnavailable: field(
        1,
        intOrString,
        'The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%).',
      ),
      maxSurge: field(
        2,
        intOrString,
        'The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%).',
      ),
    },
  },
);
