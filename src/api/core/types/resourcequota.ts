/** ResourceQuota: aggregate limits per namespace (core/v1). */
import { defineTypes, field, list, map, OBJECT_META, quantity, ref, string } from '../../../machinery/schema/dsl.js';
import { CORE } from './names.js';

defineTypes(
  {
    name: `${CORE}.ResourceQuota`,
    description: 'ResourceQuota sets aggregate quota restrictions enforced per namespace',
    gvk: { group: '', version: 'v1', kind: 'ResourceQuota' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      spec: field(2, ref(`${CORE}.ResourceQuotaSpec`), 'Spec defines the desired quota.'),
      status: field(3, ref(`${CORE}.ResourceQuotaStatus`), 'Status defines the actual enforced quota and its current usage.'),
    },
  },
  {
    name: `${CORE}.ResourceQuotaSpec`,
    description: 'ResourceQuotaSpec defines the desired hard limits to enforce for Quota.',
    fields: {
      hard: field(1, map(quantity), 'hard is the set of desired hard limits for each named resource.'),
      scopes: field(
        2,
        list(string),
        'A collection of filters that must match each object tracked by a quota. If not specified, the quota matches all objects.',
        {
          listType: 'atomic',
          enum: [
            'Terminating',
            'NotTerminating',
            'BestEffort',
            'NotBestEffort',
            'PriorityClass',
            'CrossNamespacePodAffinity',
            'VolumeAttributesClass',
          ],
        },
      ),
      scopeSelector: field(
        3,
        ref(`${CORE}.ScopeSelector`),
        'scopeSelector is also a collection of filters like scopes that must match each object tracked by a quota but expressed using ScopeSelectorOperator in combination with possible values. For a resource to match, both scopes AND scopeSelector (if specified in spec), must be matched.',
      ),
    },
  },
  {
    name: `${CORE}.ResourceQuotaStatus`,
    description: 'ResourceQuotaStatus defines the enforced hard limits and observed use.',
    fields: {
      hard: field(1, map(quantity), 'Hard is the set of enforced hard limits for each named resource.'),
      used: field(2, map(quantity), 'Used is the current observed total usage of the resource in the namespace.'),
    },
  },
  {
    name: `${CORE}.ScopeSelector`,
    description: 'A scope selector represents the AND of the selectors represented by the scoped-resource selector requirements.',
    atomic: true,
    fields: {
      matchExpressions: field(
        1,
        list(ref(`${CORE}.ScopedResourceSelectorRequirement`)),
        'A list of scope selector requirements by scope of the resources.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${CORE}.ScopedResourceSelectorRequirement`,
    description:
      'A scoped-resource selector requirement is a selector that contains values, a scope name, and an operator that relates the scope name and values.',
    required: ['scopeName', 'operator'],
    fields: {
      scopeName: field(1, string, 'The name of the scope that the selector applies to.', {
        enum: [
          'Terminating',
          'NotTerminating',
          'BestEffort',
          'NotBestEffort',
          'PriorityClass',
          'CrossNamespacePodAffinity',
          'VolumeAttributesClass',
        ],
      }),
      operator: field(
        2,
        string,
        "Represents a scope's relationship to a set of values. Valid operators are In, NotIn, Exists, DoesNotExist.",
        { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
      ),
      values: field(3, list(string), 'An array of string values. If the operator is In or NotIn, the values array must be non-empty.', {
        listType: 'atomic',
      }),
    },
  },
);
