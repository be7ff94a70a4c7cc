/**
 * manageReplicas (replica_set.go): create missing pods in slow-start batches (1, 2, 4, …) or
 * delete the surplus, best-ranked first, recording expectations so the next sync waits for
 * the informer to catch up.
 */
import type { EventRecorder, ResourceClient } from '../../client/interface.js';
import { hasStatusCause, isStatusError } from '../../machinery/errors.js';
import type { OwnerReference } from '../../machinery/object.js';
import type { ControllerExpectations } from '../controller-utils/expectations.js';
import { podsToDelete } from '../controller-utils/pod-util.js';
import { type Pod, type ReplicaSet, specReplicas } from '../controller-utils/types.js';
import { cloneJson } from '../../machinery/clone.js';

/** Upstream's BurstReplicas: at most this many creates or deletes per sync. */
export const BURST_REPLICAS = 500;
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

export interface ManageContext {
  pods: ResourceClient;
  recorder: EventRecorder;
  expectations: ControllerExpectations;
  burstReplicas: number;
  now: () => number;
}

/**
 * slowStartBatch: calls fn `count` times, in parallel batches that double after each fully
 * successful batch. Stops at the first batch with an error; returns the successes and that error.
 */
export async function slowStartBatch(
  count: number,
  initialBatchSize: number,
  fn: () => Promise<void>,
): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    let error: unknown;
    for (const r of results) {
      if (r.status === 'fulfilled') successes++;
      else error ??= r.reason;
    }
    if (error !== undefined) return { successes, error };
    remaining -= batch;
  }
  return { successes };
}

/** GetPodFromTemplate: labels, annotations and finalizers of the template, generateName `<rs>-`. */
export function podFromTemplate(rs: ReplicaSet, ref: OwnerReference): Pod {
  const tmpl = rs.spec?.template;
  const meta = tmpl?.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name ?? ''}-`,
      namespace: rs.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      annotations: { ...(meta.annotations ?? {}) },
      ownerReferences: [ref],
    },
    spec: cloneJson(tmpl?.spec ?? {}),
  };
  if (meta.finalizers?.length) pod.metadata.finalizers = [...meta.finalizers];
  return pod;
}

export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/** Creates or deletes pods toward spec.replicas; returns the first error (the sync fails with it). */
export async function manageReplicas(
  ctx: ManageContext,
  key: string,
  rs: ReplicaSet,
  ref: OwnerReference,
  activePods: readonly Pod[],
  relatedPods: readonly Pod[],
): Promise<void> {
  const ns = rs.metadata.namespace ?? '';
  let diff = activePods.length - specReplicas(rs);
  if (diff < 0) {
    diff = Math.min(-diff, ctx.burstReplicas);
    ctx.expectations.expectCreations(key, diff);
    const { successes, error } = await slowStartBatch(diff, SLOW_START_INITIAL_BATCH_SIZE, async () => {
      try {
        const created = await ctx.pods.create(ns, podFromTemplate(rs, ref));
        ctx.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
      } catch (err) {
        if (hasStatusCause(err, 'NamespaceTerminating')) return;
        ctx.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
        throw err;
      }
    });
    for (let i = successes; i < diff; i++) ctx.expectations.creationObserved(key);
    if (error !== undefined) throw error;
    return;
  }
  if (diff > 0) {
    diff = Math.min(diff, ctx.burstReplicas);
    const victims = podsToDelete(activePods, relatedPods, diff, ctx.now());
    ctx.expectations.expectDeletions(key, victims.map(podKey));
    const errors: unknown[] = [];
    await Promise.all(
      victims.map(async (pod) => {
        const name = pod.metadata.name ?? '';
        try {
          await ctx.pods.delete(ns, name);
          ctx.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
        } catch (err) {
          ctx.expectations.deletionObserved(key, podKey(pod));
          if (isStatusError(err, 'NotFound')) return;
          ctx.recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
          errors.push(new Error(`unable to delete pods: ${(err as Error).message}`));
        }
      }),
    );
    if (errors.length > 0) throw errors[0];
  }
}
