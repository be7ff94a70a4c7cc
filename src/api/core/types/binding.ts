/** Binding: the body of POST pods/binding, which binds a pod to a node (core/v1). */
import { defineTypes, field, OBJECT_META, ref } from '../../../machinery/schema/dsl.js';
import { CORE } from './names.js';

defineTypes({
  name: `${CORE}.Binding`,
  description: 'Binding ties one object to another; for example, a pod is bound to a node by a scheduler.',
  gvk: { group: '', version: 'v1', kind: 'Binding' },
  required: ['target'],
  fields: {
    metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
    target: field(2, ref(`${CORE}.ObjectReference`), 'The target object that you want to bind to the standard object.'),
  },
});
