import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../client/testing/fake-clock.js';
import { POD_UID_LABEL } from '../runtime-view.js';
import { FakeRuntime } from '../runtime/fake/fake-runtime.js';
import type { PodSandboxConfig } from '../runtime/interface.js';
import { garbageCollectContainers } from './container-gc.js';

async function setup() {
  const clock = new FakeClock();
  const runtime = new FakeRuntime({ nodeIP: '10.240.0.1', podCIDR: '10.244.1.0/24', clock });
  await runtime.pullImage({ image: 'busybox' });
  const sandboxConfig = (uid: string, attempt = 0): PodSandboxConfig => ({
    metadata: { name: uid, namespace: 'default', uid, attempt },
    labels: { [POD_UID_LABEL]: uid },
  });
  /** Runs `attempts` attempts of container `name` in the sandbox, all but the last exited. */
  const containers = async (sandboxId: string, uid: string, name: string, attempts: number, lastRunning = true) => {
    const ids: string[] = [];
    for (let attempt = 0; attempt < attempts; attempt++) {
      await clock.step(1000);
      const id = await runtime.createContainer(
        sandboxId,
        { metadata: { name, attempt }, image: { image: 'busybox' }, labels: { [POD_UID_LABEL]: uid } },
        sandboxConfig(uid),
      );
      await runtime.startContainer(id);
      if (attempt < attempts - 1 || !lastRunning) await runtime.stopContainer(id, 0);
      ids.push(id);
    }
    return ids;
  };
  return { clock, runtime, sandboxConfig, containers };
}

test('keeps one dead container per pod and name, and nothing of pods the API no longer has', async () => {
  const t = await setup();
  const live = await t.runtime.runPodSandbox(t.sandboxConfig('live'));
  const [a0, a1, a2, a3] = await t.containers(live, 'live', 'app', 4);
  const [s0, s1] = await t.containers(live, 'live', 'sidecar', 2, false);
  const gone = await t.runtime.runPodSandbox(t.sandboxConfig('gone'));
  const [g0] = await t.containers(gone, 'gone', 'app', 1);
  const result = await garbageCollectContainers({ runtime: t.runtime, podExists: (uid) => uid === 'live' });
  assert.deepEqual(new Set(result.removedContainers), new Set([a0, a1, s0, g0]));
  assert.deepEqual(result.removedSandboxes, [gone]);
  const left = (await t.runtime.listContainers()).map((c) => c.id);
  assert.deepEqual(new Set(left), new Set([a2, a3, s1]));
  assert.deepEqual(
    (await t.runtime.listPodSandbox()).map((s) => s.id),
    [live],
  );
});

test('--maximum-dead-containers-per-container keeps the newest N, a negative one all', async () => {
  const t = await setup();
  const live = await t.runtime.runPodSandbox(t.sandboxConfig('live'));
  const [a0, a1, a2, a3] = await t.containers(live, 'live', 'app', 5, false);
  let result = await garbageCollectContainers({ runtime: t.runtime, podExists: () => true, maxPerPodContainer: -1 });
  assert.deepEqual(result.removedContainers, []);
  result = await garbageCollectContainers({ runtime: t.runtime, podExists: () => true, maxPerPodContainer: 3 });
  assert.deepEqual(new Set(result.removedContainers), new Set([a0, a1]));
  result = await garbageCollectContainers({ runtime: t.runtime, podExists: () => true, maxPerPodContainer: 0 });
  assert.ok(result.removedContainers.includes(a2 as string) && result.removedContainers.includes(a3 as string));
  assert.deepEqual(await t.runtime.listContainers(), []);
});

test('removes dead sandboxes without containers except a live pod’s newest', async () => {
  const t = await setup();
  const first = await t.runtime.runPodSandbox(t.sandboxConfig('p', 0));
  await t.runtime.stopPodSandbox(first);
  await t.clock.step(1000);
  const second = await t.runtime.runPodSandbox(t.sandboxConfig('p', 1));
  await t.runtime.stopPodSandbox(second);
  await t.clock.step(1000);
  const third = await t.runtime.runPodSandbox(t.sandboxConfig('p', 2));
  const dead = await t.runtime.runPodSandbox(t.sandboxConfig('q', 0));
  await t.runtime.stopPodSandbox(dead);
  let result = await garbageCollectContainers({ runtime: t.runtime, podExists: () => true });
  assert.deepEqual(new Set(result.removedSandboxes), new Set([first, second]));
  assert.deepEqual(new Set((await t.runtime.listPodSandbox()).map((s) => s.id)), new Set([third, dead]), 'q’s newest stays while q exists');
  result = await garbageCollectContainers({ runtime: t.runtime, podExists: () => false });
  assert.deepEqual(new Set(result.removedSandboxes), new Set([third, dead]), 'p’s running sandbox was an orphan: stopped and removed');
  assert.deepEqual(await t.runtime.listPodSandbox(), []);
});
