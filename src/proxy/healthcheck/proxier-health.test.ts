import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goTimeString, ProxierHealth, startProxierHealthServer } from './proxier-health.js';

describe('ProxierHealth', () => {
  it('healthy until a due sync waits longer than the timeout; a successful sync makes it healthy again', () => {
    let now = 1_000_000;
    const health = new ProxierHealth({ healthTimeoutMs: 60_000, now: () => now });
    assert.deepEqual(health.status(), { healthy: true, lastUpdated: undefined, currentTime: now });
    health.queued();
    now += 60_000;
    assert.equal(health.status().healthy, true);
    health.queued(); // the oldest due sync counts
    now += 1;
    assert.equal(health.status().healthy, false);
    health.synced();
    assert.deepEqual(health.status(), { healthy: true, lastUpdated: now, currentTime: now });
  });

  it('prints times as Go prints a time.Time', () => {
    assert.equal(goTimeString(Date.UTC(2026, 11, 6, 17, 40, 1, 120)), '2026-12-06 17:40:01.12 +0000 UTC');
    assert.equal(goTimeString(Date.UTC(2026, 11, 6, 17, 40, 1, 0)), '2026-12-06 17:40:01 +0000 UTC');
    assert.equal(goTimeString(undefined), '0001-01-01 00:00:00 +0000 UTC');
  });
});

describe('startProxierHealthServer', () => {
  it('answers /healthz and /livez with upstream JSON, 200 healthy and 503 not', async () => {
    let now = Date.UTC(2026, 11, 6, 17, 0, 0, 0);
    const health = new ProxierHealth({ healthTimeoutMs: 1000, now: () => now });
    const server = await startProxierHealthServer({ host: '127.0.0.1', port: 0, health });
    try {
      health.synced();
      for (const path of ['/healthz', '/livez']) {
        const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'application/json');
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(await res.text(), '{"lastUpdated": "2026-12-06 17:00:00 +0000 UTC","currentTime": "2026-12-06 17:00:00 +0000 UTC"}');
      }
      health.queued();
      now += 1001;
      const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      assert.equal(res.status, 503);
      assert.deepEqual(await res.json(), {
        lastUpdated: '2026-12-06 17:00:00 +0000 UTC',
        currentTime: '2026-12-06 17:00:01.001 +0000 UTC',
      });
      assert.equal((await fetch(`http://127.0.0.1:${server.port}/metrics`)).status, 404);
    } finally {
      await server.close();
    }
  });
});
