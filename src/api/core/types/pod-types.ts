/** core/v1: The Pod and PodTemplate kinds and PodTemplateSpec. */
import { OBJECT_META, defineTypes, field, ref } from '../../../machinery/schema/dsl.js';
import { POD, POD_SPEC, POD_STATUS, POD_TEMPLATE, POD_TEMPLATE_SPEC } from './pod-names.js';

defineTypes(
  {
    name: POD,
    description: 'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
    gvk: { group: '', version: 'v1', kind: 'Pod' },
    fields: {
      metadata: field(
        1,
        ref(OBJECT_META),
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ),
      spec: field(
        2,
        ref(POD_SPEC),
        'Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status',
      ),
      status: field(3, ref(POD_STATUS), 'Most recently observed status of the pod. This data may not be up to date.'),
    },
  },
  {
    name: POD_TEMPLATE,
    description: 'PodTemplate describes a template for creating copies of a predefined pod.',
    gvk: { group: '', version: 'v1', kind: 'PodTemplate' },
    fields: {
      metadata: field(
        1,
        ref(OBJECT_META),
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ),
      template: field(
        2,
        ref(POD_TEMPLATE_SPEC),
        'Template defines the pods that will be created from this pod template. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status',
      ),
    },
  },
  {
    name: POD_TEMPLATE_SPEC,
    description: 'PodTemplateSpec describes the data a pod should have when created from a template.',
    fields: {
      metadata: field(
        1,
        ref(OBJECT_META),
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ),
      spec: field(
        2,
        ref(POD_SPEC),
        'Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status',
      ),
    },
  },
);
