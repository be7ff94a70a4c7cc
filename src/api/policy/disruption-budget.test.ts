import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rfc3339 } from '../../machinery/time.js';
import {
  conditionsAreUpToDate,
  type PodDisruptionBudget,
  type PodDisruptionBudgetStatus,
  setStatusCondition,
  updateDisruptionAllowedCondition,
} from './disruption-budget.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

test('setStatusCondition moves lastTransitionTime only when the status changes', () => {
  const holder: { conditions?: PodDisruptionBudgetStatus['conditions'] } = {};
  assert.equal(setStatusCondition(holder, { type: 'A', status: 'True', reason: 'R', message: '' }, T0), true);
  assert.deepEqual(holder.conditions, [{ type: 'A', status: 'True', lastTransitionTime: rfc3339(T0), reason: 'R', message: '' }]);
  assert.equal(setStatusCondition(holder, { type: 'A', status: 'True', reason: 'R', message: '' }, T0 + 5000), false, 'nothing changed');
  assert.equal(
    setStatusCondition(holder, { type: 'A', status: 'True', reason: 'S', message: 'm', observedGeneration: 2 }, T0 + 5000),
    true,
  );
  assert.deepEqual(holder.conditions, [
    { type: 'A', status: 'True', lastTransitionTime: rfc3339(T0), reason: 'S', message: 'm', observedGeneration: 2 },
  ]);
  setStatusCondition(holder, { type: 'A', status: 'False', reason: 'S', message: 'm' }, T0 + 9000);
  assert.deepEqual(holder.conditions, [{ type: 'A', status: 'False', lastTransitionTime: rfc3339(T0 + 9000), reason: 'S', message: 'm' }]);
});

test('the DisruptionAllowed condition follows disruptionsAllowed and the generation', () => {
  const status: PodDisruptionBudgetStatus = {
    observedGeneration: 1,
    disruptionsAllowed: 1,
    currentHealthy: 3,
    desiredHealthy: 2,
    expectedPods: 3,
  };
  const pdb: PodDisruptionBudget = { metadata: { name: 'p', generation: 1 }, status };
  assert.equal(conditionsAreUpToDate(pdb), false, 'no condition yet');
  updateDisruptionAllowedCondition(status, T0);
  assert.deepEqual(
    status.conditions?.map((c) => [c.status, c.reason, c.observedGeneration]),
    [['True', 'SufficientPods', 1]],
  );
  assert.equal(conditionsAreUpToDate(pdb), true);
  status.disruptionsAllowed = 0;
  assert.equal(conditionsAreUpToDate(pdb), false, 'the condition lags the count');
  updateDisruptionAllowedCondition(status, T0);
  assert.deepEqual(
    status.conditions?.map((c) => [c.status, c.reason]),
    [['False', 'InsufficientPods']],
  );
  assert.equal(conditionsAreUpToDate({ ...pdb, metadata: { name: 'p', generation: 2 } }), false, 'a newer generation');
});
