/** The pods Table (printPod in pkg/printers/internalversion/printers.go). */
import type { TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { asObj, objs, part, str, num, type Obj } from './access.js';
import { AGE_COLUMN, NAME_COLUMN, age, column, describe } from './printer-columns.js';

const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

function isRestartableInit(c: Obj | undefined): boolean {
  return c !== undefined && c['restartPolicy'] === 'Always';
}

function conditionTrue(conditions: Obj[], type: string): boolean | undefined {
  const c = conditions.find((x) => x['type'] === type);
  return c ? c['status'] === 'True' : undefined;
}

function finishedAt(status: Obj): number {
  const t = str(asObj(asObj(status['lastState'])?.['terminated'])?.['finishedAt']);
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/** The STATUS, READY and RESTARTS of a pod, computed as kubectl shows them. */
export function podSummary(pod: KubeObject, now: number): { ready: string; reason: string; restarts: string } {
  const spec = part(pod, 'spec');
  const status = part(pod, 'status');
  const containers = objs(spec['containers']);
  const initSpecs = objs(spec['initContainers']);
  const conditions = objs(status['conditions']);
  let total = containers.length;
  let ready = 0;
  let restarts = 0;
  let restartableRestarts = 0;
  let lastRestart = 0;
  let lastRestartableRestart = 0;
  const phase = str(status['phase']);
  let reason = str(status['reason']) || phase;
  for (const c of conditions) {
    if (c['type'] === 'PodScheduled' && c['reason'] === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const initByName = new Map<string, Obj>();
  for (const c of initSpecs) {
    initByName.set(str(c['name']), c);
    if (isRestartableInit(c)) total++;
  }
  let initializing = false;
  const initStatuses = objs(status['initContainerStatuses']);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i] as Obj;
    const count = num(cs['restartCount']) ?? 0;
    restarts += count;
    lastRestart = Math.max(lastRestart, finishedAt(cs));
    const restartable = isRestartableInit(initByName.get(str(cs['name'])));
    if (restartable) {
      restartableRestarts += count;
      lastRestartableRestart = Math.max(lastRestartableRestart, finishedAt(cs));
    }
    const state = asObj(cs['state']) ?? {};
    const terminated = asObj(state['terminated']);
    const waiting = asObj(state['waiting']);
    if (terminated && (num(terminated['exitCode']) ?? 0) === 0) continue;
    if (restartable && cs['started'] === true) {
      if (cs['ready'] === true) ready++;
      continue;
    }
    if (terminated) {
      const r = str(terminated['reason']);
      const signal = num(terminated['signal']) ?? 0;
      if (r) reason = `Init:${r}`;
      else reason = signal !== 0 ? `Init:Signal:${signal}` : `Init:ExitCode:${num(terminated['exitCode']) ?? 0}`;
    } else if (waiting && str(waiting['reason']) && waiting['reason'] !== 'PodInitializing') {
      reason = `Init:${str(waiting['reason'])}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }
  if (!initializing || conditionTrue(conditions, 'Initialized') === true) {
    restarts = restartableRestarts;
    lastRestart = lastRestartableRestart;
    let hasRunning = false;
    const statuses = objs(status['containerStatuses']);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i] as Obj;
      restarts += num(cs['restartCount']) ?? 0;
      lastRestart = Math.max(lastRestart, finishedAt(cs));
      const state = asObj(cs['state']) ?? {};
      const waiting = asObj(state['waiting']);
      const terminated = asObj(state['terminated']);
      if (waiting && str(waiting['reason'])) reason = str(waiting['reason']);
      else if (terminated && str(terminated['reason'])) reason = str(terminated['reason']);
      else if (terminated) {
        const signal = num(terminated['signal']) ?? 0;
        reason = signal !== 0 ? `Signal:${signal}` : `ExitCode:${num(terminated['exitCode']) ?? 0}`;
      } else if (cs['ready'] === true && asObj(state['running'])) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(conditions, 'Ready') === true ? 'Running' : 'NotReady';
  }
  if (pod.metadata.deletionTimestamp && status['reason'] === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  const restartsCell =
    restarts !== 0 && lastRestart !== 0 ? `${restarts} (${age(new Date(lastRestart).toISOString(), now)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, reason, restarts: restartsCell };
}

function readinessGates(spec: Obj, status: Obj): string {
  const gates = objs(spec['readinessGates']);
  if (gates.length === 0) return '<none>';
  const conditions = objs(status['conditions']);
  let trueCount = 0;
  for (const g of gates) if (conditionTrue(conditions, str(g['conditionType'])) === true) trueCount++;
  return `${trueCount}/${gates.length}`;
}

export const podPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    AGE_COLUMN,
    column('IP', 'string', describe('PodStatus', 'podIP'), 1),
    column('Node', 'string', describe('PodSpec', 'nodeName'), 1),
    column('Nominated Node', 'string', describe('PodStatus', 'nominatedNodeName'), 1),
    column('Readiness Gates', 'string', describe('PodSpec', 'readinessGates'), 1),
  ],
  row(pod, now) {
    const spec = part(pod, 'spec');
    const status = part(pod, 'status');
    const s = podSummary(pod, now);
    const ip = str(objs(status['podIPs'])[0]?.['ip']) || '<none>';
    return [
      pod.metadata.name ?? '',
      s.ready,
      s.reason,
      s.restarts,
      age(pod.metadata.creationTimestamp, now),
      ip,
      str(spec['nodeName']) || '<none>',
      str(status['nominatedNodeName']) || '<none>',
      readinessGates(spec, status),
    ];
  },
};
