/** Namespace: the scope of names, and its lifecycle (core/v1). */
import { defineTypes, field, list, OBJECT_META, ref, string, time } from '../../../machinery/schema/dsl.js';
import { CORE } from './names.js';

defineTypes(
  {
    name: `${CORE}.Namespace`,
    description: 'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
    gvk: { group: '', version: 'v1', kind: 'Namespace' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      spec: field(2, ref(`${CORE}.NamespaceSpec`), 'Spec defines the behavior of the Namespace.'),
      status: field(3, ref(`${CORE}.NamespaceStatus`), 'Status describes the current status of a Namespace.'),
    },
  },
  {
    name: `${CORE}.NamespaceSpec`,
    description: 'NamespaceSpec describes the attributes on a Namespace.',
    fields: {
      finalizers: field(
        1,
        list(string),
        'Finalizers is an opaque list of values that must be empty to permanently remove object from storage.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${CORE}.NamespaceStatus`,
    description: 'NamespaceStatus is information about the current status of a Namespace.',
    fields: {
      phase: field(1, string, 'Phase is the current lifecycle phase of the namespace.', { enum: ['Active', 'Terminating'] }),
      conditions: field(
        2,
        list(ref(`${CORE}.NamespaceCondition`)),
        "Represents the latest available observations of a namespace's current state.",
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
      ),
    },
  },
  {
    name: `${CORE}.NamespaceCondition`,
    description: 'NamespaceCondition contains details about state of namespace.',
    required: ['type', 'status'],
    fields: {
      type: field(1, string, 'Type of namespace controller condition.'),
      status: field(2, string, 'Status of the condition, one of True, False, Unknown.'),
      lastTransitionTime: field(4, time, 'Last time the condition transitioned from one status to another.'),
      reason: field(5, string, "Unique, one-word, CamelCase reason for the condition's last transition."),
      message: field(6, string, 'Human-readable message indicating details about last transition.'),
    },
  },
);
