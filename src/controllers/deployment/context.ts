/** What the deployment controller's verbs (sync, rolling, recreate) share. */
import type { EventRecorder, ResourceClient } from '../../client/interface.js';
import type { Deployment } from '../controller-utils/types.js';

export interface DeploymentContext {
  deployments: ResourceClient;
  replicaSets: ResourceClient;
  recorder: EventRecorder;
  now(): number;
  enqueueAfter(d: Deployment, delayMs: number): void;
  enqueueRateLimited(d: Deployment): void;
}

/** UpdateStatus of the working copy; keeps its resourceVersion current for the next write. */
export async function writeStatus(ctx: DeploymentContext, d: Deployment): Promise<void> {
  const updated = await ctx.deployments.updateStatus(d.metadata.namespace ?? '', d);
  d.metadata.resourceVersion = updated.metadata.resourceVersion;
}
