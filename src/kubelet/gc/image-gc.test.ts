import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Container, Image } from '../runtime/interface.js';
import { ImageGC } from './image-gc.js';

const GiB = 1024 ** 3;

function image(id: string, size: number, extra: Partial<Image> = {}): Image {
  return { id, repoTags: [`example.com/${id}:1`], repoDigests: [], size, pinned: false, ...extra };
}

function setup(images: Image[], usedBy: string[], stats: { capacityBytes: number; availableBytes: number }) {
  const removed: string[] = [];
  let held = [...images];
  const containers = (): Container[] =>
    usedBy.map((ref, i) => ({
      id: `c${i}`,
      podSandboxId: 's',
      metadata: { name: 'c', attempt: 0 },
      image: { image: ref },
      imageRef: ref,
      state: 'CONTAINER_EXITED',
      createdAt: 0,
      labels: {},
      annotations: {},
    }));
  const gc = new ImageGC({
    runtime: {
      listImages: async () => held,
      listContainers: async () => containers(),
      removeImage: async ({ image: id }) => {
        removed.push(id);
        const gone = held.find((i) => i.id === id);
        held = held.filter((i) => i.id !== id);
        stats.availableBytes += gone?.size ?? 0;
      },
    },
    imageFsStats: async () => stats,
    pinned: ['registry.k8s.io/pause:3.9-k8ts'],
  });
  return { gc, removed, add: (i: Image) => held.push(i) };
}

test('below the high threshold nothing is removed', async () => {
  const stats = { capacityBytes: 100 * GiB, availableBytes: 16 * GiB };
  const t = setup([image('a', GiB)], [], stats);
  await t.gc.detectImages(0);
  const r = await t.gc.garbageCollect(10 * 60_000);
  assert.deepEqual([r.amountToFree, r.removed], [0, []]);
});

test('from 85 % down to 80 %: least recently used first, never in use, pinned or too young', async () => {
  const stats = { capacityBytes: 100 * GiB, availableBytes: 10 * GiB };
  const usedBy = ['example.com/used-once:1', 'in-use'];
  const t = setup(
    [
      image('used-once', 4 * GiB),
      image('never-used', 4 * GiB),
      image('in-use', 20 * GiB),
      image('pinned', 20 * GiB, { pinned: true }),
      image('pause', 20 * GiB, { repoTags: ['registry.k8s.io/pause:3.9-k8ts'] }),
    ],
    usedBy,
    stats,
  );
  await t.gc.detectImages(1_000);
  usedBy.shift(); // used-once's container is gone; it was last used at 1 s, never-used never
  await t.gc.detectImages(60_000);
  t.add(image('fresh', 20 * GiB)); // first seen at GC time: younger than the minimum age
  const r = await t.gc.garbageCollect(3 * 60_000);
  assert.equal(r.amountToFree, 10 * GiB);
  assert.deepEqual(t.removed, ['never-used', 'used-once']);
  assert.equal(r.freed, 8 * GiB, 'only 8 GiB were eligible');
});
