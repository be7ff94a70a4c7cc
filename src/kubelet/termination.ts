/**
 * Stopping containers as upstream's kubelet does (kuberuntime_container.go killContainer,
 * killContainersWithSyncResult): a Killing event, the preStop hook within the grace period
 * (FailedPreStopHook when it fails), then StopContainer with what is left of the grace period,
 * at least 2 s — the runtime sends SIGTERM and SIGKILLs after that timeout. A pod's containers
 * stop in parallel, each with its own remaining grace; sidecars (restartable init containers)
 * stop after the app containers, in the time left.
 */
import { asObj, num, objs, type Obj } from '../api/core/access.js';
import type { EventRecorder } from '../client/interface.js';
import type { KubeObject } from '../machinery/object.js';
import { podContainerFieldPath } from './pod-sync.js';
import type { HandlerTarget } from './prober/handler.js';
import { type HookContext, lifecycleHandler, runLifecycleHook } from './prober/lifecycle.js';
import type { ProbeType } from './prober/interface.js';
import type { PodRuntimeView } from './runtime-view.js';
import type { ContainerStatus } from './runtime/interface.js';

/** minimumGracePeriodInSeconds: every container gets this long to stop after SIGTERM. */
const MINIMUM_GRACE_PERIOD_SECONDS = 2;
const DEFAULT_GRACE_PERIOD_SECONDS = 30;

export interface KillContext extends HookContext {
  recorder: EventRecorder;
}

/** The grace period of a container stopped now: the deletion's, else the pod's (or the failed probe's). */
export function gracePeriodSeconds(pod: KubeObject, probe?: Obj): number {
  const deletion = pod.metadata.deletionGracePeriodSeconds;
  if (typeof deletion === 'number') return deletion;
  const fromProbe = probe ? num(probe['terminationGracePeriodSeconds']) : undefined;
  if (fromProbe !== undefined) return fromProbe;
  return num(asObj(pod['spec'])?.['terminationGracePeriodSeconds']) ?? DEFAULT_GRACE_PERIOD_SECONDS;
}

/** The spec of container `name` (app, init or ephemeral). */
function containerSpecOf(pod: KubeObject, name: string): Obj | undefined {
  const spec = asObj(pod['spec']) ?? {};
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    const c = objs(spec[list]).find((x) => x['name'] === name);
    if (c) return c;
  }
  return undefined;
}

/** Runs the preStop hook for at most `ms`; resolves with its failure message, if it failed in time. */
async function preStopWithin(
  ctx: HookContext,
  pod: KubeObject,
  target: HandlerTarget,
  handler: Obj,
  ms: number,
): Promise<string | undefined> {
  let cancel: (() => void) | undefined;
  const cutOff = new Promise<undefined>((resolve) => {
    cancel = ctx.clock.setTimeout(() => resolve(undefined), ms);
  });
  const hook = runLifecycleHook(ctx, pod, target, handler).catch((err: Error) => err.message);
  try {
    return await Promise.race([hook, cutOff]);
  } finally {
    cancel?.();
  }
}

/**
 * killContainer: stops one running container within `grace` seconds. `message` is the Killing
 * event's (default `Stopping container <name>`).
 */
export async function killContainer(
  ctx: KillContext,
  pod: KubeObject,
  status: ContainerStatus,
  podIP: string,
  grace: number,
  message?: string,
): Promise<void> {
  const name = status.metadata.name;
  const container = containerSpecOf(pod, name) ?? { name };
  const fieldPath = podContainerFieldPath(pod, name);
  ctx.recorder.event(pod, 'Normal', 'Killing', message ?? `Stopping container ${name}`, fieldPath);
  let left = grace;
  const preStop = lifecycleHandler(container, 'preStop');
  if (preStop && grace > 0) {
    const start = ctx.clock.now();
    const failed = await preStopWithin(ctx, pod, { container, containerId: status.id, podIP }, preStop, grace * 1000);
    if (failed) ctx.recorder.event(pod, 'Warning', 'FailedPreStopHook', failed, fieldPath);
    left = grace - Math.floor((ctx.clock.now() - start) / 1000);
  }
  await ctx.runtime.stopContainer(status.id, Math.max(left, MINIMUM_GRACE_PERIOD_SECONDS));
}

/** Whether a container of the view is a sidecar (an init container with restartPolicy Always). */
function isSidecar(pod: KubeObject, name: string): boolean {
  return objs(asObj(pod['spec'])?.['initContainers']).some((c) => c['name'] === name && c['restartPolicy'] === 'Always');
}

/** Stops every running container of the pod within `grace` seconds: app containers first, then sidecars. */
export async function killPodContainers(ctx: KillContext, pod: KubeObject, view: PodRuntimeView, grace: number): Promise<void> {
  const podIP = view.sandbox?.network?.ip ?? '';
  const running = [...view.containers.values()].map((c) => c.current).filter((c) => c.state === 'CONTAINER_RUNNING');
  const start = ctx.clock.now();
  const sidecars = running.filter((c) => isSidecar(pod, c.metadata.name));
  const others = running.filter((c) => !isSidecar(pod, c.metadata.name));
  await Promise.all(others.map((c) => killContainer(ctx, pod, c, podIP, grace)));
  const left = grace - Math.floor((ctx.clock.now() - start) / 1000);
  await Promise.all(sidecars.map((c) => killContainer(ctx, pod, c, podIP, Math.max(0, left))));
}

/** The Killing message of a container that failed its liveness or startup probe. */
export function probeKillMessage(name: string, type: ProbeType, restart: boolean): string {
  return `Container ${name} failed ${type.toLowerCase()} probe${restart ? ', will be restarted' : ''}`;
}
