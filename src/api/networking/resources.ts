/** networking.k8s.io/v1 resources. */
import { defineResource } from '../define.js';
import type { ResourceType } from '../resource.js';
import { ingressPrinter, ingressStrategy } from './ingress.js';
import { ingressClassPrinter, ingressClassStrategy } from './ingressclass.js';
import { networkPolicyPrinter, networkPolicyStrategy } from './networkpolicy.js';

const g = { group: 'networking.k8s.io', version: 'v1' };

export const networkingResources: ResourceType[] = [
  defineResource({
    ...g,
    kind: 'IngressClass',
    plural: 'ingressclasses',
    namespaced: false,
    strategy: ingressClassStrategy,
    printer: ingressClassPrinter,
  }),
  defineResource({
    ...g,
    kind: 'Ingress',
    plural: 'ingresses',
    namespaced: true,
    shortNames: ['ing'],
    status: true,
    strategy: ingressStrategy,
    printer: ingressPrinter,
  }),
  defineResource({
    ...g,
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    namespaced: true,
    shortNames: ['netpol'],
    strategy: networkPolicyStrategy,
    printer: networkPolicyPrinter,
  }),
];
