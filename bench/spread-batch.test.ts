import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeDeploymentPods, scheduleSpreadBatch } from './spread-batch.js';

describe('makeDeploymentPods', () => {
  it('labels the pods in equal groups with unique names', () => {
    const pods = makeDeploymentPods(6, 3);
    assert.deepEqual(
      pods.map((p) => p.metadata.labels?.['app']),
      ['dep-0', 'dep-0', 'dep-1', 'dep-1', 'dep-2', 'dep-2'],
    );
    assert.equal(new Set(pods.map((p) => p.metadata.name)).size, 6);
  });
});

describe('scheduleSpreadBatch', () => {
  it('schedules every pod and reports rates', async () => {
    const r = await scheduleSpreadBatch(10, 60, 3, 30_000);
    assert.equal(r.completed, true);
    assert.equal(r.scheduled, 60);
    assert.ok(r.podsPerSecond > 0);
    assert.ok(r.tailPodsPerSecond > 0);
  });

  it('stops at the deadline and says so', async () => {
    const r = await scheduleSpreadBatch(10, 200, 2, 0);
    assert.equal(r.completed, false);
    assert.ok(r.scheduled < 200);
    assert.ok(Number.isNaN(r.tailPodsPerSecond));
  });
});
