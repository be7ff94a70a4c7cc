/** autoscaling/v2 types (k8s.io/api/autoscaling/v2); field numbers from upstream's generated.proto. */
import {
  defineTypes,
  field,
  int32,
  int64,
  LABEL_SELECTOR,
  list,
  LIST_META,
  OBJECT_META,
  quantity,
  ref,
  string,
  time,
} from '../../machinery/schema/dsl.js';

/** Definition-name prefix of this group version. */
export const AUTOSCALING_V2 = 'io.k8s.api.autoscaling.v2';

export const HORIZONTAL_POD_AUTOSCALER_V2 = `${AUTOSCALING_V2}.HorizontalPodAutoscaler`;
export const HORIZONTAL_POD_AUTOSCALER_LIST_V2 = `${AUTOSCALING_V2}.HorizontalPodAutoscalerList`;

defineTypes(
  {
    name: `${AUTOSCALING_V2}.HorizontalPodAutoscaler`,
    description:
      'HorizontalPodAutoscaler is the configuration for a horizontal pod autoscaler, which automatically manages the replica count of any resource implementing the scale subresource based on the metrics specified.',
    gvk: { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' },
    fields: {
      metadata: field(1, ref(OBJECT_META), 'metadata is the standard object metadata.'),
      spec: field(
        2,
        ref(`${AUTOSCALING_V2}.HorizontalPodAutoscalerSpec`),
        'spec is the specification for the behaviour of the autoscaler.',
      ),
      status: field(3, ref(`${AUTOSCALING_V2}.HorizontalPodAutoscalerStatus`), 'status is the current information about the autoscaler.'),
    },
  },
  {
    name: `${AUTOSCALING_V2}.HorizontalPodAutoscalerList`,
    description: 'HorizontalPodAutoscalerList is a list of horizontal pod autoscaler objects.',
    gvk: { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscalerList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), 'metadata is the standard list metadata.'),
      items: field(2, list(ref(`${AUTOSCALING_V2}.HorizontalPodAutoscaler`)), 'items is the list of horizontal pod autoscaler objects.'),
    },
  },
  {
    name: `${AUTOSCALING_V2}.HorizontalPodAutoscalerSpec`,
    description: 'HorizontalPodAutoscalerSpec describes the desired functionality of the HorizontalPodAutoscaler.',
    required: ['scaleTargetRef', 'maxReplicas'],
    fields: {
      scaleTargetRef: field(
        1,
        ref(`${AUTOSCALING_V2}.CrossVersionObjectReference`),
        'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.',
      ),
      minReplicas: field(
        2,
        int32,
        'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod. minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.',
      ),
      maxReplicas: field(
        3,
        int32,
        'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.',
      ),
      metrics: field(
        4,
        list(ref(`${AUTOSCALING_V2}.MetricSpec`)),
        'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).',
        { listType: 'atomic' },
      ),
      behavior: field(
        5,
        ref(`${AUTOSCALING_V2}.HorizontalPodAutoscalerBehavior`),
        'behavior configures the scaling behavior of the target in both Up and Down directions (scaleUp and scaleDown fields respectively). If not set, the default HPAScalingRules for scale up and scale down are used.',
      ),
    },
  },
  {
    name: `${AUTOSCALING_V2}.HorizontalPodAutoscalerStatus`,
    description: 'HorizontalPodAutoscalerStatus describes the current status of a horizontal pod autoscaler.',
    required: ['desiredReplicas'],
    fields: {
      observedGeneration: field(1, int64, 'observedGeneration is the most recent generation observed by this autoscaler.'),
      lastScaleTime: field(
        2,
        time,
        'lastScaleTime is the last time the HorizontalPodAutoscaler scaled the number of pods, used by the autoscaler to control how often the number of pods is changed.',
      ),
      currentReplicas: field(
        3,
        int32,
        'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.',
      ),
      desiredReplicas: field(
        4,
        int32,
        'desiredReplicas is the desired number of replicas of pods managed by this autoscaler, as last calculated by the autoscaler.',
      ),
      currentMetrics: field(
        5,
        list(ref(`${AUTOSCALING_V2}.MetricStatus`)),
        'currentMetrics is the last read state of the metrics used by this autoscaler.',
        { listType: 'atomic' },
      ),
      conditions: field(
        6,
        list(ref(`${AUTOSCALING_V2}.HorizontalPodAutoscalerCondition`)),
        'conditions is the set of conditions required for this autoscaler to scale its target, and indicates whether or not those conditions are met.',
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
      ),
    },
  },
  {
    name: `${AUTOSCALING_V2}.CrossVersionObjectReference`,
    description: 'CrossVersionObjectReference contains enough information to let you identify the referred resource.',
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
  {
    name: `${AUTOSCALING_V2}.MetricSpec`,
    description:
      'MetricSpec specifies how to scale based on a single metric (only `type` and one other matching field should be set at once).',
    required: ['type'],
    fields: {
      type: field(
        1,
        string,
        'type is the type of metric source. It should be one of "ContainerResource", "External", "Object", "Pods" or "Resource", each mapping to a matching field in the object.',
      ),
      object: field(
        2,
        ref(`${AUTOSCALING_V2}.ObjectMetricSource`),
        'object refers to a metric describing a single kubernetes object (for example, hits-per-second on an Ingress object).',
      ),
      pods: field(
        3,
        ref(`${AUTOSCALING_V2}.PodsMetricSource`),
        'pods refers to a metric describing each pod in the current scale target (for example, transactions-processed-per-second). The values will be averaged together before being compared to the target value.',
      ),
      resource: field(
        4,
        ref(`${AUTOSCALING_V2}.ResourceMetricSource`),
        'resource refers to a resource metric (such as those specified in requests and limits) known to Kubernetes describing each pod in the current scale target (e.g. CPU or memory).',
      ),
      containerResource: field(
        7,
        ref(`${AUTOSCALING_V2}.ContainerResourceMetricSource`),
        'containerResource refers to a resource metric (such as those specified in requests and limits) known to Kubernetes describing a single container in each pod of the current scale target (e.g. CPU or memory).',
      ),
      external: field(
        5,
        ref(`${AUTOSCALING_V2}.ExternalMetricSource`),
        'external refers to a global metric that is not associated with any Kubernetes object.',
      ),
    },
  },
  {
    name: `${AUTOSCALING_V2}.HorizontalPodAutoscalerBehavior`,
    description:
      'HorizontalPodAutoscalerBehavior configures the scaling behavior of the target in both Up and Down directions (scaleUp and scaleDown fields respectively).',
    fields: {
      scaleUp: field(
        1,
        ref(`${AUTOSCALING_V2}.HPAScalingRules`),
        'scaleUp is scaling policy for scaling Up. If not set, the default value is the higher of: * increase no more than 4 pods per 60 seconds * double the number of pods per 60 seconds No stabilization is used.',
      ),
      scaleDown: field(
        2,
        ref(`${AUTOSCALING_V2}.HPAScalingRules`),
        'scaleDown is scaling policy for scaling Down. If not set, the default value is to allow to scale down to minReplicas pods, with a 300 second stabilization window (i.e., the highest recommendation for the last 300sec is used).',
      ),
    },
  },
  {
    name: `${AUTOSCALING_V2}.MetricStatus`,
    description: 'MetricStatus describes the last-read state of a single metric.',
    required: ['type'],
    fields: {
      type: field(
        1,
        string,
        'type is the type of metric source. It will be one of "ContainerResource", "External", "Object", "Pods" or "Resource", each corresponds to a matching field in the object.',
      ),
      object: field(
        2,
        ref(`${AUTOSCALING_V2}.ObjectMetricStatus`),
        'object refers to a metric describing a single kubernetes object (for example, hits-per-second on an Ingress object).',
      ),
      pods: field(
        3,
        ref(`${AUTOSCALING_V2}.PodsMetricStatus`),
        'pods refers to a metric describing each pod in the current scale target (for example, transactions-processed-per-second). The values will be averaged together before being compared to the target value.',
      ),
      resource: field(
        4,
        ref(`${AUTOSCALING_V2}.ResourceMetricStatus`),
        'resource refers to a resource metric (such as those specified in requests and limits) known to Kubernetes describing each pod in the current scale target (e.g. CPU or memory).',
      ),
      containerResource: field(
        7,
        ref(`${AUTOSCALING_V2}.ContainerResourceMetricStatus`),
        'container resource refers to a resource metric (such as those specified in requests and limits) known to Kubernetes describing a single container in each pod in the current scale target (e.g. CPU or memory).',
      ),
      external: field(
        5,
        ref(`${AUTOSCALING_V2}.ExternalMetricStatus`),
        'external refers to a global metric that is not associated with any Kubernetes object.',
      ),
    },
  },
  {
    name: `${AUTOSCALING_V2}.HorizontalPodAutoscalerCondition`,
    description: 'HorizontalPodAutoscalerCondition describes the state of a HorizontalPodAutoscaler at a certain point.',
    required: ['type', 'status'],
    fields: {
      type: field(1, string, 'type describes the current condition'),
      status: field(2, string, 'status is the status of the condition (True, False, Unknown)'),
      lastTransitionTime: field(3, time, 'lastTransitionTime is the last time the condition transitioned from one status to another'),
      reason: field(4, string, "reason is the reason for the condition's last transition."),
      message: field(5, string, 'message is a human-readable explanation containing details about the transition'),
    },
  },
  {
    name: `${AUTOSCALING_V2}.ObjectMetricSource`,
    description:
      'ObjectMetricSource indicates how to scale on a metric describing a kubernetes object (for example, hits-per-second on an Ingress object).',
    required: ['describedObject', 'target', 'metric'],
    fields: {
      describedObject: field(
        1,
        ref(`${AUTOSCALING_V2}.CrossVersionObjectReference`),
        'describedObject specifies the descriptions of a object,such as kind,name apiVersion',
      ),
      target: field(2, ref(`${AUTOSCALING_V2}.MetricTarget`), 'target specifies the target value for the given metric'),
      metric: field(3, ref(`${AUTOSCALING_V2}.MetricIdentifier`), 'metric identifies the target metric by name and selector'),
    },
  },
  {
    name: `${AUTOSCALING_V2}.PodsMetricSource`,
    description:
      'PodsMetricSource indicates how to scale on a metric describing each pod in the current scale target (for example, transactions-processed-per-second). The values will be averaged together before being compared to the target value.',
    required: ['metric', 'target'],
    fields: {
      metric: field(1, ref(`${AUTOSCALING_V2}.MetricIdentifier`), 'metric identifies the target metric by name and selector'),
      target: field(2, ref(`${AUTOSCALING_V2}.MetricTarget`), 'target specifies the target value for the given metric'),
    },
  },
  {
    name: `${AUTOSCALING_V2}.ResourceMetricSource`,
    description:
      'ResourceMetricSource indicates how to scale on a resource metric known to Kubernetes, as specified in requests and limits, describing each pod in the current scale target (e.g. CPU or memory).',
    required: ['name', 'target'],
    fields: {
      name: field(1, string, 'name is the name of the resource in question.'),
      target: field(2, ref(`${AUTOSCALING_V2}.MetricTarget`), 'target specifies the target value for the given metric'),
    },
  },
  {
    name: `${AUTOSCALING_V2}.ContainerResourceMetricSource`,
    description:
      'ContainerResourceMetricSource indicates how to scale on a resource metric known to Kubernetes, as specified in requests and limits, describing each pod in the current scale target (e.g. CPU or memory).',
    required: ['name', 'target', 'container'],
    fields: {
      name: field(1, string, 'name is the name of the resource in question.'),
      target: field(2, ref(`${AUTOSCALING_V2}.MetricTarget`), 'target specifies the target value for the given metric'),
      container: field(3, string, 'container is the name of the container in the pods of the scaling target'),
    },
  },
  {
    name: `${AUTOSCALING_V2}.ExternalMetricSource`,
    description:
      'ExternalMetricSource indicates how to scale on a metric not associated with any Kubernetes object (for example length of queue in cloud messaging service, or QPS from loadbalancer running outside of cluster).',
    required: ['metric', 'target'],
    fields: {
      metric: field(1, ref(`${AUTOSCALING_V2}.MetricIdentifier`), 'metric identifies the target metric by name and selector'),
      target: field(2, ref(`${AUTOSCALING_V2}.MetricTarget`), 'target specifies the target value for the given metric'),
    },
  },
  {
    name: `${AUTOSCALING_V2}.HPAScalingRules`,
    description:
      'HPAScalingRules configures the scaling behavior for one direction via scaling Policy Rules and a configurable metric tolerance. Scaling Policy Rules are applied after calculating DesiredReplicas from metrics for the HPA.',
    fields: {
      stabilizationWindowSeconds: field(
        3,
        int32,
        'stabilizationWindowSeconds is the number of seconds for which past recommendations should be considered while scaling up or scaling down. StabilizationWindowSeconds must be greater than or equal to zero and less than or equal to 3600 (one hour).',
      ),
      selectPolicy: field(
        1,
        string,
        'selectPolicy is used to specify which policy should be used. If not set, the default value Max is used.',
      ),
      policies: field(
        2,
        list(ref(`${AUTOSCALING_V2}.HPAScalingPolicy`)),
        'policies is a list of potential scaling polices which can be used during scaling.',
        { listType: 'atomic' },
      ),
      tolerance: field(
        4,
        quantity,
        'tolerance is the tolerance on the ratio between the current and desired metric value under which no updates are made to the desired number of replicas (e.g. 0.01 for 1%). Must be greater than or equal to zero.',
      ),
    },
  },
  {
    name: `${AUTOSCALING_V2}.ObjectMetricStatus`,
    description:
      'ObjectMetricStatus indicates the current value of a metric describing a kubernetes object (for example, hits-per-second on an Ingress object).',
    required: ['metric', 'current', 'describedObject'],
    fields: {
      metric: field(1, ref(`${AUTOSCALING_V2}.MetricIdentifier`), 'metric identifies the target metric by name and selector'),
      current: field(2, ref(`${AUTOSCALING_V2}.MetricValueStatus`), 'current contains the current value for the given metric'),
      describedObject: field(
        3,
        ref(`${AUTOSCALING_V2}.CrossVersionObjectReference`),
        'DescribedObject specifies the descriptions of a object,such as kind,name apiVersion',
      ),
    },
  },
  {
    name: `${AUTOSCALING_V2}.PodsMetricStatus`,
    description:
      'PodsMetricStatus indicates the current value of a metric describing each pod in the current scale target (for example, transactions-processed-per-second).',
    required: ['metric', 'current'],
    fields: {
      metric: field(1, ref(`${AUTOSCALING_V2}.MetricIdentifier`), 'metric identifies the target metric by name and selector'),
      current: field(2, ref(`${AUTOSCALING_V2}.MetricValueStatus`), 'current contains the current value for the given metric'),
    },
  },
  {
    name: `${AUTOSCALING_V2}.ResourceMetricStatus`,
    description:
      'ResourceMetricStatus indicates the current value of a resource metric known to Kubernetes, as specified in requests and limits, describing each pod in the current scale target (e.g. CPU or memory).',
    required: ['name', 'current'],
    fields: {
      name: field(1, string, 'name is the name of the resource in question.'),
      current: field(2, ref(`${AUTOSCALING_V2}.MetricValueStatus`), 'current contains the current value for the given metric'),
    },
  },
  {
    name: `${AUTOSCALING_V2}.ContainerResourceMetricStatus`,
    description:
      'ContainerResourceMetricStatus indicates the current value of a resource metric known to Kubernetes, as specified in requests and limits, describing a single container in each pod in the current scale target (e.g. CPU or memory).',
    required: ['name', 'current', 'container'],
    fields: {
      name: field(1, string, 'name is the name of the resource in question.'),
      current: field(2, ref(`${AUTOSCALING_V2}.MetricValueStatus`), 'current contains the current value for the given metric'),
      container: field(3, string, 'container is the name of the container in the pods of the scaling target'),
    },
  },
  {
    name: `${AUTOSCALING_V2}.ExternalMetricStatus`,
    description: 'ExternalMetricStatus indicates the current value of a global metric not associated with any Kubernetes object.',
    required: ['metric', 'current'],
    fields: {
      metric: field(1, ref(`${AUTOSCALING_V2}.MetricIdentifier`), 'metric identifies the target metric by name and selector'),
      current: field(2, ref(`${AUTOSCALING_V2}.MetricValueStatus`), 'current contains the current value for the given metric'),
    },
  },
  {
    name: `${AUTOSCALING_V2}.MetricTarget`,
    description: 'MetricTarget defines the target value, average value, or average utilization of a specific metric',
    required: ['type'],
    fields: {
      type: field(1, string, 'type represents whether the metric type is Utilization, Value, or AverageValue'),
      value: field(2, quantity, 'value is the target value of the metric (as a quantity).'),
      averageValue: field(
        3,
        quantity,
        'averageValue is the target value of the average of the metric across all relevant pods (as a quantity)',
      ),
      averageUtilization: field(
        4,
        int32,
        'averageUtilization is the target value of the average of the resource metric across all relevant pods, represented as a percentage of the requested value of the resource for the pods. Currently only valid for Resource metric source type',
      ),
    },
  },
  {
    name: `${AUTOSCALING_V2}.MetricIdentifier`,
    description: 'MetricIdentifier defines the name and optionally selector for a metric',
    required: ['name'],
    fields: {
      name: field(1, string, 'name is the name of the given metric'),
      selector: field(
        2,
        ref(LABEL_SELECTOR),
        'selector is the string-encoded form of a standard kubernetes label selector for the given metric When set, it is passed as an additional parameter to the metrics server for more specific metrics scoping.',
      ),
    },
  },
  {
    name: `${AUTOSCALING_V2}.HPAScalingPolicy`,
    description: 'HPAScalingPolicy is a single policy which must hold true for a specified past interval.',
    required: ['type', 'value', 'periodSeconds'],
    fields: {
      type: field(1, string, 'type is used to specify the scaling policy.'),
      value: field(2, int32, 'value contains the amount of change which is permitted by the policy. It must be greater than zero'),
      periodSeconds: field(
        3,
        int32,
        'periodSeconds specifies the window of time for which the policy should hold true. PeriodSeconds must be greater than zero and less than or equal to 1800 (30 min).',
      ),
    },
  },
  {
    name: `${AUTOSCALING_V2}.MetricValueStatus`,
    description: 'MetricValueStatus holds the current value for a metric',
    fields: {
      value: field(1, quantity, 'value is the current value of the metric (as a quantity).'),
      averageValue: field(
        2,
        quantity,
        'averageValue is the current value of the average of the metric across all relevant pods (as a quantity)',
      ),
      averageUtilization: field(
        3,
        int32,
        'currentAverageUtilization is the current value of the average of the resource metric across all relevant pods, represented as a percentage of the requested value of the resource for the pods.',
      ),
    },
  },
);
