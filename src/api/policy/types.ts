/** policy/v1 types (k8s.io/api/policy/v1); field numbers from upstream's generated.proto. Eviction is declared with the pods subresources. */
import {
  CONDITION,
  defineTypes,
  field,
  int32,
  int64,
  intOrString,
  LABEL_SELECTOR,
  list,
  LIST_META,
  map,
  OBJECT_META,
  ref,
  string,
  time,
} from '../../machinery/schema/dsl.js';

/** Definition-name prefix of this group version. */
export const POLICY_V1 = 'io.k8s.api.policy.v1';

export const POD_DISRUPTION_BUDGET = `${POLICY_V1}.PodDisruptionBudget`;
export const POD_DISRUPTION_BUDGET_LIST = `${POLICY_V1}.PodDisruptionBudgetList`;

defineTypes(
  {
    name: `${POLICY_V1}.PodDisruptionBudget`,
    description: 'PodDisruptionBudget is an object to define the max disruption that can be caused to a collection of pods',
    gvk: { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      spec: field(2, ref(`${POLICY_V1}.PodDisruptionBudgetSpec`), 'Specification of the desired behavior of the PodDisruptionBudget.'),
      status: field(3, ref(`${POLICY_V1}.PodDisruptionBudgetStatus`), 'Most recently observed status of the PodDisruptionBudget.'),
    },
  },
  {
    name: `${POLICY_V1}.PodDisruptionBudgetList`,
    description: 'PodDisruptionBudgetList is a collection of PodDisruptionBudgets.',
    gvk: { group: 'policy', version: 'v1', kind: 'PodDisruptionBudgetList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), "Standard object's metadata."),
      items: field(2, list(ref(`${POLICY_V1}.PodDisruptionBudget`)), 'Items is a list of PodDisruptionBudgets'),
    },
  },
  {
    name: `${POLICY_V1}.PodDisruptionBudgetSpec`,
    description: 'PodDisruptionBudgetSpec is a description of a PodDisruptionBudget.',
    fields: {
      minAvailable: field(
        1,
        intOrString,
        'An eviction is allowed if at least "minAvailable" pods selected by "selector" will still be available after the eviction, i.e. even in the absence of the evicted pod. So for example you can prevent all voluntary evictions by specifying "100%".',
      ),
      selector: field(
        2,
        ref(LABEL_SELECTOR),
        'Label query over pods whose evictions are managed by the disruption budget. A null selector will match no pods, while an empty ({}) selector will select all pods within the namespace.',
        { patchStrategy: 'replace' },
      ),
      maxUnavailable: field(
        3,
        intOrString,
        'An eviction is allowed if at most "maxUnavailable" pods selected by "selector" are unavailable after the eviction, i.e. even in absence of the evicted pod.',
      ),
      unhealthyPodEvictionPolicy: field(
        4,
        string,
        'UnhealthyPodEvictionPolicy defines the criteria for when unhealthy pods should be considered for eviction. Current implementation considers healthy pods, as pods that have status.conditions item with type="Ready",status="True".',
        { enum: ['IfHealthyBudget', 'AlwaysAllow'] },
      ),
    },
  },
  {
    name: `${POLICY_V1}.PodDisruptionBudgetStatus`,
    description:
      'PodDisruptionBudgetStatus represents information about the status of a PodDisruptionBudget. Status may trail the actual state of a system.',
    required: ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'],
    fields: {
      observedGeneration: field(
        1,
        int64,
        "Most recent generation observed when updating this PDB status. DisruptionsAllowed and other status information is valid only if observedGeneration equals to PDB's object generation.",
      ),
      disruptedPods: field(
        2,
        map(time),
        'DisruptedPods contains information about pods whose eviction was processed by the API server eviction subresource handler but has not yet been observed by the PodDisruptionBudget controller.',
      ),
      disruptionsAllowed: field(3, int32, 'Number of pod disruptions that are currently allowed.'),
      currentHealthy: field(4, int32, 'current number of healthy pods'),
      desiredHealthy: field(5, int32, 'minimum desired number of healthy pods'),
      expectedPods: field(6, int32, 'total number of pods counted by this disruption budget'),
      conditions: field(
        7,
        list(ref(CONDITION)),
        'Conditions contain conditions for PDB. The disruption controller sets the DisruptionAllowed condition.',
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
      ),
    },
  },
);
