import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../client/testing/fake-clock.js';
import { isRuntimeError, type PodSandboxConfig } from '../interface.js';
import { runtimeConformance } from '../testing/conformance.js';
import { FakeRuntime } from './fake-runtime.js';
import { IPPool } from './ip-pool.js';
import { CONTAINER_TYPE_LABEL, parseExitProgram, parseGoDuration, parseUsage } from './simulate.js';

runtimeConformance('fake', async () => ({ runtime: new FakeRuntime({ nodeIP: '192.168.0.10', podCIDR: '10.244.1.0/24' }) }));

function sandbox(annotations: Record<string, string> = {}, hostNetwork = false): PodSandboxConfig {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u1', attempt: 0 },
    annotations,
    ...(hostNetwork ? { linux: { hostNetwork: true } } : {}),
  };
}

async function started(rt: FakeRuntime, sb: PodSandboxConfig, name = 'app', labels: Record<string, string> = {}): Promise<string> {
  await rt.pullImage({ image: 'nginx' });
  const sandboxId = await rt.runPodSandbox(sb);
  const id = await rt.createContainer(sandboxId, { metadata: { name, attempt: 0 }, image: { image: 'nginx' }, labels }, sb);
  await rt.startContainer(id);
  return id;
}

describe('simulate-exit values', () => {
  const cases: [string, { afterMs: number; exitCode: number } | 'invalid'][] = [
    ['5s:0', { afterMs: 5000, exitCode: 0 }],
    ['1m30s:3', { afterMs: 90_000, exitCode: 3 }],
    ['500ms', { afterMs: 500, exitCode: 0 }],
    ['0:255', { afterMs: 0, exitCode: 255 }],
    ['1.5s:1', { afterMs: 1500, exitCode: 1 }],
    ['5s:256', 'invalid'],
    ['5:0', 'invalid'],
    ['soon', 'invalid'],
    ['5s:-1', 'invalid'],
    ['', 'invalid'],
  ];
  for (const [value, want] of cases) {
    it(JSON.stringify(value), () => {
      if (want === 'invalid')
        assert.throws(
          () => parseExitProgram(value),
          (e: unknown) => isRuntimeError(e, 'InvalidArgument'),
        );
      else assert.deepEqual(parseExitProgram(value), want);
    });
  }
  it('parses Go durations', () => assert.equal(parseGoDuration('1h2m3s4ms'), 3_723_004));
});

describe('fake runtime', () => {
  it('exits a container when told by the pod annotation', async () => {
    const clock = new FakeClock();
    const rt = new FakeRuntime({ nodeIP: '192.168.0.10', podCIDR: '10.244.1.0/24', clock });
    const id = await started(rt, sandbox({ 'k8ts.io/simulate-exit': '5s:3' }));
    await clock.step(4999);
    assert.equal((await rt.containerStatus(id)).state, 'CONTAINER_RUNNING');
    await clock.step(1);
    const st = await rt.containerStatus(id);
    assert.equal(st.state, 'CONTAINER_EXITED');
    assert.equal(st.exitCode, 3);
    assert.equal(st.reason, 'Error');
    assert.equal(st.finishedAt - st.startedAt, 5000);
  });

  it('runs forever without an annotation, and exits with Completed when reprogrammed', async () => {
    const clock = new FakeClock();
    const rt = new FakeRuntime({ nodeIP: '192.168.0.10', podCIDR: '10.244.1.0/24', clock });
    const id = await started(rt, sandbox());
    await clock.step(86_400_000);
    assert.equal((await rt.containerStatus(id)).state, 'CONTAINER_RUNNING');
    rt.programExit(id, { afterMs: 10, exitCode: 0 });
    await clock.step(10);
    const st = await rt.containerStatus(id);
    assert.deepEqual([st.state, st.exitCode, st.reason], ['CONTAINER_EXITED', 0, 'Completed']);
  });

  it('lets a per-container annotation override the pod one, and init containers exit at once', async () => {
    const clock = new FakeClock();
    const rt = new FakeRuntime({ nodeIP: '192.168.0.10', podCIDR: '10.244.1.0/24', clock });
    const sb = sandbox({ 'k8ts.io/simulate-exit': '5s:0', 'k8ts.io/simulate-exit.side': '1s:2' });
    const side = await started(rt, sb, 'side');
    const init = await started(rt, sandbox(), 'init', { [CONTAINER_TYPE_LABEL]: 'init' });
    await clock.step(0);
    assert.equal((await rt.containerStatus(init)).state, 'CONTAINER_EXITED');
    await clock.step(1000);
    assert.equal((await rt.containerStatus(side)).exitCode, 2);
  });

  it('rejects a malformed exit program at CreateContainer', async () => {
    const rt = new FakeRuntime({ nodeIP: '192.168.0.10', podCIDR: '10.244.1.0/24' });
    await assert.rejects(started(rt, sandbox({ 'k8ts.io/simulate-exit': 'later' })), (e: unknown) => isRuntimeError(e, 'InvalidArgument'));
  });

  it('reports the usage the simulate-usage annotations give, per container over the pod', async () => {
    const clock = new FakeClock();
    const rt = new FakeRuntime({ nodeIP: '192.168.0.10', podCIDR: '10.244.1.0/24', clock });
    const sb = sandbox({ 'k8ts.io/simulate-usage': 'cpu=300m,memory=64Mi', 'k8ts.io/simulate-usage.side': 'cpu=1' });
    const app = await started(rt, sb);
    const side = await started(rt, sb, 'side');
    await clock.step(2000);
    const stats = new Map((await rt.listContainerStats()).map((s) => [s.attributes.id, s]));
    assert.deepEqual([stats.get(app)?.cpu?.usageCoreNanoSeconds, stats.get(app)?.memory?.workingSetBytes], [6e8, 64 * 1024 * 1024]);
    assert.deepEqual([stats.get(side)?.cpu?.usageNanoCores, stats.get(side)?.memory?.workingSetBytes], [1e9, 64 * 1024 * 1024]);
    await assert.rejects(started(rt, sandbox({ 'k8ts.io/simulate-usage': 'gpu=1' })), (e: unknown) => isRuntimeError(e, 'InvalidArgument'));
  });

  it('parses usage values over the default', () => {
    assert.deepEqual(parseUsage('memory=1Gi'), { nanoCores: 1_000_000, memoryBytes: 1024 ** 3 });
    assert.deepEqual(parseUsage(' cpu = 1.5 '), { nanoCores: 1_500_000_000, memoryBytes: 4 * 1024 * 1024 });
    for (const bad of ['cpu', 'cpu=x', 'cpu=-1', 'disk=1'])
      assert.throws(
        () => parseUsage(bad),
        (e: unknown) => isRuntimeError(e, 'InvalidArgument'),
      );
  });

  it('allocates IPs from the pod CIDR, releases them on stop and follows a new CIDR', async () => {
    const rt = new FakeRuntime({ nodeIP: '192.168.0.10' });
    await assert.rejects(rt.runPodSandbox(sandbox()), (e: unknown) => isRuntimeError(e, 'Unavailable'));
    assert.equal((await rt.status()).conditions.find((c) => c.type === 'NetworkReady')?.status, false);
    await rt.updateRuntimeConfig({ networkConfig: { podCidr: '10.244.7.0/30' } });
    const a = await rt.runPodSandbox(sandbox());
    assert.equal((await rt.podSandboxStatus(a)).network?.ip, '10.244.7.2');
    await assert.rejects(rt.runPodSandbox(sandbox()), (e: unknown) => isRuntimeError(e, 'Unavailable'));
    await rt.stopPodSandbox(a);
    const b = await rt.runPodSandbox(sandbox());
    assert.equal((await rt.podSandboxStatus(b)).network?.ip, '10.244.7.2');
    const host = await rt.runPodSandbox(sandbox({}, true));
    assert.equal((await rt.podSandboxStatus(host)).network?.ip, '192.168.0.10');
  });
});

describe('IPPool', () => {
  it('skips network and gateway addresses and hands out round-robin', () => {
    const pool = new IPPool('10.244.0.0/29');
    assert.deepEqual(
      [0, 1, 2, 3, 4].map(() => pool.allocate()),
      ['10.244.0.2', '10.244.0.3', '10.244.0.4', '10.244.0.5', '10.244.0.6'],
    );
    assert.throws(() => pool.allocate(), /no IP addresses available in range set: 10.244.0.0\/29/);
    pool.release('10.244.0.4');
    assert.equal(pool.allocate(), '10.244.0.4');
    assert.equal(pool.allocated, 5);
  });
  it('rejects malformed CIDRs', () => {
    for (const bad of ['10.244.0.0', '10.244.0.0/33', 'fd00::/64', '10.300.0.0/24']) {
      assert.throws(
        () => new IPPool(bad),
        (e: unknown) => isRuntimeError(e, 'InvalidArgument'),
        bad,
      );
    }
  });
});
