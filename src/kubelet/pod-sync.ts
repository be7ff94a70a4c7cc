/**
 * What a pod worker does to bring a pod's containers to their desired state through the
 * runtime (kuberuntime_manager.go SyncPod, computePodActions): a sandbox first, init containers
 * one at a time to completion, then every app container; exited containers restart per
 * restartPolicy after their back-off. Image pulls and container starts record the kubelet's
 * events (Pulling, Pulled, Created, Started, Failed).
 */
import { mkdir } from 'node:fs/promises';
import { asObj, objs, str, type Obj } from '../api/core/access.js';
import type { EventRecorder } from '../client/interface.js';
import type { KubeObject } from '../machinery/object.js';
import type { Clock } from './clock.js';
import { containerConfigFor, sandboxConfigFor } from './container-config.js';
import type { ContainerSpec, StartFailure } from './container-status.js';
import { ensureImage } from './image-pull.js';
import type { PodObjects } from './pod-objects.js';
import { podSpecContainers } from './pod-status.js';
import { restartDelayMs, shouldRestart } from './restart.js';
import { CONTAINER_NAME_LABEL, type PodRuntimeView } from './runtime-view.js';
import { isRuntimeError, type PodSandboxConfig, type Runtime } from './runtime/interface.js';

export interface PodSyncContext {
  runtime: Runtime;
  recorder: EventRecorder;
  clock: Clock;
  /** The API objects a pod refers to (ConfigMaps, Secrets, Services). */
  objects: PodObjects;
  /** A real directory for pods' logs (DATA/log/pods), created before each sandbox; default the virtual /var/log/pods. */
  podLogsDir?: string;
}

/** What a sync changed in the runtime, and start failures to show as waiting reasons. */
export interface PodSyncOutcome {
  changed: boolean;
  failures: Map<string, StartFailure>;
}

/** The fieldPath of a container's events (upstream GenerateContainerRef): `spec.containers{name}`. */
export function containerFieldPath(list: 'containers' | 'initContainers' | 'ephemeralContainers', name: string): string {
  return `spec.${list}{${name}}`;
}

/** The fieldPath of the container `name` of `pod`, by the list that holds it. */
export function podContainerFieldPath(pod: KubeObject, name: string): string {
  const spec = asObj(pod['spec']);
  for (const list of ['initContainers', 'ephemeralContainers'] as const) {
    if (objs(spec?.[list]).some((c) => c['name'] === name)) return containerFieldPath(list, name);
  }
  return containerFieldPath('containers', name);
}

/** startContainer: pull, create, start, with events; a failure becomes the container's waiting reason. */
async function startContainer(
  ctx: PodSyncContext,
  pod: KubeObject,
  sandboxId: string,
  sandboxConfig: PodSandboxConfig,
  c: Obj,
  attempt: number,
  isInit: boolean,
  out: PodSyncOutcome,
): Promise<void> {
  const name = str(c['name']);
  const fieldPath = containerFieldPath(isInit ? 'initContainers' : 'containers', name);
  try {
    const ref = await ensureImage(ctx, pod, c as unknown as ContainerSpec, fieldPath);
    const id = await ctx.runtime.createContainer(sandboxId, containerConfigFor(pod, c, ref, attempt, isInit), sandboxConfig);
    ctx.recorder.event(pod, 'Normal', 'Created', `Created container: ${name}`, fieldPath);
    await ctx.runtime.startContainer(id);
    ctx.recorder.event(pod, 'Normal', 'Started', `Started container ${name}`, fieldPath);
    out.changed = true;
  } catch (err) {
    const failure = (err as { failure?: StartFailure }).failure;
    if (failure) {
      out.failures.set(name, failure);
      return;
    }
    if (!isRuntimeError(err, 'InvalidArgument')) throw err;
    const message = `Error: ${err.message}`;
    ctx.recorder.event(pod, 'Warning', 'Failed', message, fieldPath);
    out.failures.set(name, { reason: 'CreateContainerConfigError', message: err.message });
  }
}

/** Removes attempts older than the previous one, as the container GC keeps one dead container per name. */
async function pruneOldAttempts(ctx: PodSyncContext, sandboxId: string, name: string, keepFrom: number): Promise<void> {
  const all = await ctx.runtime.listContainers({ podSandboxId: sandboxId, labelSelector: { [CONTAINER_NAME_LABEL]: name } });
  for (const old of all) if (old.metadata.attempt < keepFrom) await ctx.runtime.removeContainer(old.id);
}

/**
 * One pass of SyncPod. Returns whether the runtime changed (re-read the view) and the time of
 * the next restart if a container is backing off.
 */
export async function syncPodContainers(
  ctx: PodSyncContext,
  pod: KubeObject,
  view: PodRuntimeView,
): Promise<PodSyncOutcome & { restartAt: number | undefined }> {
  const out: PodSyncOutcome = { changed: false, failures: new Map() };
  let restartAt: number | undefined;
  const spec = asObj(pod['spec']) ?? {};
  const restartPolicy = str(spec['restartPolicy']) || 'Always';
  let sandbox = view.sandbox;
  const attempt = view.sandboxAttempts;
  if (sandbox?.state !== 'SANDBOX_READY') {
    const config = sandboxConfigFor(pod, attempt, ctx.podLogsDir);
    if (ctx.podLogsDir && config.logDirectory) await mkdir(config.logDirectory, { recursive: true, mode: 0o755 });
    const id = await ctx.runtime.runPodSandbox(config);
    sandbox = await ctx.runtime.podSandboxStatus(id);
    view = { sandbox, sandboxAttempts: attempt + 1, containers: new Map() };
    out.changed = true;
  }
  const sandboxConfig = sandboxConfigFor(pod, sandbox.metadata.attempt, ctx.podLogsDir);
  const now = ctx.clock.now();

  /** Starts, restarts or leaves one container; returns whether it is "done" for sequencing. */
  const step = async (c: Obj, isInit: boolean): Promise<'running' | 'succeeded' | 'waiting' | 'failed'> => {
    const name = str(c['name']);
    const sidecar = isInit && c['restartPolicy'] === 'Always';
    const v = view.containers.get(name);
    if (!v) {
      await startContainer(ctx, pod, sandbox.id, sandboxConfig, c, 0, isInit, out);
      return 'waiting';
    }
    const cur = v.current;
    if (cur.state === 'CONTAINER_RUNNING') return 'running';
    if (cur.state !== 'CONTAINER_EXITED') return 'waiting';
    const policy = sidecar ? 'Always' : isInit ? (restartPolicy === 'Never' ? 'Never' : 'OnFailure') : restartPolicy;
    if (!shouldRestart(policy, cur.exitCode)) return cur.exitCode === 0 ? 'succeeded' : 'failed';
    const at = cur.finishedAt + restartDelayMs(cur.metadata.attempt);
    if (at > now) {
      restartAt = restartAt === undefined ? at : Math.min(restartAt, at);
      return 'waiting';
    }
    await startContainer(ctx, pod, sandbox.id, sandboxConfig, c, cur.metadata.attempt + 1, isInit, out);
    await pruneOldAttempts(ctx, sandbox.id, name, cur.metadata.attempt);
    return 'waiting';
  };

  for (const c of podSpecContainers(pod, 'initContainers') as unknown as Obj[]) {
    const r = await step(c, true);
    const sidecar = c['restartPolicy'] === 'Always';
    if (r === 'succeeded' || (sidecar && r === 'running')) continue;
    return { ...out, restartAt };
  }
  for (const c of podSpecContainers(pod, 'containers') as unknown as Obj[]) await step(c, false);
  return { ...out, restartAt };
}
