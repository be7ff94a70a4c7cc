/** batch/v1 resources. */
import { defineResource } from '../define.js';
import type { ResourceType } from '../resource.js';
import { cronJobPrinter, cronJobStrategy } from './cronjob.js';
import { jobPrinter, jobStrategy } from './job.js';

const g = { group: 'batch', version: 'v1', namespaced: true, categories: ['all'], status: true };

export const batchResources: ResourceType[] = [
  defineResource({ ...g, kind: 'CronJob', plural: 'cronjobs', shortNames: ['cj'], strategy: cronJobStrategy, printer: cronJobPrinter }),
  defineResource({ ...g, kind: 'Job', plural: 'jobs', strategy: jobStrategy, printer: jobPrinter }),
];
