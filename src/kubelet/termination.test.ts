import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerStatusOf, kubeletFixture } from './testing/kubelet-fixture.js';

type Obj = Record<string, unknown>;

/** Records StopContainer calls as `name timeout @ms-since-start`. */
function spyStops(t: ReturnType<typeof kubeletFixture>): string[] {
  const stops: string[] = [];
  const stop = t.runtime.stopContainer.bind(t.runtime);
  const start = t.clock.now();
  t.runtime.stopContainer = async (id, timeout) => {
    const name = (await t.runtime.containerStatus(id)).metadata.name;
    stops.push(`${name} ${timeout} @${t.clock.now() - start}`);
    return stop(id, timeout);
  };
  return stops;
}

const sleepHook = (seconds: number): Obj => ({ preStop: { sleep: { seconds } } });

describe('graceful termination', () => {
  it('runs preStop hooks in parallel, stops each container with its remaining grace, sidecars last', async () => {
    const t = kubeletFixture();
    t.create({
      initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }],
      containers: [
        { name: 'a', image: 'nginx', lifecycle: sleepHook(5) },
        { name: 'b', image: 'nginx', lifecycle: sleepHook(8) },
        { name: 'c', image: 'nginx' },
      ],
    });
    await t.sync();
    await t.clock.step(0);
    await t.sync();
    const stops = spyStops(t);
    t.markDeleted(30);
    const done = t.sync();
    await t.clock.step(10_000);
    await done;
    assert.deepEqual(stops, ['c 30 @0', 'a 25 @5000', 'b 22 @8000', 'proxy 22 @8000']);
    const killing = t.recorder.events.filter((e) => e.reason === 'Killing').map((e) => e.message);
    assert.deepEqual(killing.slice(-4), [
      'Stopping container a',
      'Stopping container b',
      'Stopping container c',
      'Stopping container proxy',
    ]);
    assert.equal(t.stored(), undefined, 'deleted with grace 0 once all stopped');
  });

  it('cuts a preStop hook off at the grace period and still gives the container 2 s', async () => {
    const t = kubeletFixture();
    t.create({ containers: [{ name: 'a', image: 'nginx', lifecycle: sleepHook(60) }] });
    await t.sync();
    const stops = spyStops(t);
    t.markDeleted(3);
    const done = t.sync();
    await t.clock.step(3000);
    await done;
    assert.deepEqual(stops, ['a 2 @3000']);
  });

  it('records FailedPreStopHook when the hook fails, and stops the container anyway', async () => {
    const t = kubeletFixture();
    const pod = t.create({
      containers: [{ name: 'a', image: 'nginx', lifecycle: { preStop: { httpGet: { path: '/bye', port: 8080 } } } }],
    });
    const st = await t.sync();
    t.network.answers.set('/bye', { result: 'Failure', output: `dial tcp ${String(st['podIP'])}:8080: connect: connection refused` });
    const stops = spyStops(t);
    t.markDeleted(30);
    await t.sync();
    const failed = t.recorder.events.find((e) => e.reason === 'FailedPreStopHook');
    assert.equal(failed?.type, 'Warning');
    assert.equal(
      failed?.message,
      `HTTP lifecycle hook (/bye) for Container "a" in Pod "web_default(${pod.metadata.uid})" failed - error: dial tcp ${String(st['podIP'])}:8080: connect: connection refused`,
    );
    assert.deepEqual(stops, ['a 30 @0']);
  });
});

describe('lifecycle hooks through exec', () => {
  it('words a failing exec hook as upstream', async () => {
    const t = kubeletFixture();
    t.runtime.execSync = async () => ({ stdout: Buffer.from('out\n'), stderr: Buffer.from('oops\n'), exitCode: 2 });
    const pod = t.create({
      containers: [{ name: 'a', image: 'nginx', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'exit 2'] } } } }],
    });
    await t.sync();
    t.markDeleted(30);
    await t.sync();
    assert.deepEqual(
      t.recorder.events.filter((e) => e.reason === 'FailedPreStopHook').map((e) => e.message),
      [
        `Exec lifecycle hook ([sh -c exit 2]) for Container "a" in Pod "web_default(${pod.metadata.uid})" failed - error: command 'sh -c exit 2' exited with 2: oops\n, message: "out\\noops\\n"`,
      ],
    );
  });
});

describe('postStart hooks', () => {
  it('runs the hook after the start; an HTTP error status still passes', async () => {
    const t = kubeletFixture();
    t.network.fail('/started', 500);
    t.create({ containers: [{ name: 'a', image: 'nginx', lifecycle: { postStart: { httpGet: { path: '/started', port: 80 } } } }] });
    const st = await t.sync();
    assert.ok(t.network.calls.some((c) => c.endsWith(':80/started')));
    assert.ok((containerStatusOf(st, 'a')['state'] as Obj)['running']);
    assert.equal(
      t.recorder.events.some((e) => e.reason === 'FailedPostStartHook'),
      false,
    );
  });

  it('kills the container when the hook fails, with FailedPostStartHook', async () => {
    const t = kubeletFixture();
    t.network.answers.set('/started', { result: 'Failure', output: 'dial tcp 10.244.1.2:80: connect: connection refused' });
    const pod = t.create({
      restartPolicy: 'Never',
      containers: [{ name: 'a', image: 'nginx', lifecycle: { postStart: { httpGet: { path: '/started', port: 80 } } } }],
    });
    const st = await t.sync();
    const lines = t.recorder.lines();
    assert.ok(
      lines.includes(
        `Warning FailedPostStartHook HTTP lifecycle hook (/started) for Container "a" in Pod "web_default(${pod.metadata.uid})" failed - error: dial tcp 10.244.1.2:80: connect: connection refused`,
      ),
      lines.join('\n'),
    );
    assert.ok(lines.includes('Normal Killing FailedPostStartHook'));
    const term = (containerStatusOf(st, 'a')['state'] as Obj)['terminated'] as Obj;
    assert.deepEqual([term['exitCode'], term['reason']], [143, 'Error']);
    assert.equal(st['phase'], 'Failed');
  });
});
