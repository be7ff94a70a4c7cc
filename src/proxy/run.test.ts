import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeClientset } from '../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../client/testing/fake-informers.js';
import type { KubeObject } from '../machinery/object.js';
import type { Proxier, ProxyState, SyncOptions, SyncResult } from './interface.js';
import { runServiceProxy } from './run.js';
import { SERVICES } from './service-change-tracker.js';

/** Records every sync; fails the ones `failNext` asks to. */
class RecordingProxier implements Proxier {
  readonly mode = 'iptables' as const;
  readonly syncs: { keys: string[]; full: boolean; services: number }[] = [];
  failNext = 0;
  async sync(state: ProxyState, changed: ReadonlySet<string>, options?: SyncOptions): Promise<SyncResult> {
    this.syncs.push({ keys: [...changed].sort(), full: options?.full === true, services: state.services.size });
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('iptables-restore: exit status 1');
    }
    return { kind: options?.full ? 'full' : 'partial', durationMs: 0 };
  }
  async cleanup(): Promise<void> {}
}

const svc = (name: string, ip: string): KubeObject => ({
  metadata: { name, namespace: 'default' },
  spec: { clusterIP: ip, ports: [{ port: 80 }] },
});

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await sleep(10);
  assert.ok(cond(), what);
}

/** Runs `body` against a started proxy loop, stopping it however the body ends. */
async function withProxy(
  proxier: Proxier,
  o: { minSyncPeriodMs: number; syncPeriodMs?: number; fullSyncPeriodMs?: number },
  body: (p: ReturnType<typeof start>) => Promise<void>,
): Promise<void> {
  const p = start(proxier, o);
  try {
    await body(p);
  } finally {
    p.stop.abort();
    await p.done;
  }
}

function start(proxier: Proxier, o: { minSyncPeriodMs: number; syncPeriodMs?: number; fullSyncPeriodMs?: number }) {
  const cluster = new FakeClientset();
  const stop = new AbortController();
  const logs: string[] = [];
  const results: SyncResult[] = [];
  const done = runServiceProxy(
    {
      clientset: cluster,
      informers: new FakeInformerFactory(cluster),
      nodeName: 'n1',
      proxier,
      ...o,
      onSync: (r) => results.push(r),
      log: (m) => logs.push(m),
    },
    stop.signal,
  );
  // (the fake informers replay nothing to the tracker's handlers: the first Service comes after)
  cluster.tracker.put(SERVICES, svc('a', '10.96.0.20'));
  return { cluster, stop, done, logs, results };
}

describe('runServiceProxy', () => {
  it('syncs fully first, then batches the changes of a min sync period into one partial sync', async () => {
    const proxier = new RecordingProxier();
    await withProxy(proxier, { minSyncPeriodMs: 200, syncPeriodMs: 60_000 }, async ({ cluster, results }) => {
      await until('the first sync', () => proxier.syncs.length === 1);
      assert.deepEqual(proxier.syncs[0], { keys: ['default/a'], full: true, services: 1 });
      cluster.tracker.put(SERVICES, svc('b', '10.96.0.21'));
      cluster.tracker.put(SERVICES, svc('c', '10.96.0.22'));
      cluster.tracker.remove(SERVICES, 'default', 'a');
      await until('the second sync', () => proxier.syncs.length === 2);
      assert.deepEqual(proxier.syncs[1], { keys: ['default/a', 'default/b', 'default/c'], full: false, services: 2 });
      assert.deepEqual(
        results.map((r) => r.kind),
        ['full', 'partial'],
      );
    });
  });

  it('retries a failed sync as a full one, keeping its changes', async () => {
    const proxier = new RecordingProxier();
    await withProxy(proxier, { minSyncPeriodMs: 10, syncPeriodMs: 60_000 }, async ({ cluster, logs }) => {
      await until('the first sync', () => proxier.syncs.length === 1);
      proxier.failNext = 1;
      cluster.tracker.put(SERVICES, svc('b', '10.96.0.21'));
      await until('the retry', () => proxier.syncs.length === 3);
      assert.deepEqual(proxier.syncs[1], { keys: ['default/b'], full: false, services: 2 });
      assert.deepEqual(proxier.syncs[2], { keys: ['default/a', 'default/b'], full: true, services: 2 });
      assert.match(logs.join('\n'), /sync failed, retrying with a full sync: iptables-restore: exit status 1/);
    });
  });

  it('syncs every sync period without changes, fully every full sync period', async () => {
    const proxier = new RecordingProxier();
    await withProxy(proxier, { minSyncPeriodMs: 0, syncPeriodMs: 20, fullSyncPeriodMs: 60_000 }, async () => {
      await until('periodic syncs', () => proxier.syncs.length >= 3);
      assert.deepEqual(proxier.syncs[1], { keys: [], full: false, services: 1 });
    });
  });
});
