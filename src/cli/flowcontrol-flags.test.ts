import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseServerFlags } from './server-flags.js';

test('flow control flags: upstream defaults, the max-in-flight fallback, refusals', () => {
  assert.deepEqual(parseServerFlags([]).flowControl, {
    maxRequestsInflight: 400,
    maxMutatingRequestsInflight: 200,
    enablePriorityAndFairness: true,
  });
  assert.deepEqual(
    parseServerFlags(['--max-requests-inflight', '2', '--max-mutating-requests-inflight=1', '--enable-priority-and-fairness=false'])
      .flowControl,
    { maxRequestsInflight: 2, maxMutatingRequestsInflight: 1, enablePriorityAndFairness: false },
  );
  assert.throws(
    () => parseServerFlags(['--enable-priority-and-fairness=no']),
    /--enable-priority-and-fairness: want true or false, got "no"/,
  );
  assert.throws(() => parseServerFlags(['--max-requests-inflight=-1']), /--max-requests-inflight: want a whole number/);
  assert.throws(
    () => parseServerFlags(['--max-requests-inflight=0', '--max-mutating-requests-inflight=0']),
    /MaxRequestsInFlight=0 and MaxMutatingRequestsInFlight=0; they must add up to something positive/,
  );
  // without APF, zero means no limit
  assert.equal(
    parseServerFlags(['--max-requests-inflight=0', '--max-mutating-requests-inflight=0', '--enable-priority-and-fairness=false'])
      .flowControl.maxRequestsInflight,
    0,
  );
});
