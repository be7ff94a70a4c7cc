import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../controller-utils/types.js';
import { remainingBackoff } from './backoff.js';
import { parseIntervals } from './intervals.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { matchSuccessPolicy } from './success-policy.js';
import type { Job, PodFailurePolicyRule } from './types.js';

function failedPod(exitCodes: Record<string, number>, conditions: { type: string; status: 'True' | 'False' }[] = []): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns' },
    status: {
      phase: 'Failed',
      conditions,
      containerStatuses: Object.entries(exitCodes).map(([name, exitCode]) => ({ name, state: { terminated: { exitCode } } })),
    },
  };
}

const withRules = (rules: PodFailurePolicyRule[]): Job => ({ metadata: { name: 'j' }, spec: { podFailurePolicy: { rules } } });

test('matchPodFailurePolicy: first matching rule, exit codes (zero never matches) and pod conditions', () => {
  const job = withRules([
    { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    { action: 'FailIndex', onExitCodes: { containerName: 'side', operator: 'In', values: [3] } },
    { action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [0, 1, 2] } },
    { action: 'Count', onExitCodes: { operator: 'In', values: [1] } },
  ]);
  assert.deepEqual(matchPodFailurePolicy(job, failedPod({ main: 1 }, [{ type: 'DisruptionTarget', status: 'True' }])), {
    countFailed: false,
    action: 'Ignore',
  });
  assert.deepEqual(matchPodFailurePolicy(job, failedPod({ main: 0, side: 3 })), { countFailed: true, action: 'FailIndex' });
  assert.deepEqual(matchPodFailurePolicy(job, failedPod({ main: 5 })), {
    failJobMessage: 'Container main for pod ns/p failed with exit code 5 matching FailJob rule at index 2',
    countFailed: true,
    action: 'FailJob',
  });
  assert.deepEqual(matchPodFailurePolicy(job, failedPod({ main: 1 })), { countFailed: true, action: 'Count' });
  assert.deepEqual(matchPodFailurePolicy(job, failedPod({ main: 2 })), { countFailed: true });
  const byCondition = withRules([{ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }]);
  assert.equal(
    matchPodFailurePolicy(byCondition, failedPod({}, [{ type: 'DisruptionTarget', status: 'True' }])).failJobMessage,
    'Pod ns/p has condition DisruptionTarget matching FailJob rule at index 0',
  );
});

test('matchSuccessPolicy: succeededIndexes, succeededCount, both', () => {
  const done = parseIntervals('0-2,5', 10);
  assert.equal(matchSuccessPolicy([{ succeededIndexes: '0,1' }], 10, done), 'Matched rules at index 0');
  assert.equal(matchSuccessPolicy([{ succeededIndexes: '4-6' }], 10, done), undefined);
  assert.equal(matchSuccessPolicy([{ succeededIndexes: '4-6', succeededCount: 1 }], 10, done), 'Matched rules at index 0');
  assert.equal(matchSuccessPolicy([{ succeededCount: 5 }, { succeededCount: 4 }], 10, done), 'Matched rules at index 1');
  assert.equal(matchSuccessPolicy([{ succeededCount: 1 }], 10, []), undefined);
});

test('remainingBackoff: 10 s doubling per failure up to the cap, less the time since the last failure', () => {
  const delays = { initialMs: 10_000, maxMs: 600_000 };
  assert.equal(remainingBackoff(delays, 1000, 0, 0), 0);
  assert.equal(remainingBackoff(delays, 1000, 1, 0), 9000);
  assert.equal(remainingBackoff(delays, 0, 3, 0), 40_000);
  assert.equal(remainingBackoff(delays, 0, 20, 0), 600_000);
  assert.equal(remainingBackoff(delays, 50_000, 2, 0), 0);
});
