import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { FakeQueue } from '../../client/testing/fake-queue.js';
import { rfc3339 } from '../../machinery/time.js';
import { type Job, JOBS } from '../job/types.js';
import { TTLAfterFinishedController } from './ttl-after-finished-controller.js';

function finishedJob(name: string, ttl: number | undefined, finishedAt: number, type = 'Complete'): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: ttl === undefined ? {} : { ttlSecondsAfterFinished: ttl },
    status: { conditions: [{ type: type as 'Complete', status: 'True', lastTransitionTime: rfc3339(finishedAt) }] },
  };
}

test('deletes an expired Job in the foreground with a uid precondition; waits for one not yet expired', async () => {
  const cluster = new FakeClientset();
  const queue = new FakeQueue();
  const tc = new TTLAfterFinishedController({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    newQueue: () => queue,
    now: cluster.clock.now,
  });
  const now = cluster.clock.now();
  const expired = cluster.tracker.put(JOBS, finishedJob('old', 0, now - 1000, 'Failed'));
  cluster.tracker.put(JOBS, finishedJob('young', 60, now - 10_000));
  cluster.tracker.put(JOBS, finishedJob('no-ttl', undefined, now - 10_000));
  cluster.tracker.put(JOBS, { ...finishedJob('running', 0, now), status: {} });
  assert.deepEqual(queue.keys, ['default/old', 'default/young']);
  for (let key = queue.pop(); key !== undefined; key = queue.pop()) await tc.sync(key);
  const deletes = cluster.actions.filter((a) => a.verb === 'delete');
  assert.deepEqual(
    deletes.map((a) => [a.name, a.options]),
    [['old', { propagationPolicy: 'Foreground', preconditions: { uid: expired.metadata.uid } }]],
  );
  assert.equal(queue.delayOf('default/young'), 50_000);
});
