import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../client/testing/fake-clock.js';
import { POD_UID_LABEL } from '../runtime-view.js';
import { FakeRuntime } from '../runtime/fake/fake-runtime.js';
import { runNodeGC } from './node-gc.js';

test('the node GC removes orphaned sandboxes every container GC period, until aborted', async () => {
  const clock = new FakeClock();
  const runtime = new FakeRuntime({ nodeIP: '10.240.0.1', podCIDR: '10.244.1.0/24', clock });
  const sandbox = (uid: string) =>
    runtime.runPodSandbox({ metadata: { name: uid, namespace: 'd', uid, attempt: 0 }, labels: { [POD_UID_LABEL]: uid } });
  await sandbox('orphan');
  const errors: string[] = [];
  const ac = new AbortController();
  runNodeGC(
    {
      runtime,
      podExists: (uid) => uid === 'kept',
      clock,
      onError: (e) => errors.push(e),
      imageFsStats: async () => ({ capacityBytes: 100, availableBytes: 50 }),
    },
    ac.signal,
  );
  await clock.step(59_000);
  assert.equal((await runtime.listPodSandbox()).length, 1, 'not before the first period');
  await clock.step(1_000);
  assert.deepEqual(await runtime.listPodSandbox(), []);
  ac.abort();
  await sandbox('later');
  await clock.step(120_000);
  assert.equal((await runtime.listPodSandbox()).length, 1, 'stopped with the signal');
  assert.deepEqual(errors, []);
});
