import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuntimeError } from '../runtime/interface.js';
import { simulatedProbeNetwork } from './network.js';
import { condition, containerStatusOf, kubeletFixture } from '../testing/kubelet-fixture.js';

type Obj = Record<string, unknown>;

const httpProbe = (path: string, extra: Obj = {}): Obj => ({ httpGet: { path, port: 8080 }, periodSeconds: 1, ...extra });

describe('probe manager', () => {
  it('costs nothing for pods without probes', async () => {
    const t = kubeletFixture();
    t.create({ containers: [{ name: 'app', image: 'nginx' }] });
    await t.sync();
    assert.equal(t.kubelet.probes.podCount, 0);
    assert.equal(t.clock.pendingTimers, 0);
  });

  it('gates readiness on the readiness probe: Ready False until it passes, then True', async () => {
    const t = kubeletFixture();
    t.create({ containers: [{ name: 'app', image: 'nginx', readinessProbe: httpProbe('/ready', { initialDelaySeconds: 2 }) }] });
    let st = await t.sync();
    assert.equal(st['phase'], 'Running');
    assert.deepEqual([containerStatusOf(st, 'app')['ready'], containerStatusOf(st, 'app')['started']], [false, true]);
    assert.equal(condition(st, 'Ready')?.['status'], 'False');
    assert.equal(condition(st, 'ContainersReady')?.['message'], 'containers with unready status: [app]');
    await t.clock.step(1000);
    assert.deepEqual(t.network.calls, [], 'nothing probed before initialDelaySeconds');
    await t.clock.step(1000);
    assert.equal(t.network.calls[0], `GET ${String(st['podIP'])}:8080/ready`);
    assert.deepEqual(t.requeues.at(-1), ['default/web', 0], 'a new result asks for a sync');
    st = await t.sync();
    assert.equal(containerStatusOf(st, 'app')['ready'], true);
    assert.equal(condition(st, 'Ready')?.['status'], 'True');
    assert.equal(condition(st, 'Ready')?.['lastTransitionTime'], '2024-01-01T00:00:02Z');
    // failing again for failureThreshold (3) periods makes it unready, with Unhealthy events
    t.network.fail('/ready', 503);
    await t.clock.step(2000);
    st = await t.sync();
    assert.equal(condition(st, 'Ready')?.['status'], 'True', 'two failures are below the threshold');
    await t.clock.step(1000);
    st = await t.sync();
    assert.equal(condition(st, 'Ready')?.['status'], 'False');
    const unhealthy = t.recorder.events.filter((e) => e.reason === 'Unhealthy');
    assert.equal(unhealthy.length, 3);
    assert.deepEqual(
      [unhealthy[0]?.type, unhealthy[0]?.message, unhealthy[0]?.fieldPath],
      ['Warning', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 'spec.containers{app}'],
    );
  });

  it('restarts a container that fails its liveness probe, with upstream’s events', async () => {
    const t = kubeletFixture();
    t.create({ containers: [{ name: 'app', image: 'nginx', livenessProbe: httpProbe('/healthz', { failureThreshold: 2 }) }] });
    let st = await t.sync();
    assert.equal(containerStatusOf(st, 'app')['ready'], true, 'a liveness probe does not gate readiness');
    t.network.fail('/healthz');
    await t.clock.step(1000);
    await t.clock.step(1000);
    assert.equal(t.requeues.at(-1)?.[1], 0);
    st = await t.sync();
    const cs = containerStatusOf(st, 'app');
    assert.equal(cs['restartCount'], 1);
    assert.ok((cs['state'] as Obj)['running'], 'restarted at once');
    const last = (cs['lastState'] as Obj)['terminated'] as Obj;
    assert.deepEqual([last['exitCode'], last['reason']], [143, 'Error']);
    const lines = t.recorder.lines();
    assert.deepEqual(
      lines.filter((l) => /Unhealthy|Killing/.test(l)),
      [
        'Warning Unhealthy Liveness probe failed: HTTP probe failed with statuscode: 500',
        'Warning Unhealthy Liveness probe failed: HTTP probe failed with statuscode: 500',
        'Normal Killing Container app failed liveness probe, will be restarted',
      ],
    );
    // the new container starts from the initial (Success) result; its probe runs again
    t.network.answers.clear();
    const calls = t.network.calls.length;
    await t.clock.step(1000);
    assert.ok(t.network.calls.length > calls, 'probed again');
  });

  it('restarts at once after a liveness kill that took time (preStop), without a BackOff', async () => {
    const t = kubeletFixture();
    t.create({
      containers: [
        {
          name: 'app',
          image: 'nginx',
          lifecycle: { preStop: { sleep: { seconds: 3 } } },
          livenessProbe: httpProbe('/healthz', { failureThreshold: 1 }),
        },
      ],
    });
    await t.sync();
    t.network.fail('/healthz');
    await t.clock.step(1000);
    const syncing = t.sync();
    await t.clock.step(3000);
    const st = await syncing;
    assert.equal(containerStatusOf(st, 'app')['restartCount'], 1);
    assert.ok((containerStatusOf(st, 'app')['state'] as Obj)['running']);
    assert.deepEqual(
      t.recorder.events.filter((e) => e.reason === 'BackOff'),
      [],
    );
  });

  it('uses the probe’s terminationGracePeriodSeconds when it kills', async () => {
    const t = kubeletFixture();
    const stops: number[] = [];
    const stop = t.runtime.stopContainer.bind(t.runtime);
    t.runtime.stopContainer = (id, timeout) => {
      stops.push(timeout);
      return stop(id, timeout);
    };
    t.create({
      terminationGracePeriodSeconds: 60,
      containers: [
        { name: 'app', image: 'nginx', livenessProbe: httpProbe('/healthz', { failureThreshold: 1, terminationGracePeriodSeconds: 5 }) },
      ],
    });
    await t.sync();
    t.network.fail('/healthz');
    await t.clock.step(1000);
    await t.sync();
    assert.deepEqual(stops, [5]);
  });

  it('holds liveness and readiness until the startup probe succeeds', async () => {
    const t = kubeletFixture();
    t.network.fail('/started');
    t.create({
      containers: [
        {
          name: 'app',
          image: 'nginx',
          startupProbe: httpProbe('/started', { failureThreshold: 10 }),
          livenessProbe: httpProbe('/healthz'),
          readinessProbe: httpProbe('/ready'),
        },
      ],
    });
    let st = await t.sync();
    assert.deepEqual([containerStatusOf(st, 'app')['started'], containerStatusOf(st, 'app')['ready']], [false, false]);
    await t.clock.step(3000);
    assert.ok(
      t.network.calls.every((c) => c.endsWith('/started')),
      t.network.calls.join(', '),
    );
    t.network.answers.clear();
    await t.clock.step(1000);
    st = await t.sync();
    assert.equal(containerStatusOf(st, 'app')['started'], true);
    await t.clock.step(1000);
    st = await t.sync();
    assert.deepEqual([containerStatusOf(st, 'app')['started'], containerStatusOf(st, 'app')['ready']], [true, true]);
    assert.ok(t.network.calls.some((c) => c.endsWith('/healthz')));
  });

  it('kills a container whose startup probe fails for good', async () => {
    const t = kubeletFixture();
    t.network.fail('/started');
    t.create({ containers: [{ name: 'app', image: 'nginx', startupProbe: httpProbe('/started', { failureThreshold: 2 }) }] });
    await t.sync();
    await t.clock.step(2000);
    const st = await t.sync();
    assert.equal(containerStatusOf(st, 'app')['restartCount'], 1);
    assert.ok(t.recorder.lines().includes('Normal Killing Container app failed startup probe, will be restarted'));
  });

  it('runs exec probes through the runtime and tcpSocket probes on named ports', async () => {
    const t = kubeletFixture();
    t.create({
      containers: [
        {
          name: 'app',
          image: 'nginx',
          ports: [{ name: 'web', containerPort: 8080 }],
          readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1 },
          livenessProbe: { tcpSocket: { port: 'web' }, periodSeconds: 1 },
        },
      ],
    });
    const st = await t.sync();
    await t.clock.step(0);
    assert.deepEqual(t.network.calls, [`TCP ${String(st['podIP'])}:8080`]);
    assert.equal(containerStatusOf(await t.sync(), 'app')['ready'], true, 'the fake runtime’s exec exits 0');
  });

  it('probes a hostNetwork pod at the node’s IP (its pod IP)', async () => {
    const t = kubeletFixture();
    t.create({
      hostNetwork: true,
      containers: [{ name: 'app', image: 'nginx', livenessProbe: { grpc: { port: 9090 }, periodSeconds: 1 } }],
    });
    const st = await t.sync();
    assert.equal(st['podIP'], '10.240.0.1');
    await t.clock.step(1000);
    assert.equal(t.network.calls[0], 'GRPC 10.240.0.1:9090 ');
  });

  it('starts app containers only once a sidecar’s startup probe succeeded', async () => {
    const t = kubeletFixture();
    t.network.fail('/started');
    t.create({
      initContainers: [
        { name: 'proxy', image: 'envoy', restartPolicy: 'Always', startupProbe: httpProbe('/started', { failureThreshold: 30 }) },
      ],
      containers: [{ name: 'app', image: 'nginx' }],
    });
    await t.sync();
    await t.clock.step(2000);
    let st = await t.sync();
    assert.equal(containerStatusOf(st, 'proxy', 'initContainerStatuses')['started'], false);
    assert.equal((await t.runtime.listContainers()).filter((c) => c.metadata.name === 'app').length, 0, 'app not started');
    t.network.answers.clear();
    await t.clock.step(1000);
    st = await t.sync();
    assert.equal(containerStatusOf(st, 'proxy', 'initContainerStatuses')['started'], true);
    assert.equal((await t.runtime.listContainers()).filter((c) => c.metadata.name === 'app').length, 1, 'app started');
  });

  it('words exec failures and timeouts as upstream', async () => {
    const t = kubeletFixture();
    const exec = t.runtime.execSync.bind(t.runtime);
    t.runtime.execSync = async (id, cmd, timeout) => {
      if (cmd[0] === 'slow') throw new RuntimeError('DeadlineExceeded', 'context deadline exceeded');
      if (cmd[0] === 'cat')
        return { stdout: new Uint8Array(), stderr: Buffer.from("cat: can't open '/tmp/x': No such file or directory\n"), exitCode: 1 };
      return exec(id, cmd, timeout);
    };
    t.create({
      containers: [
        { name: 'a', image: 'nginx', readinessProbe: { exec: { command: ['cat', '/tmp/x'] }, periodSeconds: 1 } },
        { name: 'b', image: 'nginx', readinessProbe: { exec: { command: ['slow', 'thing'] }, periodSeconds: 1 } },
      ],
    });
    await t.sync();
    await t.clock.step(0);
    assert.deepEqual(
      t.recorder.events.filter((e) => e.reason === 'Unhealthy').map((e) => `${String(e.fieldPath)} ${e.message}`),
      [
        "spec.containers{a} Readiness probe failed: cat: can't open '/tmp/x': No such file or directory\n",
        'spec.containers{b} Readiness probe failed: command "slow thing" timed out',
      ],
    );
  });

  it('stops probing once probes succeeded when the answers never change (simulated nodes)', async () => {
    const t = kubeletFixture();
    t.network.steady = true;
    t.create({
      containers: [
        {
          name: 'app',
          image: 'nginx',
          startupProbe: httpProbe('/started'),
          livenessProbe: httpProbe('/healthz'),
          readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 },
        },
      ],
    });
    await t.sync();
    await t.clock.step(1000);
    await t.clock.step(1000);
    const st = await t.sync();
    assert.deepEqual([containerStatusOf(st, 'app')['started'], containerStatusOf(st, 'app')['ready']], [true, true]);
    assert.equal(t.clock.pendingTimers, 0, 'no worker keeps a timer');
    const calls = t.network.calls.length;
    await t.clock.step(60_000);
    assert.equal(t.network.calls.length, calls);
  });

  it('answers simulated pods’ network probes from the simulation', async () => {
    const outcomes = await Promise.all([
      simulatedProbeNetwork.httpGet({ scheme: 'HTTP', host: '10.0.0.1', port: 80, path: '/', headers: [] }, 1000),
      simulatedProbeNetwork.tcpSocket('10.0.0.1', 80, 1000),
      simulatedProbeNetwork.grpc('10.0.0.1', 80, '', 1000),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.result),
      ['Success', 'Success', 'Success'],
    );
  });

  it('stops probing a pod that finished or is gone', async () => {
    const t = kubeletFixture();
    t.create({ containers: [{ name: 'app', image: 'nginx', readinessProbe: httpProbe('/ready') }] });
    await t.sync();
    assert.equal(t.kubelet.probes.podCount, 1);
    t.cluster.tracker.remove({ group: '', version: 'v1', resource: 'pods' }, 'default', 'web');
    await t.sync();
    assert.equal(t.kubelet.probes.podCount, 0);
    assert.equal(t.clock.pendingTimers, 0);
  });
});
