import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../machinery/object.js';
import { rfc3339 } from '../../machinery/time.js';
import { isPodReady, updatePodCondition } from './pod-conditions.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

test('UpdatePodCondition adds, keeps the transition time of an unchanged status, and reports changes', () => {
  const pod: KubeObject = { metadata: { name: 'p' } };
  assert.equal(isPodReady(pod), false);
  const target = { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };
  assert.equal(updatePodCondition(pod, target, T0), true);
  assert.equal(updatePodCondition(pod, target, T0 + 1000), false, 'the same condition again');
  assert.equal(updatePodCondition(pod, { ...target, message: 'other' }, T0 + 2000), true);
  assert.deepEqual((pod['status'] as { conditions: unknown[] }).conditions, [
    { ...target, message: 'other', lastTransitionTime: rfc3339(T0) },
  ]);
  assert.equal(updatePodCondition(pod, { type: 'DisruptionTarget', status: 'False' }, T0 + 3000), true);
  assert.deepEqual((pod['status'] as { conditions: unknown[] }).conditions, [
    { type: 'DisruptionTarget', status: 'False', lastTransitionTime: rfc3339(T0 + 3000) },
  ]);
  updatePodCondition(pod, { type: 'Ready', status: 'True' }, T0);
  assert.equal(isPodReady(pod), true);
});
