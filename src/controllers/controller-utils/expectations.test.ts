import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS } from './expectations.js';

test('expectations are satisfied once observed, or after they expire', () => {
  let now = 0;
  const e = new ControllerExpectations(() => now);
  assert.equal(e.satisfied('ns/rs'), true, 'no record');
  e.expectCreations('ns/rs', 2);
  assert.equal(e.satisfied('ns/rs'), false);
  e.creationObserved('ns/rs');
  assert.equal(e.satisfied('ns/rs'), false);
  e.creationObserved('ns/rs');
  assert.equal(e.satisfied('ns/rs'), true);

  e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
  e.deletionObserved('ns/rs', 'ns/a');
  e.deletionObserved('ns/rs', 'ns/a');
  assert.deepEqual(e.pending('ns/rs'), { add: 0, del: 1 }, 'a pod deletion counts once');
  assert.equal(e.satisfied('ns/rs'), false);
  now += EXPECTATIONS_TIMEOUT_MS + 1;
  assert.equal(e.satisfied('ns/rs'), true, 'expired');
  e.delete('ns/rs');
  assert.equal(e.pending('ns/rs'), undefined);
});
