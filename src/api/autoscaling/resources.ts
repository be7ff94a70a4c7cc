/** autoscaling/v2 (preferred) and autoscaling/v1 HorizontalPodAutoscalers, stored as v2. */
import { defineResource } from '../define.js';
import type { ResourceType } from '../resource.js';
import { hpaV1FromV2, hpaV2FromV1 } from './convert.js';
import { hpaPrinter, hpaStrategy, hpaV1Printer, hpaV1Strategy } from './hpa.js';

const common = {
  group: 'autoscaling',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  status: true,
};

export const autoscalingResources: ResourceType[] = [
  defineResource({ ...common, version: 'v2', strategy: hpaStrategy, printer: hpaPrinter }),
  defineResource({
    ...common,
    version: 'v1',
    strategy: hpaV1Strategy,
    printer: hpaV1Printer,
    storage: { group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers', toStorage: hpaV2FromV1, fromStorage: hpaV1FromV2 },
  }),
];
