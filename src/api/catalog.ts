/** Every built-in resource the server serves, with the type declarations they use. */
import './all-types.js';
import type { ResourceType } from './resource.js';
import { coreResources } from './core/resources.js';
import { appsResources } from './apps/resources.js';
import { batchResources } from './batch/resources.js';
import { autoscalingResources } from './autoscaling/resources.js';
import { networkingResources } from './networking/resources.js';
import { rbacResources } from './rbac/resources.js';
import { smallGroupResources } from './others.js';

export const builtinResources: readonly ResourceType[] = [
  ...coreResources,
  ...appsResources,
  ...batchResources,
  ...autoscalingResources,
  ...networkingResources,
  ...rbacResources,
  ...smallGroupResources,
];
