/** v1.ContainerStatus values of one container, from its runtime view (kubelet_pods.go convertToAPIContainerStatuses). */
import type { Obj } from '../api/core/access.js';
import type { KubeObject } from '../machinery/object.js';
import { normalizeImage } from './images.js';
import { readyAt } from './readiness.js';
import { type BackOffState, restartDelayMs, shouldRestart } from './restart.js';
import type { ContainerRuntimeView } from './runtime-view.js';
import type { ContainerStatus } from './runtime/interface.js';
import { goDuration } from './time.js';
import { rfc3339 } from '../machinery/time.js';

/** A container of the pod spec, as far as status needs it. */
export interface ContainerSpec {
  name: string;
  image: string;
  restartPolicy?: string;
}

/** A reason the kubelet could not start a container (e.g. ErrImageNeverPull), shown as waiting. */
export interface StartFailure {
  reason: string;
  message: string;
  /** When the pod should be synced again to retry (e.g. the end of an image pull back-off). */
  retryAt?: number;
}

export interface ContainerStatusContext {
  pod: KubeObject;
  now: number;
  runtimeName: string;
  /** The pod's restartPolicy, or the container's own ("Always" for sidecars). */
  restartPolicy: string;
  isInit: boolean;
  /** Why a container without a runtime record is waiting: PodInitializing or ContainerCreating. */
  waitingReason: string;
  /** The pod is being terminated: exited containers are not going to restart. */
  terminating: boolean;
  failure?: StartFailure;
  /** What the container's probes say, when it has any (prober/manager.ts). */
  probe?: { started: boolean; ready: boolean } | undefined;
  /** The kubelet's back-off of the exited container (restart.ts RestartBackOff); default by its attempt. */
  backOff?: BackOffState | undefined;
}

export interface ContainerStatusResult {
  status: Obj;
  ready: boolean;
  /** A time at which this status will change by itself (readiness delay, back-off end). */
  changesAt: number | undefined;
  /** A time to ask the runtime again, the pod terminal or not (a late OOMKilled reason). */
  recheckAt?: number;
}

/** How long after a SIGKILL exit the kubelet looks once more for the runtime's OOMKilled reason. */
const OOM_REASON_GRACE_MS = 2_000;

function terminated(s: ContainerStatus, runtimeName: string): Obj {
  const t: Obj = { exitCode: s.exitCode, reason: s.reason || (s.exitCode === 0 ? 'Completed' : 'Error') };
  if (s.message) t['message'] = s.message;
  t['startedAt'] = s.startedAt ? rfc3339(s.startedAt) : null;
  t['finishedAt'] = rfc3339(s.finishedAt);
  t['containerID'] = `${runtimeName}://${s.id}`;
  return { terminated: t };
}

export function containerStatus(
  spec: ContainerSpec,
  view: ContainerRuntimeView | undefined,
  ctx: ContainerStatusContext,
): ContainerStatusResult {
  // plain literals: V8 makes objects that get new keys after a spread ~20 times as slow to build
  if (!view) {
    const waiting: Obj = ctx.failure ? { reason: ctx.failure.reason, message: ctx.failure.message } : { reason: ctx.waitingReason };
    return {
      status: {
        name: spec.name,
        state: { waiting },
        lastState: {},
        ready: false,
        restartCount: 0,
        image: spec.image,
        imageID: '',
        started: false,
      },
      ready: false,
      changesAt: undefined,
    };
  }
  const cur = view.current;
  const containerID = `${ctx.runtimeName}://${cur.id}`;
  let state: Obj;
  let lastState: Obj = view.previous ? terminated(view.previous, ctx.runtimeName) : {};
  let ready = false;
  let started = false;
  let changesAt: number | undefined;
  let recheckAt: number | undefined;
  if (cur.state === 'CONTAINER_RUNNING') {
    state = { running: { startedAt: rfc3339(cur.startedAt) } };
    started = ctx.probe ? ctx.probe.started : true;
    const at = ctx.isInit && spec.restartPolicy !== 'Always' ? Number.POSITIVE_INFINITY : readyAt(ctx.pod, spec, cur.startedAt);
    ready = at <= ctx.now && (ctx.probe ? ctx.probe.ready : true);
    if (at > ctx.now && Number.isFinite(at)) changesAt = at;
  } else if (cur.state === 'CONTAINER_EXITED') {
    const restarting =
      !ctx.terminating &&
      shouldRestart(ctx.restartPolicy, cur.exitCode) &&
      !(ctx.isInit && cur.exitCode === 0 && spec.restartPolicy !== 'Always');
    const delayMs = ctx.backOff ? ctx.backOff.delayMs : restartDelayMs(cur.metadata.attempt);
    const restartAt = ctx.backOff ? ctx.backOff.until : cur.finishedAt + delayMs;
    if (restarting && restartAt > ctx.now) {
      const backOff = goDuration(delayMs);
      const podName = `${ctx.pod.metadata.name}_${ctx.pod.metadata.namespace}(${ctx.pod.metadata.uid})`;
      state = {
        waiting: { reason: 'CrashLoopBackOff', message: `back-off ${backOff} restarting failed container=${spec.name} pod=${podName}` },
      };
      lastState = terminated(cur, ctx.runtimeName);
      changesAt = restartAt;
    } else if (restarting && ctx.failure) {
      // the last start failed (RunContainerError): waiting for the next try
      state = { waiting: { reason: ctx.failure.reason, message: ctx.failure.message } };
      lastState = terminated(cur, ctx.runtimeName);
    } else {
      state = terminated(cur, ctx.runtimeName);
      // a finished init container counts as ready, as upstream reports it
      ready = ctx.isInit && cur.exitCode === 0;
      // killed with no better reason yet: containerd may hear of the OOM kill after the exit (its
      // TaskOOM event comes second on a loaded machine) and say OOMKilled a moment later
      const oomCheckAt = cur.finishedAt + OOM_REASON_GRACE_MS;
      if (cur.exitCode === 137 && (cur.reason === '' || cur.reason === 'Error') && oomCheckAt > ctx.now) recheckAt = oomCheckAt;
    }
  } else {
    state = { waiting: { reason: 'ContainerCreating' } };
  }
  return {
    status: {
      name: spec.name,
      state,
      lastState,
      ready,
      restartCount: cur.metadata.attempt,
      image: cur.image.image || normalizeImage(spec.image),
      imageID: cur.imageRef,
      containerID,
      started,
    },
    ready,
    changesAt,
    ...(recheckAt !== undefined ? { recheckAt } : {}),
  };
}
