/** scheduling.k8s.io/v1 types (k8s.io/api/scheduling/v1); field numbers from upstream's generated.proto. */
import { boolean, defineTypes, field, int32, list, LIST_META, OBJECT_META, ref, string } from '../../machinery/schema/dsl.js';

/** Definition-name prefix of this group version. */
export const SCHEDULING_V1 = 'io.k8s.api.scheduling.v1';

export const PRIORITY_CLASS = `${SCHEDULING_V1}.PriorityClass`;
export const PRIORITY_CLASS_LIST = `${SCHEDULING_V1}.PriorityClassList`;

defineTypes(
  {
    name: `${SCHEDULING_V1}.PriorityClass`,
    description:
      'PriorityClass defines mapping from a priority class name to the priority integer value. The value can be any valid integer.',
    gvk: { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass' },
    required: ['value'],
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      value: field(
        2,
        int32,
        'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.',
      ),
      globalDefault: field(
        3,
        boolean,
        'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`.',
      ),
      description: field(
        4,
        string,
        'description is an arbitrary string that usually provides guidelines on when this priority class should be used.',
      ),
      preemptionPolicy: field(
        5,
        string,
        'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority.',
        { enum: ['PreemptLowerPriority', 'Never'] },
      ),
    },
  },
  {
    name: `${SCHEDULING_V1}.PriorityClassList`,
    description: 'PriorityClassList is a collection of priority classes.',
    gvk: { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClassList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), 'Standard list metadata'),
      items: field(2, list(ref(`${SCHEDULING_V1}.PriorityClass`)), 'items is the list of PriorityClasses'),
    },
  },
);
