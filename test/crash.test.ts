/**
 * A killed server loses no acknowledged write: 2,000 creates, kill -9 at a random moment,
 * restart on the same data directory, and every create that got a 201 is there.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { startServer } from './support/server.js';
import { ApiClient } from './support/http.js';

it('keeps every acknowledged write across kill -9', { timeout: 180_000 }, async () => {
  const first = await startServer();
  const client = new ApiClient(first.kubeconfig, { maxSockets: 8 });
  const acknowledged: string[] = [];
  const killAt = randomInt(200, 1800);
  let killed = false;
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < 2000 && !killed) {
        const name = `cm-${next++}`;
        try {
          const res = await client.request('POST', '/api/v1/namespaces/default/configmaps', {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name },
            data: { n: name },
          });
          if (res.status === 201) acknowledged.push(name);
        } catch {
          // the connection died with the server: not acknowledged
        }
        if (!killed && acknowledged.length >= killAt) {
          killed = true;
          await first.kill();
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    assert.ok(killed, 'the server was killed mid-stream');
  } finally {
    client.close();
    await first.kill();
  }
  const second = await startServer({ dataDir: first.dataDir });
  const after = new ApiClient(second.kubeconfig);
  try {
    const list = (await after.request('GET', '/api/v1/namespaces/default/configmaps')).json<{ items: { metadata: { name: string } }[] }>();
    const stored = new Set(list.items.map((i) => i.metadata.name));
    const lost = acknowledged.filter((n) => !stored.has(n));
    assert.deepEqual(lost, [], `acknowledged writes lost after kill -9 (of ${acknowledged.length})`);
    assert.ok(acknowledged.length >= killAt);
  } finally {
    after.close();
    await second.stop();
    await second.cleanup();
  }
});
