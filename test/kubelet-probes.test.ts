/**
 * Probes, lifecycle hooks, graceful termination and restarts on a real node (k8ts server on its
 * own containerd, busybox pods): a liveness probe that starts failing restarts its container
 * with upstream's Unhealthy and Killing events; readiness gates the pod's Ready condition and its
 * Service's ready endpoints; tcpSocket probes on a named port and on a closed one, an exec probe
 * that times out; a postStart hook whose file the container waits for; deletion where a
 * container's preStop hook runs, then its TERM trap, and one ignoring TERM is SIGKILLed after its
 * grace period; CrashLoopBackOff with the first back-off; restartPolicy Never pods that succeed
 * and fail, and one whose command does not exist. All pods run in parallel. Skipped with the
 * reason when root or the packages are missing (under CI=true that fails instead).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HttpsClientset } from '../src/client/rest.js';
import type { WatchEvent } from '../src/client/interface.js';
import { BUSYBOX_IMAGE } from '../src/kubelet/images/busybox-image.js';
import type { KubeObject } from '../src/machinery/object.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';
import { eventually } from './support/wait.js';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const EVENTS = { group: '', version: 'v1', resource: 'events' };
const SERVICES = { group: '', version: 'v1', resource: 'services' };
const ENDPOINTS = { group: '', version: 'v1', resource: 'endpoints' };
const NS = 'default';

const skip = await realNodeUnavailableForTests();
let node: RealNodeServer | undefined;

const client = (): HttpsClientset => (node as RealNodeServer).client;
const pods = () => client().resource(PODS);
const status = (o: KubeObject | undefined): Obj => (o?.['status'] ?? {}) as Obj;
const condition = (p: KubeObject, type: string): Obj | undefined =>
  ((status(p)['conditions'] ?? []) as Obj[]).find((c) => c['type'] === type);
const containerStatus = (p: KubeObject, name: string): Obj =>
  ((status(p)['containerStatuses'] ?? []) as Obj[]).find((c) => c['name'] === name) ?? {};
const state = (cs: Obj, which: 'running' | 'waiting' | 'terminated'): Obj | undefined =>
  (cs['state'] as Obj | undefined)?.[which] as Obj | undefined;

function pod(name: string, spec: Obj): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels: { probes: name } }, spec };
}

/** The IPs of the Endpoints `name`: ready (addresses) and not ready. */
async function endpointIPs(name: string): Promise<{ ready: string[]; notReady: string[] }> {
  const ep = await client()
    .resource(ENDPOINTS)
    .get(NS, name)
    .catch(() => undefined);
  const subsets = (ep?.['subsets'] ?? []) as Obj[];
  const ips = (field: string) => subsets.flatMap((s) => ((s[field] ?? []) as Obj[]).map((a) => String(a['ip'])));
  return { ready: ips('addresses'), notReady: ips('notReadyAddresses') };
}

function box(name: string, script: string, extra: Obj = {}): Obj {
  return { name, image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script], ...extra };
}

/** The events about pod `name`, as `Type Reason Message`. */
async function eventsOf(name: string): Promise<string[]> {
  const list = await client().resource(EVENTS).list(NS);
  return list.items
    .filter((e) => (e['involvedObject'] as Obj)['name'] === name)
    .map((e) => `${String(e['type'])} ${String(e['reason'])} ${String(e['message'])}`);
}

async function waitPod(name: string, what: string, check: (p: KubeObject) => boolean, timeoutMs = 60_000): Promise<KubeObject> {
  let got: KubeObject | undefined;
  try {
    await eventually(
      `${name}: ${what}`,
      async () => {
        got = await pods().get(NS, name);
        return check(got);
      },
      timeoutMs,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; status ${JSON.stringify(status(got))}; events ${(await eventsOf(name)).join(' | ')}`);
  }
  return got as KubeObject;
}

const HTTPD = (dir: string, port: number) => `mkdir -p ${dir} && echo ok > ${dir}/ready && exec httpd -f -p ${port} -h ${dir}`;

before(async () => {
  if (skip) return;
  node = await startRealNodeServer({ nodeName: 'k8ts-probes-node', clusterCIDR: '10.249.0.0/16' });
  const all = [
    pod('live', {
      terminationGracePeriodSeconds: 30,
      containers: [
        box('app', 'touch /tmp/healthy; sleep 4; rm /tmp/healthy; exec sleep 3600', {
          livenessProbe: {
            exec: { command: ['cat', '/tmp/healthy'] },
            periodSeconds: 1,
            failureThreshold: 2,
            terminationGracePeriodSeconds: 2,
          },
        }),
      ],
    }),
    pod('ready', {
      containers: [
        box('web', `sleep 6; ${HTTPD('/www', 8080)}`, {
          readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 1 },
        }),
      ],
    }),
    pod('tcp', {
      terminationGracePeriodSeconds: 1,
      containers: [
        box('srv', HTTPD('/www', 9000), {
          ports: [{ name: 'web', containerPort: 9000 }],
          readinessProbe: { tcpSocket: { port: 'web' }, periodSeconds: 1 },
        }),
        box('closed', 'exec sleep 3600', { readinessProbe: { tcpSocket: { port: 9999 }, periodSeconds: 1 } }),
        box('slow', 'exec sleep 3600', { readinessProbe: { exec: { command: ['sleep', '3'] }, timeoutSeconds: 1, periodSeconds: 1 } }),
      ],
    }),
    pod('hook', {
      terminationGracePeriodSeconds: 1,
      containers: [
        box('app', 'while [ ! -f /tmp/hook ]; do sleep 0.1; done; cp /tmp/hook /tmp/saw; exec sleep 3600', {
          lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo from-post-start > /tmp/hook'] } } },
          readinessProbe: { exec: { command: ['grep', '-q', 'from-post-start', '/tmp/saw'] }, periodSeconds: 1 },
        }),
      ],
    }),
    pod('term', {
      terminationGracePeriodSeconds: 30,
      containers: [
        // exits 8 on TERM once its preStop hook signalled USR1 (7 without the hook)
        box('polite', "got=0; trap 'got=1' USR1; trap 'exit $((7 + got))' TERM; while true; do sleep 0.1; done", {
          lifecycle: { preStop: { exec: { command: ['kill', '-USR1', '1'] } } },
        }),
        box('stubborn', 'trap "" TERM; while true; do sleep 0.1; done'),
      ],
    }),
    pod('crash', { containers: [box('crash', 'exit 1')] }),
    pod('done', { restartPolicy: 'Never', containers: [box('ok', 'exit 0')] }),
    pod('nocmd', { restartPolicy: 'Never', containers: [{ name: 'app', image: BUSYBOX_IMAGE, command: ['/no/such/binary'] }] }),
    pod('broken', { restartPolicy: 'Never', containers: [box('bad', 'exit 3'), box('slow', 'sleep 2; exit 0')] }),
  ];
  await Promise.all(all.map((p) => pods().create(NS, p)));
  await client()
    .resource(SERVICES)
    .create(NS, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ready', namespace: NS },
      spec: { selector: { probes: 'ready' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
});

after(async () => {
  if (!node) return;
  for (const name of ['live', 'ready', 'tcp', 'hook', 'crash', 'done', 'nocmd', 'broken', 'term']) {
    await pods()
      .delete(NS, name, { gracePeriodSeconds: 0 })
      .catch(() => undefined);
  }
  assert.deepEqual(await node.stop(), [], 'the test left these behind');
});

describe('probes, hooks and termination on a real node', { skip, timeout: 180_000, concurrency: true }, () => {
  it('restarts a container whose liveness probe fails, with upstream’s events', async () => {
    const p = await waitPod('live', 'restarted once', (x) => Number(containerStatus(x, 'app')['restartCount']) >= 1, 90_000);
    const last = (containerStatus(p, 'app')['lastState'] as Obj)['terminated'] as Obj;
    // sleep as PID 1 ignores SIGTERM: killed after the probe's 2 s grace (not the pod's 30 s)
    assert.deepEqual([last['exitCode'], last['reason']], [137, 'Error']);
    const ran = Date.parse(String(last['finishedAt'])) - Date.parse(String(last['startedAt']));
    assert.ok(ran >= 6000 && ran < 20_000, `the first container ran ${ran} ms`);
    const events = await eventsOf('live');
    assert.ok(
      events.some((e) => /^Warning Unhealthy Liveness probe failed: cat: can't open '\/tmp\/healthy': No such file or directory/.test(e)),
      events.join('\n'),
    );
    assert.ok(events.includes('Normal Killing Container app failed liveness probe, will be restarted'), events.join('\n'));
  });

  it('keeps a pod unready, and out of its Service’s ready endpoints, until its readiness probe passes', async () => {
    const running = await waitPod('ready', 'Running', (x) => status(x)['phase'] === 'Running', 90_000);
    assert.equal(condition(running, 'Ready')?.['status'], 'False');
    assert.equal(containerStatus(running, 'web')['ready'], false);
    const ip = String(status(running)['podIP']);
    await eventually('the pod among the not-ready endpoints', async () => (await endpointIPs('ready')).notReady.includes(ip), 5_000, 100);
    const ready = await waitPod('ready', 'Ready', (x) => condition(x, 'Ready')?.['status'] === 'True');
    assert.equal(condition(ready, 'ContainersReady')?.['status'], 'True');
    assert.equal(containerStatus(ready, 'web')['ready'], true);
    await eventually('the pod among the ready endpoints', async () => {
      const eps = await endpointIPs('ready');
      return eps.ready.includes(ip) && !eps.notReady.includes(ip);
    });
    const events = await eventsOf('ready');
    assert.ok(
      events.some((e) =>
        /^Warning Unhealthy Readiness probe failed: Get "http:\/\/10\.249\.[\d.]+:8080\/ready": dial tcp .*connection refused$/.test(e),
      ),
      events.join('\n'),
    );
  });

  it('probes tcpSocket on a named port, reports a closed one and an exec probe that times out', async () => {
    const p = await waitPod('tcp', 'srv ready', (x) => containerStatus(x, 'srv')['ready'] === true, 90_000);
    assert.equal(containerStatus(p, 'closed')['ready'], false);
    assert.equal(condition(p, 'Ready')?.['message'], 'containers with unready status: [closed slow]');
    const ip = String(status(p)['podIP']);
    await eventually('the Unhealthy events of the closed port and the slow command', async () => {
      const events = await eventsOf('tcp');
      return (
        events.includes(`Warning Unhealthy Readiness probe failed: dial tcp ${ip}:9999: connect: connection refused`) &&
        events.includes('Warning Unhealthy Readiness probe failed: command "sleep 3" timed out')
      );
    });
  });

  it('runs a postStart hook whose file the container sees', async () => {
    const p = await waitPod('hook', 'Ready', (x) => condition(x, 'Ready')?.['status'] === 'True', 90_000);
    assert.equal(containerStatus(p, 'app')['restartCount'], 0);
  });

  it('shows CrashLoopBackOff with the first back-off', async () => {
    const p = await waitPod(
      'crash',
      'CrashLoopBackOff',
      (x) => state(containerStatus(x, 'crash'), 'waiting')?.['reason'] === 'CrashLoopBackOff',
      90_000,
    );
    const cs = containerStatus(p, 'crash');
    assert.equal(cs['restartCount'], 1);
    assert.equal(
      state(cs, 'waiting')?.['message'],
      `back-off 10s restarting failed container=crash pod=crash_default(${String(p.metadata.uid)})`,
    );
    const last = (cs['lastState'] as Obj)['terminated'] as Obj;
    assert.deepEqual([last['exitCode'], last['reason']], [1, 'Error']);
    await eventually('the BackOff event', async () =>
      (await eventsOf('crash')).includes(
        `Warning BackOff Back-off restarting failed container crash in pod crash_default(${String(p.metadata.uid)})`,
      ),
    );
  });

  it('ends restartPolicy Never pods Succeeded and Failed', async () => {
    const ok = await waitPod('done', 'Succeeded', (x) => status(x)['phase'] === 'Succeeded', 90_000);
    assert.deepEqual(
      [state(containerStatus(ok, 'ok'), 'terminated')?.['exitCode'], state(containerStatus(ok, 'ok'), 'terminated')?.['reason']],
      [0, 'Completed'],
    );
    const bad = await waitPod('broken', 'Failed', (x) => status(x)['phase'] === 'Failed', 90_000);
    assert.deepEqual(
      [state(containerStatus(bad, 'bad'), 'terminated')?.['exitCode'], state(containerStatus(bad, 'bad'), 'terminated')?.['reason']],
      [3, 'Error'],
    );
    assert.equal(state(containerStatus(bad, 'slow'), 'terminated')?.['exitCode'], 0, 'Failed only once every container ended');
    // a command that cannot run: containerd's StartError, exit code 128
    const nocmd = await waitPod('nocmd', 'Failed', (x) => status(x)['phase'] === 'Failed', 90_000);
    const term = state(containerStatus(nocmd, 'app'), 'terminated') ?? {};
    assert.deepEqual([term['exitCode'], term['reason']], [128, 'StartError']);
    assert.match(String(term['message']), /no such file or directory/);
    const events = await eventsOf('nocmd');
    assert.ok(
      events.some((e) => /^Warning Failed Error: .*\/no\/such\/binary/.test(e)),
      events.join('\n'),
    );
  });

  it('deletes gracefully: preStop, then the TERM trap runs; a container ignoring TERM is killed after the grace period', async () => {
    await waitPod('term', 'Running', (x) => status(x)['phase'] === 'Running', 90_000);
    const seen: KubeObject[] = [];
    const ac = new AbortController();
    let deleted = false;
    const w = pods().watch(
      NS,
      { fieldSelector: 'metadata.name=term' },
      (e: WatchEvent) => {
        if (e.type === 'MODIFIED') seen.push(e.object);
        if (e.type === 'DELETED') deleted = true;
      },
      ac.signal,
    );
    const start = Date.now();
    await pods().delete(NS, 'term', { gracePeriodSeconds: 3 });
    await eventually('the pod gone', () => deleted, 30_000, 50);
    const took = Date.now() - start;
    ac.abort();
    await w.done.catch(() => undefined);
    const final = seen.findLast((p) => state(containerStatus(p, 'stubborn'), 'terminated'));
    assert.ok(final, 'the kubelet reported the stopped containers before deleting the pod');
    assert.equal(state(containerStatus(final, 'polite'), 'terminated')?.['exitCode'], 8, 'the preStop hook, then the TERM trap ran');
    assert.deepEqual(
      [
        state(containerStatus(final, 'stubborn'), 'terminated')?.['exitCode'],
        state(containerStatus(final, 'stubborn'), 'terminated')?.['reason'],
      ],
      [137, 'Error'],
    );
    assert.equal(status(final)['phase'], 'Failed');
    assert.ok(took >= 3000 && took < 15_000, `deletion took ${took} ms`);
  });
});
