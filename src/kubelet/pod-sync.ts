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
import { CreateContainerConfigError } from './container-config-error.js';
import type { ContainerSpec, StartFailure } from './container-status.js';
import { ensureImage } from './image-pull.js';
import type { ImagePullBackOff } from './image-pull-backoff.js';
import type { PodObjects } from './pod-objects.js';
import {
  generateContainerConfig,
  generatePodSandboxConfig,
  type PodConfigContext,
  type PodConfigOptions,
  preparePodSandbox,
} from './pod-config.js';
import { podSpecContainers } from './pod-status.js';
import { type RestartBackOff, restartDelayMs, shouldRestart } from './restart.js';
import { CONTAINER_NAME_LABEL, type PodRuntimeView } from './runtime-view.js';
import type { ProbeNetwork } from './prober/interface.js';
import { formatPod, lifecycleHandler, runLifecycleHook } from './prober/lifecycle.js';
import type { ProbeManager } from './prober/manager.js';
import { realProbeNetwork } from './prober/network.js';
import { gracePeriodSeconds, type KillContext, killContainer, probeKillMessage } from './termination.js';
import { isRuntimeError, type Mount, type PodSandboxConfig, type PodSandboxStatus, type Runtime } from './runtime/interface.js';

export interface PodSyncContext {
  runtime: Runtime;
  recorder: EventRecorder;
  clock: Clock;
  /** The API objects a pod refers to (ConfigMaps, Secrets, Services). */
  objects: PodObjects;
  /** The pods' probe workers: liveness and startup failures restart containers. */
  probes?: ProbeManager;
  /** Where httpGet hooks go (default: real sockets). */
  network?: ProbeNetwork;
  /** The kubelet's restart back-off (default: by attempt, 10 s doubling). */
  backOff?: RestartBackOff;
  /** A container's volume mounts (the volume manager's makeMounts); none without it. */
  containerMounts?: (container: Obj) => Promise<Mount[]>;
  /** The back-off of failed image pulls, kept across syncs (without it a failed pull is retried after 10 s). */
  imagePullBackOff?: ImagePullBackOff;
  /** The node's IP (status.hostIP in the downward API). */
  nodeIP?: string;
  /** The kubelet's DNS, pod directory and node size settings for pod configs. */
  podConfig?: PodConfigOptions;
}

function podConfigContext(ctx: PodSyncContext): PodConfigContext {
  return { ...ctx, nodeIP: ctx.nodeIP ?? '', config: ctx.podConfig ?? {} };
}

function killContext(ctx: PodSyncContext): KillContext {
  return { runtime: ctx.runtime, recorder: ctx.recorder, clock: ctx.clock, network: ctx.network ?? realProbeNetwork };
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
  sandbox: PodSandboxStatus,
  sandboxConfig: PodSandboxConfig,
  c: Obj,
  attempt: number,
  isInit: boolean,
  out: PodSyncOutcome,
  podIP = '',
): Promise<void> {
  const name = str(c['name']);
  const fieldPath = containerFieldPath(isInit ? 'initContainers' : 'containers', name);
  try {
    const ref = await ensureImage(ctx, pod, c as unknown as ContainerSpec, fieldPath);
    const mounts = (await ctx.containerMounts?.(c)) ?? [];
    const config = await generateContainerConfig(podConfigContext(ctx), pod, c, ref, attempt, isInit, sandbox, mounts);
    const id = await ctx.runtime.createContainer(sandbox.id, config, sandboxConfig);
    ctx.recorder.event(pod, 'Normal', 'Created', `Created container: ${name}`, fieldPath);
    try {
      await ctx.runtime.startContainer(id);
    } catch (err) {
      // made but not run (containerd: exited 128, reason StartError): RunContainerError until the next try
      if (!isRuntimeError(err, 'Unknown')) throw err;
      ctx.recorder.event(pod, 'Warning', 'Failed', `Error: ${err.message}`, fieldPath);
      out.failures.set(name, { reason: 'RunContainerError', message: err.message });
      out.changed = true;
      return;
    }
    ctx.recorder.event(pod, 'Normal', 'Started', `Started container ${name}`, fieldPath);
    out.changed = true;
    const postStart = lifecycleHandler(c, 'postStart');
    if (postStart) {
      const kill = killContext(ctx);
      const failed = await runLifecycleHook(kill, pod, { container: c, containerId: id, podIP }, postStart);
      if (failed) {
        ctx.recorder.event(pod, 'Warning', 'FailedPostStartHook', failed, fieldPath);
        await killContainer(kill, pod, await ctx.runtime.containerStatus(id), podIP, gracePeriodSeconds(pod), 'FailedPostStartHook');
      }
    }
  } catch (err) {
    const failure = (err as { failure?: StartFailure }).failure;
    if (failure) {
      out.failures.set(name, failure);
      return;
    }
    if (!isRuntimeError(err, 'InvalidArgument') && !(err instanceof CreateContainerConfigError)) throw err;
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
    const config = await generatePodSandboxConfig(podConfigContext(ctx), pod, attempt);
    await preparePodSandbox(podConfigContext(ctx), pod);
    if (ctx.podConfig?.podLogsDir && config.logDirectory) await mkdir(config.logDirectory, { recursive: true, mode: 0o755 });
    const id = await ctx.runtime.runPodSandbox(config);
    sandbox = await ctx.runtime.podSandboxStatus(id);
    view = { sandbox, sandboxAttempts: attempt + 1, containers: new Map() };
    out.changed = true;
  }
  // made once, and only when a container is to start
  let sandboxConfig: Promise<PodSandboxConfig> | undefined;
  const sandboxConfigOnce = (): Promise<PodSandboxConfig> =>
    (sandboxConfig ??= generatePodSandboxConfig(podConfigContext(ctx), pod, sandbox.metadata.attempt));
  const podIP = sandbox.network?.ip ?? '';
  const uid = pod.metadata.uid ?? '';

  /** Starts, restarts or leaves one container; returns whether it is "done" for sequencing. */
  const step = async (c: Obj, isInit: boolean): Promise<'running' | 'succeeded' | 'waiting' | 'failed'> => {
    const name = str(c['name']);
    const sidecar = isInit && c['restartPolicy'] === 'Always';
    const v = view.containers.get(name);
    if (!v) {
      await startContainer(ctx, pod, sandbox, await sandboxConfigOnce(), c, 0, isInit, out, podIP);
      return 'waiting';
    }
    let cur = v.current;
    const unhealthy = cur.state === 'CONTAINER_RUNNING' ? ctx.probes?.failedProbe(uid, name, cur.id) : undefined;
    if (unhealthy) {
      // a failed liveness or startup probe: kill, then restart as any exited container
      const restart = (sidecar ? 'Always' : restartPolicy) !== 'Never';
      const message = probeKillMessage(name, unhealthy.type, restart);
      await killContainer(killContext(ctx), pod, cur, podIP, gracePeriodSeconds(pod, unhealthy.probe), message);
      out.changed = true;
      cur = await ctx.runtime.containerStatus(cur.id);
    }
    if (cur.state === 'CONTAINER_RUNNING') {
      // a sidecar holds up the next init container until its startup probe succeeded
      return sidecar && ctx.probes?.containerState(uid, name, cur.id)?.started === false ? 'waiting' : 'running';
    }
    if (cur.state !== 'CONTAINER_EXITED') return 'waiting';
    const policy = sidecar ? 'Always' : isInit ? (restartPolicy === 'Never' ? 'Never' : 'OnFailure') : restartPolicy;
    if (!shouldRestart(policy, cur.exitCode)) return cur.exitCode === 0 ? 'succeeded' : 'failed';
    const at = ctx.backOff ? ctx.backOff.of(uid, name, cur.finishedAt).until : cur.finishedAt + restartDelayMs(cur.metadata.attempt);
    // now, not when the sync began: a liveness kill above took time
    if (at > ctx.clock.now()) {
      restartAt = restartAt === undefined ? at : Math.min(restartAt, at);
      const message = `Back-off restarting failed container ${name} in pod ${formatPod(pod)}`;
      ctx.recorder.event(pod, 'Warning', 'BackOff', message, containerFieldPath(isInit ? 'initContainers' : 'containers', name));
      return 'waiting';
    }
    ctx.backOff?.next(uid, name, cur.finishedAt);
    await startContainer(ctx, pod, sandbox, await sandboxConfigOnce(), c, cur.metadata.attempt + 1, isInit, out, podIP);
    await pruneOldAttempts(ctx, sandbox.id, name, cur.metadata.attempt);
    return 'waiting';
  };

  /** The outcome, with the earliest of the restarts and the retries of failed starts. */
  const outcome = () => {
    for (const f of out.failures.values())
      if (f.retryAt !== undefined && !(restartAt !== undefined && restartAt <= f.retryAt)) restartAt = f.retryAt;
    return { ...out, restartAt };
  };
  for (const c of podSpecContainers(pod, 'initContainers') as unknown as Obj[]) {
    const r = await step(c, true);
    const sidecar = c['restartPolicy'] === 'Always';
    if (r === 'succeeded' || (sidecar && r === 'running')) continue;
    return outcome();
  }
  for (const c of podSpecContainers(pod, 'containers') as unknown as Obj[]) await step(c, false);
  return outcome();
}
