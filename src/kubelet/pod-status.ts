/**
 * The API status of a pod from its runtime view (kubelet_pods.go generateAPIPodStatus, getPhase,
 * and the condition generators of pkg/kubelet/status): phase, the five kubelet conditions with
 * transition times kept while their status holds, IPs, start time and container statuses.
 */
import { asObj, objs, str, type Obj } from '../api/core/access.js';
import type { KubeObject } from '../machinery/object.js';
import { type ContainerSpec, containerStatus, type StartFailure } from './container-status.js';
import type { PodRuntimeView } from './runtime-view.js';
import type { BackOffState } from './restart.js';
import { rfc3339 } from '../machinery/time.js';

export interface PodStatusInput {
  pod: KubeObject;
  view: PodRuntimeView;
  hostIP: string;
  now: number;
  runtimeName: string;
  /** The pod is being deleted (deletionTimestamp) and its containers were stopped. */
  terminating?: boolean;
  /** Containers the kubelet failed to start, by name. */
  failures?: ReadonlyMap<string, StartFailure>;
  /** What the probes say about a container (undefined: it has none). */
  probes?: (name: string, containerId: string) => { started: boolean; ready: boolean } | undefined;
  /** The kubelet's restart back-off of an exited container. */
  backOff?: (name: string, finishedAt: number) => BackOffState;
}

export interface PodStatusResult {
  status: Obj;
  /** The earliest time the status changes by itself (readiness delay, back-off), if any. */
  changesAt: number | undefined;
}

const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

export function podSpecContainers(pod: KubeObject, field: 'containers' | 'initContainers'): ContainerSpec[] {
  return objs(asObj(pod['spec'])?.[field]).map((c) => c as unknown as ContainerSpec);
}

function condition(type: string, status: boolean, previous: Obj[], now: number, reason?: string, message?: string): Obj {
  const value = status ? 'True' : 'False';
  const prev = previous.find((c) => c['type'] === type);
  const lastTransitionTime = prev && prev['status'] === value && prev['lastTransitionTime'] ? prev['lastTransitionTime'] : rfc3339(now);
  return {
    type,
    status: value,
    lastProbeTime: null,
    lastTransitionTime,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

function phaseOf(pod: KubeObject, input: { initFailed: boolean; initPending: boolean; app: Obj[]; terminating: boolean }): string {
  const restartPolicy = str(asObj(pod['spec'])?.['restartPolicy']) || 'Always';
  if (input.initFailed && restartPolicy === 'Never') return 'Failed';
  if (input.initPending && !input.terminating) return 'Pending';
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const cs of input.app) {
    const state = asObj(cs['state']) ?? {};
    const term = asObj(state['terminated']);
    if (asObj(state['running'])) running++;
    else if (term) {
      stopped++;
      if (term['exitCode'] === 0) succeeded++;
    } else if (asObj(asObj(cs['lastState'])?.['terminated'])) stopped++;
    else waiting++;
  }
  if (input.terminating) return stopped === succeeded ? 'Succeeded' : 'Failed';
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    return restartPolicy === 'OnFailure' ? 'Running' : 'Failed';
  }
  return 'Pending';
}

export function generatePodStatus(input: PodStatusInput): PodStatusResult {
  const { pod, view, now } = input;
  const terminating = input.terminating === true;
  const old = asObj(pod['status']) ?? {};
  const previous = objs(old['conditions']);
  const spec = asObj(pod['spec']) ?? {};
  const restartPolicy = str(spec['restartPolicy']) || 'Always';
  let changesAt: number | undefined;
  let recheckAt: number | undefined;
  const earliest = (a: number | undefined, b: number | undefined) => (a === undefined || (b !== undefined && b < a) ? b : a);
  const note = (r: { changesAt: number | undefined; recheckAt?: number }): void => {
    changesAt = earliest(changesAt, r.changesAt);
    recheckAt = earliest(recheckAt, r.recheckAt);
  };

  // init containers, in order: the first one not done holds up the rest
  const initStatuses: Obj[] = [];
  const pendingInit: string[] = [];
  let initFailed = false;
  for (const c of podSpecContainers(pod, 'initContainers')) {
    const v = view.containers.get(c.name);
    const sidecar = c.restartPolicy === 'Always';
    const r = containerStatus(c, v, {
      pod,
      now,
      runtimeName: input.runtimeName,
      restartPolicy: sidecar ? 'Always' : restartPolicy,
      isInit: true,
      waitingReason: 'PodInitializing',
      terminating,
      failure: input.failures?.get(c.name),
      probe: v && input.probes?.(c.name, v.current.id),
      backOff: v && input.backOff?.(c.name, v.current.finishedAt),
    });
    initStatuses.push(r.status);
    note(r);
    const cur = v?.current;
    const done = sidecar
      ? cur?.state === 'CONTAINER_RUNNING' || (cur?.state === 'CONTAINER_EXITED' && terminating)
      : cur?.state === 'CONTAINER_EXITED' && cur.exitCode === 0;
    if (!done) pendingInit.push(c.name);
    if (!sidecar && cur?.state === 'CONTAINER_EXITED' && cur.exitCode !== 0) initFailed = true;
  }
  const initPending = pendingInit.length > 0;

  const appStatuses: Obj[] = [];
  const unready: string[] = [];
  for (const c of podSpecContainers(pod, 'containers')) {
    const v = view.containers.get(c.name);
    const r = containerStatus(c, v, {
      pod,
      now,
      runtimeName: input.runtimeName,
      restartPolicy,
      isInit: false,
      waitingReason: initPending ? 'PodInitializing' : 'ContainerCreating',
      terminating,
      failure: input.failures?.get(c.name),
      probe: v && input.probes?.(c.name, v.current.id),
      backOff: v && input.backOff?.(c.name, v.current.finishedAt),
    });
    appStatuses.push(r.status);
    note(r);
    if (!r.ready) unready.push(c.name);
  }

  const phase = phaseOf(pod, { initFailed, initPending, app: appStatuses, terminating });
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const sandboxReady = view.sandbox?.state === 'SANDBOX_READY' && !terminal && !terminating;
  const conditions: Obj[] = [condition('PodReadyToStartContainers', sandboxReady, previous, now)];
  if (initPending && !terminal) {
    conditions.push(
      condition(
        'Initialized',
        false,
        previous,
        now,
        'ContainersNotInitialized',
        `containers with incomplete status: [${pendingInit.join(' ')}]`,
      ),
    );
  } else {
    conditions.push(condition('Initialized', true, previous, now, phase === 'Succeeded' ? 'PodCompleted' : undefined));
  }
  let containersReady: Obj;
  if (phase === 'Succeeded') containersReady = condition('ContainersReady', false, previous, now, 'PodCompleted');
  else if (unready.length > 0)
    containersReady = condition(
      'ContainersReady',
      false,
      previous,
      now,
      'ContainersNotReady',
      `containers with unready status: [${unready.join(' ')}]`,
    );
  else containersReady = condition('ContainersReady', true, previous, now);
  let ready: Obj = condition(
    'Ready',
    containersReady['status'] === 'True',
    previous,
    now,
    str(containersReady['reason']) || undefined,
    str(containersReady['message']) || undefined,
  );
  if (containersReady['status'] === 'True') {
    for (const gate of objs(spec['readinessGates'])) {
      const type = str(gate['conditionType']);
      const have = previous.find((c) => c['type'] === type);
      if (have?.['status'] !== 'True') {
        const message = have
          ? `the status of pod readiness gate "${type}" is not "True", but ${str(have['status'])}`
          : `corresponding condition of pod readiness gate "${type}" does not exist.`;
        ready = condition('Ready', false, previous, now, 'ReadinessGatesNotReady', message);
        break;
      }
    }
  }
  conditions.push(ready, containersReady, condition('PodScheduled', true, previous, now));
  for (const c of previous) if (!KUBELET_CONDITIONS.includes(str(c['type']))) conditions.push(c);

  const status: Obj = { ...old, phase, conditions, hostIP: input.hostIP, hostIPs: [{ ip: input.hostIP }] };
  // a pod on the host network has the node's IP (its sandbox reports none)
  const hostNetwork = spec['hostNetwork'] === true;
  const podIP = (hostNetwork ? input.hostIP : view.sandbox?.network?.ip) || str(old['podIP']);
  if (podIP) {
    status['podIP'] = podIP;
    status['podIPs'] = [{ ip: podIP }, ...((!hostNetwork && view.sandbox?.network?.additionalIps) || [])];
  }
  status['startTime'] = old['startTime'] ?? rfc3339(now);
  if (initStatuses.length > 0) status['initContainerStatuses'] = initStatuses;
  status['containerStatuses'] = appStatuses;
  // a terminal pod changes no more by itself, but the runtime may still say more (recheckAt)
  return { status, changesAt: earliest(terminal ? undefined : changesAt, recheckAt) };
}
