/** apps/v1 resources. */
import { defineResource, REPLICAS_SCALE } from '../define.js';
import type { ResourceType } from '../resource.js';
import { controllerRevisionPrinter, controllerRevisionStrategy } from './controllerrevision.js';
import { daemonSetPrinter, daemonSetStrategy } from './daemonset.js';
import { deploymentPrinter, deploymentStrategy } from './deployment.js';
import { replicaSetPrinter, replicaSetStrategy } from './replicaset.js';
import { statefulSetPrinter, statefulSetStrategy } from './statefulset.js';

const g = { group: 'apps', version: 'v1', namespaced: true };

export const appsResources: ResourceType[] = [
  defineResource({
    ...g,
    kind: 'ControllerRevision',
    plural: 'controllerrevisions',
    strategy: controllerRevisionStrategy,
    printer: controllerRevisionPrinter,
  }),
  defineResource({
    ...g,
    kind: 'DaemonSet',
    plural: 'daemonsets',
    shortNames: ['ds'],
    categories: ['all'],
    status: true,
    strategy: daemonSetStrategy,
    printer: daemonSetPrinter,
  }),
  defineResource({
    ...g,
    kind: 'Deployment',
    plural: 'deployments',
    shortNames: ['deploy'],
    categories: ['all'],
    status: true,
    scale: REPLICAS_SCALE,
    strategy: deploymentStrategy,
    printer: deploymentPrinter,
  }),
  defineResource({
    ...g,
    kind: 'ReplicaSet',
    plural: 'replicasets',
    shortNames: ['rs'],
    categories: ['all'],
    status: true,
    scale: REPLICAS_SCALE,
    strategy: replicaSetStrategy,
    printer: replicaSetPrinter,
  }),
  defineResource({
    ...g,
    kind: 'StatefulSet',
    plural: 'statefulsets',
    shortNames: ['sts'],
    categories: ['all'],
    status: true,
    scale: REPLICAS_SCALE,
    strategy: statefulSetStrategy,
    printer: statefulSetPrinter,
  }),
];
