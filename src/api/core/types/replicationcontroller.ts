/** ReplicationController (core/v1). Its template type, PodTemplateSpec, is declared in the pod-* files. */
import { defineTypes, field, int32, int64, list, map, OBJECT_META, ref, string, time } from '../../../machinery/schema/dsl.js';
import { CORE } from './names.js';

defineTypes(
  {
    name: `${CORE}.ReplicationController`,
    description: 'ReplicationController represents the configuration of a replication controller.',
    gvk: { group: '', version: 'v1', kind: 'ReplicationController' },
    fields: {
      metadata: field(
        1,
        ref(OBJECT_META),
        "If the Labels of a ReplicationController are empty, they are defaulted to be the same as the Pod(s) that the replication controller manages. Standard object's metadata.",
      ),
      spec: field(
        2,
        ref(`${CORE}.ReplicationControllerSpec`),
        'Spec defines the specification of the desired behavior of the replication controller.',
      ),
      status: field(
        3,
        ref(`${CORE}.ReplicationControllerStatus`),
        'Status is the most recently observed status of the replication controller. This data may be out of date by some window of time.',
      ),
    },
  },
  {
    name: `${CORE}.ReplicationControllerSpec`,
    description: 'ReplicationControllerSpec is the specification of a replication controller.',
    fields: {
      replicas: field(
        1,
        int32,
        'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified.',
        { default: 1 },
      ),
      minReadySeconds: field(
        4,
        int32,
        'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)',
        { default: 0 },
      ),
      selector: field(
        2,
        map(string),
        'Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template.',
        { mapType: 'atomic' },
      ),
      template: field(
        3,
        ref(`${CORE}.PodTemplateSpec`),
        'Template is the object that describes the pod that will be created if insufficient replicas are detected. This takes precedence over a TemplateRef.',
      ),
    },
  },
  {
    name: `${CORE}.ReplicationControllerStatus`,
    description: 'ReplicationControllerStatus represents the current status of a replication controller.',
    required: ['replicas'],
    fields: {
      replicas: field(1, int32, 'Replicas is the most recently observed number of replicas.'),
      fullyLabeledReplicas: field(
        2,
        int32,
        'The number of pods that have labels matching the labels of the pod template of the replication controller.',
      ),
      readyReplicas: field(4, int32, 'The number of ready replicas for this replication controller.'),
      availableReplicas: field(
        5,
        int32,
        'The number of available replicas (ready for at least minReadySeconds) for this replication controller.',
      ),
      observedGeneration: field(
        3,
        int64,
        'ObservedGeneration reflects the generation of the most recently observed replication controller.',
      ),
      conditions: field(
        6,
        list(ref(`${CORE}.ReplicationControllerCondition`)),
        "Represents the latest available observations of a replication controller's current state.",
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
      ),
    },
  },
  {
    name: `${CORE}.ReplicationControllerCondition`,
    description: 'ReplicationControllerCondition describes the state of a replication controller at a certain point.',
    required: ['type', 'status'],
    fields: {
      type: field(1, string, 'Type of replication controller condition.'),
      status: field(2, string, 'Status of the condition, one of True, False, Unknown.'),
      lastTransitionTime: field(3, time, 'The last time the condition transitioned from one status to another.'),
      reason: field(4, string, "The reason for the condition's last transition."),
      message: field(5, string, 'A human readable message indicating details about the transition.'),
    },
  },
);
