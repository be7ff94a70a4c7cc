/** autoscaling/v1 types (k8s.io/api/autoscaling/v1); field numbers from upstream's generated.proto.
 *
 * autoscaling/v2 lives beside it in types-v2.ts; Scale is declared with the scale subresources. */
import { defineTypes, field, int32, int64, list, LIST_META, OBJECT_META, ref, string, time } from '../../machinery/schema/dsl.js';
import './types-v2.js';

export { AUTOSCALING_V2, HORIZONTAL_POD_AUTOSCALER_V2, HORIZONTAL_POD_AUTOSCALER_LIST_V2 } from './types-v2.js';

/** Definition-name prefix of this group version. */
export const AUTOSCALING_V1 = 'io.k8s.api.autoscaling.v1';

export const HORIZONTAL_POD_AUTOSCALER_V1 = `${AUTOSCALING_V1}.HorizontalPodAutoscaler`;
export const HORIZONTAL_POD_AUTOSCALER_LIST_V1 = `${AUTOSCALING_V1}.HorizontalPodAutoscalerList`;
export const CROSS_VERSION_OBJECT_REFERENCE_V1 = `${AUTOSCALING_V1}.CrossVersionObjectReference`;

defineTypes(
  {
    name: `${AUTOSCALING_V1}.HorizontalPodAutoscaler`,
    description: 'configuration of a horizontal pod autoscaler.',
    gvk: { group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' },
    fields: {
      metadata: field(
        1,
        ref(OBJECT_META),
        'Standard object metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
      ),
      spec: field(
        2,
        ref(`${AUTOSCALING_V1}.HorizontalPodAutoscalerSpec`),
        'spec defines the behaviour of autoscaler. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status.',
      ),
      status: field(3, ref(`${AUTOSCALING_V1}.HorizontalPodAutoscalerStatus`), 'status is the current information about the autoscaler.'),
    },
  },
  {
    name: `${AUTOSCALING_V1}.HorizontalPodAutoscalerList`,
    description: 'list of horizontal pod autoscaler objects.',
    gvk: { group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscalerList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), 'Standard list metadata.'),
      items: field(2, list(ref(`${AUTOSCALING_V1}.HorizontalPodAutoscaler`)), 'items is the list of horizontal pod autoscaler objects.'),
    },
  },
  {
    name: `${AUTOSCALING_V1}.HorizontalPodAutoscalerSpec`,
    description: 'specification of a horizontal pod autoscaler.',
    required: ['scaleTargetRef', 'maxReplicas'],
    fields: {
      scaleTargetRef: field(
        1,
        ref(`${AUTOSCALING_V1}.CrossVersionObjectReference`),
        'reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.',
      ),
      minReplicas: field(
        2,
        int32,
        'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod. minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.',
      ),
      maxReplicas: field(
        3,
        int32,
        'maxReplicas is the upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.',
      ),
      targetCPUUtilizationPercentage: field(
        4,
        int32,
        'targetCPUUtilizationPercentage is the target average CPU utilization (represented as a percentage of requested CPU) over all the pods; if not specified the default autoscaling policy will be used.',
      ),
    },
  },
  {
    name: `${AUTOSCALING_V1}.HorizontalPodAutoscalerStatus`,
    description: 'current status of a horizontal pod autoscaler',
    required: ['currentReplicas', 'desiredReplicas'],
    fields: {
      observedGeneration: field(1, int64, 'observedGeneration is the most recent generation observed by this autoscaler.'),
      lastScaleTime: field(
        2,
        time,
        'lastScaleTime is the last time the HorizontalPodAutoscaler scaled the number of pods; used by the autoscaler to control how often the number of pods is changed.',
      ),
      currentReplicas: field(3, int32, 'currentReplicas is the current number of replicas of pods managed by this autoscaler.'),
      desiredReplicas: field(4, int32, 'desiredReplicas is the desired number of replicas of pods managed by this autoscaler.'),
      currentCPUUtilizationPercentage: field(
        5,
        int32,
        'currentCPUUtilizationPercentage is the current average CPU utilization over all pods, represented as a percentage of requested CPU, e.g. 70 means that an average pod is using now 70% of its requested CPU.',
      ),
    },
  },
  {
    name: `${AUTOSCALING_V1}.CrossVersionObjectReference`,
    description: 'CrossVersionObjectReference contains enough information to let you identify the referred resource.',
    atomic: true,
    required: ['kind', 'name'],
    fields: {
      kind: field(
        1,
        string,
        'kind is the kind of the referent; More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ),
      name: field(
        2,
        string,
        'name is the name of the referent; More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
      ),
      apiVersion: field(3, string, 'apiVersion is the API version of the referent'),
    },
  },
);
