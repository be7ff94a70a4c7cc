import assert from 'node:assert/strict';
import { link, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FakeClock } from '../../client/testing/fake-clock.js';
import type { KubeObject } from '../../machinery/object.js';
import { directoryUsageBytes, emptyDirLimitViolation, runLocalStorageEviction } from './local-storage.js';

type Obj = Record<string, unknown>;

function pod(
  name: string,
  volumes: Obj[],
  extra: { phase?: string; deleting?: boolean; annotations?: Record<string, string> } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      ...(extra.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
      ...(extra.annotations ? { annotations: extra.annotations } : {}),
    },
    spec: { volumes },
    status: { phase: extra.phase ?? 'Running' },
  };
}

describe('local storage eviction', () => {
  it('measures a directory as du does: allocated blocks, hard links once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-du-'));
    try {
      await mkdir(join(dir, 'sub'));
      await writeFile(join(dir, 'sub', 'data'), Buffer.alloc(200 * 1024, 1));
      await link(join(dir, 'sub', 'data'), join(dir, 'again'));
      const used = await directoryUsageBytes(dir);
      assert.ok(used >= 200 * 1024 && used < 300 * 1024, `${used}`);
      assert.equal(await directoryUsageBytes(join(dir, 'missing')), 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the first emptyDir over its sizeLimit, with upstream’s message', async () => {
    const usage: Record<string, number> = { small: 10, big: 2 * 1024 * 1024, nolimit: 1e9, mem: 1e9 };
    const used = async (name: string) => usage[name];
    const cases: [Obj[], string | undefined][] = [
      [[{ name: 'small', emptyDir: { sizeLimit: '1Mi' } }], undefined],
      [[{ name: 'nolimit', emptyDir: {} }], undefined],
      [[{ name: 'unknown', emptyDir: { sizeLimit: '1' } }], undefined],
      [
        [
          { name: 'small', emptyDir: { sizeLimit: '1Mi' } },
          { name: 'big', emptyDir: { sizeLimit: '1024Ki' } },
        ],
        'Usage of EmptyDir volume "big" exceeds the limit "1Mi". ',
      ],
      [[{ name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }], 'Usage of EmptyDir volume "mem" exceeds the limit "64Mi". '],
      [[{ name: 'big', hostPath: { path: '/tmp' } }], undefined],
    ];
    for (const [volumes, want] of cases) assert.equal(await emptyDirLimitViolation(pod('p', volumes), used), want, JSON.stringify(volumes));
  });

  it('checks every period and evicts running pods only: not finished, deleted, static or mirror ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-evict-'));
    const clock = new FakeClock();
    const abort = new AbortController();
    try {
      const over = [{ name: 'v', emptyDir: { sizeLimit: '1Ki' } }];
      const pods = [
        pod('running', over),
        pod('done', over, { phase: 'Failed' }),
        pod('deleting', over, { deleting: true }),
        pod('mirror', over, { annotations: { 'kubernetes.io/config.mirror': 'x' } }),
        pod('static', over, { annotations: { 'kubernetes.io/config.source': 'file' } }),
      ];
      for (const p of pods) {
        await mkdir(join(dir, p.metadata.uid as string, 'v'), { recursive: true });
        await writeFile(join(dir, p.metadata.uid as string, 'v', 'fill'), Buffer.alloc(64 * 1024, 1));
      }
      const evicted: string[] = [];
      runLocalStorageEviction(
        {
          pods: () => pods,
          emptyDirPath: (uid, name) => join(dir, uid, name),
          evict: (p, message) => evicted.push(`${p.metadata.name}: ${message}`),
          clock,
          onError: (m) => assert.fail(m),
        },
        abort.signal,
      );
      await clock.step(9_999);
      assert.deepEqual(evicted, []);
      await clock.step(1);
      for (let i = 0; i < 20 && evicted.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(evicted, ['running: Usage of EmptyDir volume "v" exceeds the limit "1Ki". ']);
    } finally {
      abort.abort();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
