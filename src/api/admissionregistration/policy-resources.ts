/** admissionregistration.k8s.io/v1 resources of ValidatingAdmissionPolicy. */
import { defineResource } from '../define.js';
import type { ResourceType } from '../resource.js';
import {
  validatingAdmissionPolicyBindingPrinter,
  validatingAdmissionPolicyBindingStrategy,
  validatingAdmissionPolicyPrinter,
  validatingAdmissionPolicyStrategy,
} from './validating-admission-policy.js';

export const validatingAdmissionPolicyResources: ResourceType[] = [
  defineResource({
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    kind: 'ValidatingAdmissionPolicy',
    plural: 'validatingadmissionpolicies',
    namespaced: false,
    categories: ['api-extensions'],
    status: true,
    strategy: validatingAdmissionPolicyStrategy,
    printer: validatingAdmissionPolicyPrinter,
  }),
  defineResource({
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    plural: 'validatingadmissionpolicybindings',
    namespaced: false,
    categories: ['api-extensions'],
    strategy: validatingAdmissionPolicyBindingStrategy,
    printer: validatingAdmissionPolicyBindingPrinter,
  }),
];
