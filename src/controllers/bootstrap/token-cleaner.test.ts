import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { FakeQueue } from '../../client/testing/fake-queue.js';
import { rfc3339 } from '../../machinery/time.js';
import { SECRETS, TokenCleaner } from './token-cleaner.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function token(name: string, expiration: string | undefined, namespace = 'kube-system', type = 'bootstrap.kubernetes.io/token') {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type,
    data: expiration === undefined ? {} : { expiration: b64(expiration) },
  };
}

test('deletes expired bootstrap tokens with a UID precondition, comes back for the others when they expire', async () => {
  const cluster = new FakeClientset();
  const queue = new FakeQueue();
  const cleaner = new TokenCleaner({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    newQueue: () => queue,
    now: cluster.clock.now,
  });
  const now = cluster.clock.now();
  const expired = cluster.tracker.put(SECRETS, token('bootstrap-token-old', rfc3339(now - 1000)));
  const garbled = cluster.tracker.put(SECRETS, token('bootstrap-token-bad', 'next week'));
  cluster.tracker.put(SECRETS, token('bootstrap-token-new', rfc3339(now + 60_000)));
  cluster.tracker.put(SECRETS, token('bootstrap-token-year', rfc3339(now + 365 * 86_400_000)));
  cluster.tracker.put(SECRETS, token('bootstrap-token-forever', undefined));
  cluster.tracker.put(SECRETS, token('bootstrap-token-elsewhere', rfc3339(now - 1000), 'default'));
  cluster.tracker.put(SECRETS, token('opaque', rfc3339(now - 1000), 'kube-system', 'Opaque'));
  assert.deepEqual(queue.keys, [
    'kube-system/bootstrap-token-old',
    'kube-system/bootstrap-token-bad',
    'kube-system/bootstrap-token-new',
    'kube-system/bootstrap-token-year',
    'kube-system/bootstrap-token-forever',
  ]);
  for (let key = queue.pop(); key !== undefined; key = queue.pop()) await cleaner.sync(key);
  assert.deepEqual(
    cluster.actions.filter((a) => a.verb === 'delete').map((a) => [a.name, a.options]),
    [
      ['bootstrap-token-old', { preconditions: { uid: expired.metadata.uid } }],
      ['bootstrap-token-bad', { preconditions: { uid: garbled.metadata.uid } }],
    ],
  );
  // a year is waited for a day at a time (a timer over 2^31-1 ms would fire at once)
  assert.deepEqual(queue.delayed, [
    { key: 'kube-system/bootstrap-token-new', delayMs: 60_000 },
    { key: 'kube-system/bootstrap-token-year', delayMs: 86_400_000 },
  ]);
});
