/** policy/v1 resources. */
import { defineResource } from '../define.js';
import type { ResourceType } from '../resource.js';
import { pdbPrinter, pdbStrategy } from './pdb.js';

export const policyResources: ResourceType[] = [
  defineResource({
    group: 'policy',
    version: 'v1',
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    namespaced: true,
    shortNames: ['pdb'],
    status: true,
    strategy: pdbStrategy,
    printer: pdbPrinter,
  }),
];
