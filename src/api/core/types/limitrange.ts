/** LimitRange: per-object resource limits in a namespace (core/v1). */
import { defineTypes, field, list, map, OBJECT_META, quantity, ref, string } from '../../../machinery/schema/dsl.js';
import { CORE } from './names.js';

defineTypes(
  {
    name: `${CORE}.LimitRange`,
    description: 'LimitRange sets resource usage limits for each kind of resource in a Namespace.',
    gvk: { group: '', version: 'v1', kind: 'LimitRange' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      spec: field(2, ref(`${CORE}.LimitRangeSpec`), 'Spec defines the limits enforced.'),
    },
  },
  {
    name: `${CORE}.LimitRangeSpec`,
    description: 'LimitRangeSpec defines a min/max usage limit for resources that match on kind.',
    required: ['limits'],
    fields: {
      limits: field(1, list(ref(`${CORE}.LimitRangeItem`)), 'Limits is the list of LimitRangeItem objects that are enforced.', {
        listType: 'atomic',
      }),
    },
  },
  {
    name: `${CORE}.LimitRangeItem`,
    description: 'LimitRangeItem defines a min/max usage limit for any resource that matches on kind.',
    required: ['type'],
    fields: {
      type: field(1, string, 'Type of resource that this limit applies to.'),
      max: field(2, map(quantity), 'Max usage constraints on this kind by resource name.'),
      min: field(3, map(quantity), 'Min usage constraints on this kind by resource name.'),
      default: field(4, map(quantity), 'Default resource requirement limit value by resource name if resource limit is omitted.'),
      defaultRequest: field(
        5,
        map(quantity),
        'DefaultRequest is the default resource requirement request value by resource name if resource request is omitted.',
      ),
      maxLimitRequestRatio: field(
        6,
        map(quantity),
        'MaxLimitRequestRatio if specified, the named resource must have a request and limit that are both non-zero where limit divided by request is less than or equal to the enumerated value; this represents the max burst for the named resource.',
      ),
    },
  },
);
