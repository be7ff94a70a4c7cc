/**
 * EnsureImageExists (kuberuntime image_manager.go): an image is pulled or not per its
 * imagePullPolicy, with the credentials of the pod's imagePullSecrets (credential-keyring.ts;
 * each matching credential tried in turn until one pulls, as kuberuntime's PullImage does), the
 * kubelet's image events (Pulling, Pulled, Failed, BackOff, ErrImageNeverPull,
 * FailedToRetrieveImagePullSecret) and the waiting reasons ErrImagePull → ImagePullBackOff
 * (image-pull-backoff.ts) with upstream's messages.
 */
import { asObj, objs, str } from '../api/core/access.js';
import type { KubeObject } from '../machinery/object.js';
import type { ContainerSpec, StartFailure } from './container-status.js';
import { sandboxConfigFor } from './container-config.js';
import { keyringFromSecrets } from './credential-keyring.js';
import { defaultPullPolicy, imageRepository } from './images.js';
import type { PodSyncContext } from './pod-sync.js';
import { type AuthConfig, isRuntimeError } from './runtime/interface.js';
import { goDuration } from './time.js';

/** How long a pod waits before it retries a failed pull when no back-off is kept (the pod workers' error back-off). */
const RETRY_MS = 10_000;

/** An error text as a gRPC client prints a CRI error: `rpc error: code = Unknown desc = …`. */
export function criErrorText(err: unknown): string {
  if (isRuntimeError(err)) return `rpc error: code = ${err.code} desc = ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/** A container start failure: the waiting reason and message, and the "Error: <reason>" event startContainer records. */
function startFailure(ctx: PodSyncContext, pod: KubeObject, fieldPath: string, failure: StartFailure): Error {
  ctx.recorder.event(pod, 'Warning', 'Failed', `Error: ${failure.reason}`, fieldPath);
  return Object.assign(new Error(failure.message), { failure });
}

/** The pod's pull secrets that exist (getPullSecretsForPod), with a warning event naming those that do not. */
async function pullSecrets(ctx: PodSyncContext, pod: KubeObject): Promise<KubeObject[]> {
  const namespace = pod.metadata.namespace ?? '';
  const names = objs(asObj(pod['spec'])?.['imagePullSecrets'])
    .map((r) => str(r['name']))
    .filter(Boolean);
  const found: KubeObject[] = [];
  const failed: string[] = [];
  for (const name of names) {
    const secret = await ctx.objects.secret(namespace, name).catch(() => undefined);
    if (secret) found.push(secret);
    else failed.push(`${namespace}/${name}`);
  }
  if (failed.length > 0) {
    const message = `Unable to retrieve some image pull secrets (${failed.join(', ')}); attempting to pull the image may not succeed.`;
    ctx.recorder.event(pod, 'Warning', 'FailedToRetrieveImagePullSecret', message);
  }
  return found;
}

/** PullImage with each credential in turn (none: anonymous); all failing: their errors aggregated as "[a, b]". */
async function pullWithCredentials(ctx: PodSyncContext, pod: KubeObject, image: string, secrets: KubeObject[]): Promise<string> {
  const creds: (AuthConfig | undefined)[] = keyringFromSecrets(secrets).lookup(imageRepository(image));
  if (creds.length === 0) creds.push(undefined);
  const errors: string[] = [];
  for (const auth of creds) {
    try {
      return await ctx.runtime.pullImage({ image }, auth, sandboxConfigFor(pod, 0));
    } catch (err) {
      errors.push(criErrorText(err));
    }
  }
  throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
}

/** EnsureImageExists: pulls per imagePullPolicy, recording the kubelet's image events. */
export async function ensureImage(
  ctx: PodSyncContext,
  pod: KubeObject,
  c: ContainerSpec & { imagePullPolicy?: string },
  fieldPath: string,
): Promise<string> {
  const policy = c.imagePullPolicy || defaultPullPolicy(c.image);
  const present = policy === 'Always' ? undefined : await ctx.runtime.imageStatus({ image: c.image });
  if (present) {
    ctx.recorder.event(pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, fieldPath);
    return present.id;
  }
  if (policy === 'Never') {
    const message = `Container image "${c.image}" is not present with pull policy of Never`;
    ctx.recorder.event(pod, 'Warning', 'ErrImageNeverPull', message, fieldPath);
    throw startFailure(ctx, pod, fieldPath, { reason: 'ErrImageNeverPull', message });
  }
  const backOff = ctx.imagePullBackOff;
  const backOffKey = `${pod.metadata.uid ?? ''}_${c.image}`;
  const waiting = backOff?.inBackOff(backOffKey, ctx.clock.now());
  if (waiting) {
    const message = `Back-off pulling image "${c.image}"`;
    ctx.recorder.event(pod, 'Normal', 'BackOff', message, fieldPath);
    const failure = { reason: 'ImagePullBackOff', message: `${message}: ${waiting.lastError}`, retryAt: waiting.until };
    throw startFailure(ctx, pod, fieldPath, failure);
  }
  const secrets = await pullSecrets(ctx, pod);
  ctx.recorder.event(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, fieldPath);
  const start = ctx.clock.now();
  let ref: string;
  try {
    ref = await pullWithCredentials(ctx, pod, c.image, secrets);
  } catch (err) {
    const message = `Failed to pull image "${c.image}": ${(err as Error).message}`;
    ctx.recorder.event(pod, 'Warning', 'Failed', message, fieldPath);
    const now = ctx.clock.now();
    const retryAt = backOff ? backOff.failed(backOffKey, now, `ErrImagePull: ${message}`) : now + RETRY_MS;
    throw startFailure(ctx, pod, fieldPath, { reason: 'ErrImagePull', message, retryAt });
  }
  backOff?.succeeded(backOffKey);
  const took = goDuration(Math.max(0, ctx.clock.now() - start));
  const size = (await ctx.runtime.imageStatus({ image: c.image }))?.size ?? 0;
  ctx.recorder.event(
    pod,
    'Normal',
    'Pulled',
    `Successfully pulled image "${c.image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`,
    fieldPath,
  );
  return ref;
}
