/**
 * EnsureImageExists (kuberuntime image_manager.go): an image is pulled or not per its
 * imagePullPolicy, with the kubelet's image events (Pulling, Pulled, ErrImageNeverPull).
 */
import type { KubeObject } from '../machinery/object.js';
import type { ContainerSpec } from './container-status.js';
import { sandboxConfigFor } from './container-config.js';
import { defaultPullPolicy } from './images.js';
import type { PodSyncContext } from './pod-sync.js';
import { goDuration } from './time.js';

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
    throw Object.assign(new Error(message), { failure: { reason: 'ErrImageNeverPull', message } });
  }
  ctx.recorder.event(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, fieldPath);
  const start = ctx.clock.now();
  const ref = await ctx.runtime.pullImage({ image: c.image }, undefined, sandboxConfigFor(pod, 0));
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
