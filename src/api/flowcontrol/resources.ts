/** flowcontrol.apiserver.k8s.io/v1 resources (API Priority and Fairness). */
import { defineResource } from '../define.js';
import type { ResourceType } from '../resource.js';
import { flowSchemaPrinter, flowSchemaStrategy } from './flow-schema.js';
import { priorityLevelPrinter, priorityLevelStrategy } from './priority-level.js';

export const flowcontrolResources: ResourceType[] = [
  defineResource({
    group: 'flowcontrol.apiserver.k8s.io',
    version: 'v1',
    kind: 'FlowSchema',
    plural: 'flowschemas',
    namespaced: false,
    status: true,
    strategy: flowSchemaStrategy,
    printer: flowSchemaPrinter,
  }),
  defineResource({
    group: 'flowcontrol.apiserver.k8s.io',
    version: 'v1',
    kind: 'PriorityLevelConfiguration',
    plural: 'prioritylevelconfigurations',
    namespaced: false,
    status: true,
    strategy: priorityLevelStrategy,
    printer: priorityLevelPrinter,
  }),
];
