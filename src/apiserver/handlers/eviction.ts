/**
 * pods/eviction (pkg/registry/core/pod/storage/eviction.go): a pod delete that honours the
 * PodDisruptionBudget selecting the pod. A terminal, pending or terminating pod is deleted at
 * once; otherwise the budget must allow a disruption, which is taken (disruptionsAllowed − 1,
 * the pod recorded in disruptedPods) with a conflict-checked status write before the pod gets
 * its DisruptionTarget condition and is deleted. policy/v1 and policy/v1beta1 bodies.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../../machinery/object.js';
import { isPlainObject } from '../../machinery/object.js';
import {
  isStatusError,
  newBadRequest,
  newConflict,
  newForbidden,
  newInternalError,
  newNotFound,
  newTooManyRequests,
  StatusError,
} from '../../machinery/errors.js';
import { isEverything, labelSelectorFromMeta, matchesNothing } from '../../machinery/labels.js';
import { rfc3339 } from '../../machinery/time.js';
import { cloneJson } from '../../machinery/clone.js';
import { DISRUPTION_BUDGET_CAUSE, type PodDisruptionBudget, updateDisruptionAllowedCondition } from '../../api/policy/disruption-budget.js';
import { DISRUPTION_TARGET, isPodReady, updatePodCondition } from '../../api/core/pod-conditions.js';
import { deleteObject } from '../registry/delete.js';
import type { DeleteOptions, WriteOptions } from '../registry/context.js';
import type { ResourceStore } from '../registry/store.js';
import { decodeObjectBody, readBody } from '../http/body.js';
import { sendJSON } from '../http/respond.js';
import { writeOptions, type HandlerContext } from './context.js';
import { decodeObject, EVICTION_BODY } from './decode.js';
import { success } from './pod-subresources.js';
import { admitSubresourceCreate } from './subresource-admission.js';

/** MaxDisruptedPodSize: more approved evictions than this not yet seen by the controller refuse new ones. */
const MAX_DISRUPTED_POD_SIZE = 2000;
/** EvictionsRetry: 20 tries, 500 ms apart (jitter 10 %). */
const RETRY_STEPS = 20;
const RETRY_DELAY_MS = 500;
const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

function tooManyRequests(retryAfterSeconds: number, cause: string): StatusError {
  const err = newTooManyRequests(VIOLATION, retryAfterSeconds);
  const details = (err.status.details ??= {});
  if (!retryAfterSeconds) delete details.retryAfterSeconds;
  details.causes = [{ reason: DISRUPTION_BUDGET_CAUSE, message: cause }];
  return err;
}

/** createTooManyRequestsError: the budget's status is behind its spec, or the pod changed meanwhile. */
function stillProcessing(pdbName: string): StatusError {
  return tooManyRequests(10, `The disruption budget ${pdbName} is still being processed by the server.`);
}

/** retry.OnError over EvictionsRetry: retries while `shouldRetry`, then throws the last error. */
async function retryOnError<T>(shouldRetry: (err: unknown) => boolean, fn: () => Promise<T>): Promise<T> {
  for (let step = 1; ; step++) {
    try {
      return await fn();
    } catch (err) {
      if (!shouldRetry(err) || step >= RETRY_STEPS) throw err;
      await sleep(RETRY_DELAY_MS * (1 + Math.random() * 0.1));
    }
  }
}

/** propagateDryRun: the request's dryRun and the body's deleteOptions.dryRun must agree. */
function deleteOptionsOf(body: Record<string, unknown>, opts: WriteOptions, queryDryRun: string[]): DeleteOptions {
  const options = (isPlainObject(body['deleteOptions']) ? cloneJson(body['deleteOptions']) : {}) as DeleteOptions;
  const inBody = options.dryRun ?? [];
  if (inBody.length === 0) {
    if (queryDryRun.length > 0) options.dryRun = queryDryRun;
  } else if (queryDryRun.length > 0 && JSON.stringify(queryDryRun) !== JSON.stringify(inBody)) {
    throw newInternalError(
      new Error(`Non-matching dry-run options in request and content: [${queryDryRun.join(' ')}] and [${inBody.join(' ')}]`),
    );
  }
  if (options.dryRun?.includes('All')) opts.dryRun = true;
  return options;
}

/** canIgnorePDB: a pod that is terminal, pending or already terminating disrupts nothing more. */
function canIgnorePDB(pod: KubeObject): boolean {
  const phase = (pod['status'] as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata.deletionTimestamp !== undefined;
}

/** shouldEnforceResourceVersion: delete a live pod only as it was when the budget was checked. */
function shouldEnforceResourceVersion(pod: KubeObject): boolean {
  const phase = (pod['status'] as { phase?: string } | undefined)?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && pod.metadata.deletionTimestamp === undefined;
}

function withResourceVersion(options: DeleteOptions, resourceVersion: string | undefined): DeleteOptions {
  return { ...options, preconditions: { ...options.preconditions, ...(resourceVersion ? { resourceVersion } : {}) } };
}

/** getPodDisruptionBudgets: the namespace's budgets whose selector (neither null nor empty) matches the pod. */
function budgetsFor(store: ResourceStore, pod: KubeObject): PodDisruptionBudget[] {
  const ns = pod.metadata.namespace ?? '';
  return (store.cache.list(`${store.prefix}${ns}/`) as PodDisruptionBudget[]).filter((pdb) => {
    try {
      const selector = labelSelectorFromMeta(pdb.spec?.selector);
      return !isEverything(selector) && !matchesNothing(selector) && selector.matches(pod.metadata.labels ?? {});
    } catch {
      return false;
    }
  });
}

export async function handleEviction(ctx: HandlerContext): Promise<void> {
  const opts = writeOptions(ctx);
  const body = decodeObject(EVICTION_BODY, await decodeObjectBody(await readBody(ctx.req), ctx.req.headers['content-type']), opts);
  const meta = isPlainObject(body['metadata']) ? body['metadata'] : {};
  if (meta['namespace'] !== undefined && meta['namespace'] !== '' && meta['namespace'] !== ctx.info.namespace) {
    throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (meta['name'] !== ctx.info.name) throw newBadRequest('name in URL does not match name in Eviction object');
  const options = deleteOptionsOf(body, opts, ctx.url.searchParams.getAll('dryRun'));
  await admitSubresourceCreate(ctx, 'eviction', body as KubeObject, opts);
  const outcome = await evict(ctx, options, opts);
  if (outcome) throw outcome;
  sendJSON(ctx.res, 201, success(201));
}

/** EvictionREST.Create: undefined when the pod was evicted, else the Status to answer with. */
async function evict(ctx: HandlerContext, original: DeleteOptions, opts: WriteOptions): Promise<StatusError | undefined> {
  const pods = ctx.store;
  const { namespace, name } = ctx.info;
  const userResourceVersion = original.preconditions?.resourceVersion !== undefined;
  let pod: KubeObject | undefined;
  const deleted = await retryOnError(
    (err) => !userResourceVersion && isStatusError(err, 'Conflict'),
    async () => {
      const current = await pods.read(namespace, name);
      if (!current) throw newNotFound(pods.resource, name);
      pod = current.obj;
      if (!canIgnorePDB(pod)) return false;
      const options =
        shouldEnforceResourceVersion(pod) && !userResourceVersion ? withResourceVersion(original, pod.metadata.resourceVersion) : original;
      await addConditionAndDeletePod(ctx, options, opts);
      return true;
    },
  );
  if (deleted || !pod) return undefined;
  const pdbStore = ctx.services.podDisruptionBudgets;
  const pdbs = pdbStore ? budgetsFor(pdbStore, pod) : [];
  if (pdbs.length > 1) {
    return new StatusError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      code: 500,
    });
  }
  const [pdb] = pdbs;
  let enforceResourceVersion = false;
  if (pdb && pdbStore) {
    if (!isPodReady(pod) && unhealthyPodEvictable(pdb)) enforceResourceVersion = true;
    else await takeDisruption(pdbStore, pdb, pod, opts);
  }
  const options = enforceResourceVersion ? withResourceVersion(original, pod.metadata.resourceVersion) : original;
  try {
    await addConditionAndDeletePod(ctx, options, opts);
  } catch (err) {
    // the unready pod changed (maybe became ready) since the budget was checked: the client retries
    if (isStatusError(err, 'Conflict') && enforceResourceVersion && !userResourceVersion) return stillProcessing(pdb?.metadata.name ?? '');
    throw err;
  }
  return undefined;
}

/**
 * An unready pod counts for nothing in the budget: AlwaysAllow evicts it regardless, and
 * IfHealthyBudget (the default) while the budget is met.
 */
function unhealthyPodEvictable(pdb: PodDisruptionBudget): boolean {
  if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return true;
  const st = pdb.status;
  return st !== undefined && st.currentHealthy >= st.desiredHealthy && st.desiredHealthy > 0;
}

/** The verify-and-decrement loop, re-reading the budget after each conflict. */
async function takeDisruption(store: ResourceStore, pdb: PodDisruptionBudget, pod: KubeObject, opts: WriteOptions): Promise<void> {
  const pdbName = pdb.metadata.name ?? '';
  let current = pdb;
  let refresh = false;
  // after the last conflict, the Conflict itself is the answer (retry.OnError)
  await retryOnError(
    (err) => isStatusError(err, 'Conflict'),
    async () => {
      if (refresh) {
        const fresh = await store.read(pod.metadata.namespace ?? '', pdbName);
        if (!fresh) throw newNotFound(store.resource, pdbName);
        current = fresh.obj as PodDisruptionBudget;
      }
      refresh = true;
      await checkAndDecrement(store, current, pod.metadata.name ?? '', opts);
    },
  );
}

/** checkAndDecrement: refuses when the budget allows no disruption, else records this one. */
async function checkAndDecrement(store: ResourceStore, pdb: PodDisruptionBudget, podName: string, opts: WriteOptions): Promise<void> {
  const name = pdb.metadata.name ?? '';
  const status = cloneJson(pdb.status ?? { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw stillProcessing(name);
  const gr = { group: 'policy', resource: 'poddisruptionbudget' };
  if (status.disruptionsAllowed < 0) throw newForbidden(gr, name, 'pdb disruptions allowed is negative');
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
    throw newForbidden(gr, name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (status.disruptionsAllowed === 0) {
    throw tooManyRequests(
      0,
      `The disruption budget ${name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`,
    );
  }
  const now = store.now().getTime();
  status.disruptionsAllowed--;
  if (status.disruptionsAllowed === 0) updateDisruptionAllowedCondition(status, now);
  if (opts.dryRun) return;
  status.disruptedPods = { ...status.disruptedPods, [podName]: rfc3339(now) };
  const expected = pdb.metadata.resourceVersion;
  await store.update(
    {
      namespace: pdb.metadata.namespace ?? '',
      name,
      subresource: 'status',
      // the budget as it was checked, or Conflict
      tryUpdate: (cur) => {
        cur.metadata.resourceVersion = expected;
        cur['status'] = status;
        return cur;
      },
    },
    { ...opts, warnings: [] },
  );
}

/**
 * addConditionAndDeletePod: the DisruptionTarget condition (EvictionByEvictionAPI) on the pod as
 * it is now (the delete's preconditions checked against it), then the delete.
 */
async function addConditionAndDeletePod(ctx: HandlerContext, options: DeleteOptions, opts: WriteOptions): Promise<void> {
  const pods = ctx.store;
  const { namespace, name } = ctx.info;
  let deleteOptions = options;
  if (!opts.dryRun) {
    const pre = options.preconditions;
    const { obj } = await pods.update(
      {
        namespace,
        name,
        subresource: 'status',
        tryUpdate: (cur) => {
          if (pre?.uid && pre.uid !== cur.metadata.uid) {
            throw newConflict(
              pods.resource,
              name,
              `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid}`,
            );
          }
          // the pod as the delete's precondition names it, or Conflict
          if (pre?.resourceVersion) cur.metadata.resourceVersion = pre.resourceVersion;
          const condition = { type: DISRUPTION_TARGET, status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };
          updatePodCondition(cur, condition, pods.now().getTime());
          return cur;
        },
      },
      { ...opts, warnings: [] },
    );
    // our own write moved the pod's resourceVersion on
    if (pre?.resourceVersion) deleteOptions = withResourceVersion(options, obj.metadata.resourceVersion);
  }
  await deleteObject(pods, namespace, name, deleteOptions, opts, pods.type.gracefulDeletion);
}
