/** core/v1: Node affinity, pod affinity and pod anti-affinity. */
import { LABEL_SELECTOR, defineTypes, field, int32, list, ref, string } from '../../../machinery/schema/dsl.js';
import {
  AFFINITY,
  NODE_AFFINITY,
  NODE_SELECTOR,
  NODE_SELECTOR_REQUIREMENT,
  NODE_SELECTOR_TERM,
  POD_AFFINITY,
  POD_AFFINITY_TERM,
  POD_ANTI_AFFINITY,
  PREFERRED_SCHEDULING_TERM,
  WEIGHTED_POD_AFFINITY_TERM,
} from './pod-names.js';

defineTypes(
  {
    name: AFFINITY,
    description: 'Affinity is a group of affinity scheduling rules.',
    fields: {
      nodeAffinity: field(1, ref(NODE_AFFINITY), 'Describes node affinity scheduling rules for the pod.'),
      podAffinity: field(
        2,
        ref(POD_AFFINITY),
        'Describes pod affinity scheduling rules (e.g. co-locate this pod in the same node, zone, etc. as some other pod(s)).',
      ),
      podAntiAffinity: field(
        3,
        ref(POD_ANTI_AFFINITY),
        'Describes pod anti-affinity scheduling rules (e.g. avoid putting this pod in the same node, zone, etc. as some other pod(s)).',
      ),
    },
  },
  {
    name: NODE_AFFINITY,
    description: 'Node affinity is a group of node affinity scheduling rules.',
    fields: {
      requiredDuringSchedulingIgnoredDuringExecution: field(
        1,
        ref(NODE_SELECTOR),
        'If the affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node.',
      ),
      preferredDuringSchedulingIgnoredDuringExecution: field(
        2,
        list(ref(PREFERRED_SCHEDULING_TERM)),
        'The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions specified by this field, but it may choose a node that violates one or more of the expressions.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: NODE_SELECTOR,
    description:
      'A node selector represents the union of the results of one or more label queries over a set of nodes; that is, it represents the OR of the selectors represented by the node selector terms.',
    atomic: true,
    required: ['nodeSelectorTerms'],
    fields: {
      nodeSelectorTerms: field(1, list(ref(NODE_SELECTOR_TERM)), 'Required. A list of node selector terms.', { listType: 'atomic' }),
    },
  },
  {
    name: NODE_SELECTOR_TERM,
    description: 'A null or empty node selector term matches no objects. The requirements of them are ANDed.',
    atomic: true,
    fields: {
      matchExpressions: field(1, list(ref(NODE_SELECTOR_REQUIREMENT)), "A list of node selector requirements by node's labels.", {
        listType: 'atomic',
      }),
      matchFields: field(2, list(ref(NODE_SELECTOR_REQUIREMENT)), "A list of node selector requirements by node's fields.", {
        listType: 'atomic',
      }),
    },
  },
  {
    name: NODE_SELECTOR_REQUIREMENT,
    description: 'A node selector requirement is a selector that contains values, a key, and an operator that relates the key and values.',
    required: ['key', 'operator'],
    fields: {
      key: field(1, string, 'The label key that the selector applies to.'),
      operator: field(
        2,
        string,
        "Represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists, DoesNotExist.",
        { enum: ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'] },
      ),
      values: field(3, list(string), 'An array of string values. If the operator is In or NotIn, the values array must be non-empty.', {
        listType: 'atomic',
      }),
    },
  },
  {
    name: PREFERRED_SCHEDULING_TERM,
    description:
      "An empty preferred scheduling term matches all objects with implicit weight 0 (i.e. it's a no-op). A null preferred scheduling term matches no objects (i.e. is also a no-op).",
    required: ['weight', 'preference'],
    fields: {
      weight: field(1, int32, 'Weight associated with matching the corresponding nodeSelectorTerm, in the range 1-100.'),
      preference: field(2, ref(NODE_SELECTOR_TERM), 'A node selector term, associated with the corresponding weight.'),
    },
  },
  {
    name: POD_AFFINITY,
    description: 'Pod affinity is a group of inter pod affinity scheduling rules.',
    fields: {
      requiredDuringSchedulingIgnoredDuringExecution: field(
        1,
        list(ref(POD_AFFINITY_TERM)),
        'If the affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node.',
        { listType: 'atomic' },
      ),
      preferredDuringSchedulingIgnoredDuringExecution: field(
        2,
        list(ref(WEIGHTED_POD_AFFINITY_TERM)),
        'The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions specified by this field, but it may choose a node that violates one or more of the expressions.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: POD_ANTI_AFFINITY,
    description: 'Pod anti affinity is a group of inter pod anti affinity scheduling rules.',
    fields: {
      requiredDuringSchedulingIgnoredDuringExecution: field(
        1,
        list(ref(POD_AFFINITY_TERM)),
        'If the anti-affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node.',
        { listType: 'atomic' },
      ),
      preferredDuringSchedulingIgnoredDuringExecution: field(
        2,
        list(ref(WEIGHTED_POD_AFFINITY_TERM)),
        'The scheduler will prefer to schedule pods to nodes that satisfy the anti-affinity expressions specified by this field, but it may choose a node that violates one or more of the expressions.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: POD_AFFINITY_TERM,
    description:
      'Defines a set of pods (namely those matching the labelSelector relative to the given namespace(s)) that this pod should be co-located (affinity) or not co-located (anti-affinity) with, where co-located is defined as running on a node whose value of the label with key <topologyKey> matches that of any node on which a pod of the set of pods is running.',
    required: ['topologyKey'],
    fields: {
      labelSelector: field(
        1,
        ref(LABEL_SELECTOR),
        "A label query over a set of resources, in this case pods. If it's null, this PodAffinityTerm matches with no Pods.",
      ),
      namespaces: field(
        2,
        list(string),
        'namespaces specifies a static list of namespace names that the term applies to. The term is applied to the union of the namespaces listed in this field and the ones selected by namespaceSelector. null or empty namespaces list and null namespaceSelector means "this pod\'s namespace".',
        { listType: 'atomic' },
      ),
      topologyKey: field(
        3,
        string,
        'This pod should be co-located (affinity) or not co-located (anti-affinity) with the pods matching the labelSelector in the specified namespaces, where co-located is defined as running on a node whose value of the label with key topologyKey matches that of any node on which any of the selected pods is running.',
      ),
      namespaceSelector: field(
        4,
        ref(LABEL_SELECTOR),
        'A label query over the set of namespaces that the term applies to. The term is applied to the union of the namespaces selected by this field and the ones listed in the namespaces field. null selector and null or empty namespaces list means "this pod\'s namespace".',
      ),
      matchLabelKeys: field(
        5,
        list(string),
        "MatchLabelKeys is a set of pod label keys to select which pods will be taken into consideration. The keys are used to lookup values from the incoming pod labels, those key-value labels are merged with `labelSelector` as `key in (value)` to select the group of existing pods which pods will be taken into consideration for the incoming pod's pod (anti) affinity.",
        { listType: 'atomic' },
      ),
      mismatchLabelKeys: field(
        6,
        list(string),
        "MismatchLabelKeys is a set of pod label keys to select which pods will be taken into consideration. The keys are used to lookup values from the incoming pod labels, those key-value labels are merged with `labelSelector` as `key notin (value)` to select the group of existing pods which pods will be taken into consideration for the incoming pod's pod (anti) affinity.",
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: WEIGHTED_POD_AFFINITY_TERM,
    description: 'The weights of all of the matched WeightedPodAffinityTerm fields are added per-node to find the most preferred node(s).',
    required: ['weight', 'podAffinityTerm'],
    fields: {
      weight: field(1, int32, 'weight associated with matching the corresponding podAffinityTerm, in the range 1-100.'),
      podAffinityTerm: field(2, ref(POD_AFFINITY_TERM), 'Required. A pod affinity term, associated with the corresponding weight.'),
    },
  },
);
