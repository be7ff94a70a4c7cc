import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../client/testing/fake-clock.js';
import { GenericPLEG } from './pleg.js';
import { POD_NAME_LABEL, POD_NAMESPACE_LABEL } from './runtime-view.js';
import { FakeRuntime } from './runtime/fake/fake-runtime.js';
import { RuntimeError } from './runtime/interface.js';

test('the PLEG asks for a sync of pods whose containers changed since the last relist', async () => {
  const clock = new FakeClock();
  const runtime = new FakeRuntime({ nodeIP: '192.168.0.10', podCIDR: '10.244.1.0/24', clock });
  const labels = (name: string) => ({ [POD_NAMESPACE_LABEL]: 'default', [POD_NAME_LABEL]: name });
  const sandbox = (name: string) => ({ metadata: { name, namespace: 'default', uid: name, attempt: 0 }, labels: labels(name) });
  await runtime.pullImage({ image: 'busybox' });
  const start = async (name: string) => {
    const sb = sandbox(name);
    const sandboxId = await runtime.runPodSandbox(sb);
    const id = await runtime.createContainer(
      sandboxId,
      { metadata: { name: 'c', attempt: 0 }, image: { image: 'busybox' }, labels: labels(name) },
      sb,
    );
    await runtime.startContainer(id);
    return { sandboxId, id };
  };
  const a = await start('a');
  await start('b');
  const synced: string[] = [];
  let down = false;
  const pleg = new GenericPLEG({
    runtime: {
      listPodSandbox: (f) => (down ? Promise.reject(new RuntimeError('Unavailable', 'down')) : runtime.listPodSandbox(f)),
      listContainers: (f) => runtime.listContainers(f),
    },
    clock,
    onPodChanged: (key) => synced.push(key),
  });
  await pleg.relist();
  assert.deepEqual(synced, [], 'the first relist only records');
  await runtime.stopContainer(a.id, 0);
  down = true;
  await pleg.relist();
  assert.deepEqual(synced, [], 'a relist the runtime does not answer is skipped');
  down = false;
  await pleg.relist();
  assert.deepEqual(synced, ['default/a']);
  await pleg.relist();
  assert.deepEqual(synced, ['default/a'], 'nothing changed');
  await runtime.removePodSandbox(a.sandboxId);
  await start('c');
  await pleg.relist();
  assert.deepEqual(synced.slice(1).sort(), ['default/a', 'default/c']);
});

test('the PLEG relists every period until aborted', async () => {
  const clock = new FakeClock();
  let relists = 0;
  const pleg = new GenericPLEG({
    runtime: {
      listPodSandbox: async () => {
        relists++;
        return [];
      },
      listContainers: async () => [],
    },
    clock,
    onPodChanged: () => undefined,
  });
  const ac = new AbortController();
  pleg.run(ac.signal);
  await clock.step(0);
  await clock.step(1000);
  await clock.step(1000);
  assert.equal(relists, 3);
  ac.abort();
  await clock.step(5000);
  assert.equal(relists, 3);
});
