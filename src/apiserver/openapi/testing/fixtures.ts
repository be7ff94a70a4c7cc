/** A custom resource used by the tests (the CronTab of the Kubernetes CRD docs). */
import type { CustomResourceOpenApi } from '../resources.js';

export const CRONTAB: CustomResourceOpenApi = {
  group: 'stable.example.com',
  version: 'v1',
  kind: 'CronTab',
  plural: 'crontabs',
  namespaced: true,
  status: true,
  schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        description: 'CronTabSpec is the desired state of a CronTab.',
        properties: {
          cronSpec: { type: 'string', description: 'The cron schedule, e.g. "* * * * */5".' },
          replicas: { type: 'integer', nullable: true, description: 'How many to run.' },
          port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        },
      },
    },
  },
};
