import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../client/testing/fake-clock.js';
import { runRelist } from './pleg.js';
import { FakeRuntime } from './runtime/fake/fake-runtime.js';

describe('generic PLEG relist', () => {
  it('reports the pods whose containers started, exited or went away', async () => {
    const clock = new FakeClock();
    const runtime = new FakeRuntime({ nodeIP: '10.0.0.1', podCIDR: '10.244.0.0/24', clock });
    const changed: string[] = [];
    const ac = new AbortController();
    const labels = { 'io.kubernetes.pod.namespace': 'ns', 'io.kubernetes.pod.name': 'p' };
    const sandbox = { metadata: { name: 'p', namespace: 'ns', uid: 'u', attempt: 0 }, labels };
    await runtime.pullImage({ image: 'busybox' });
    const sb = await runtime.runPodSandbox(sandbox);
    const id = await runtime.createContainer(sb, { metadata: { name: 'c', attempt: 0 }, image: { image: 'busybox' }, labels }, sandbox);
    runRelist({ runtime, clock, periodMs: 1000, onPodChanged: (k) => changed.push(k) }, ac.signal);
    await clock.step(1000);
    assert.deepEqual(changed, [], 'the first relist only learns');
    await runtime.startContainer(id);
    await clock.step(1000);
    assert.deepEqual(changed, ['ns/p']);
    await clock.step(1000);
    assert.deepEqual(changed, ['ns/p'], 'nothing changed');
    await runtime.stopContainer(id, 0);
    await clock.step(1000);
    await runtime.removeContainer(id);
    await clock.step(1000);
    assert.deepEqual(changed, ['ns/p', 'ns/p', 'ns/p']);
    ac.abort();
    assert.equal(clock.pendingTimers, 0);
  });
});
