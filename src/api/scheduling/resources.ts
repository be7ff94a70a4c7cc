/** scheduling.k8s.io/v1 resources. */
import { defineResource } from '../define.js';
import type { ResourceType } from '../resource.js';
import { priorityClassPrinter, priorityClassStrategy } from './priorityclass.js';

export const schedulingResources: ResourceType[] = [
  defineResource({
    group: 'scheduling.k8s.io',
    version: 'v1',
    kind: 'PriorityClass',
    plural: 'priorityclasses',
    namespaced: false,
    shortNames: ['pc'],
    strategy: priorityClassStrategy,
    printer: priorityClassPrinter,
  }),
];
