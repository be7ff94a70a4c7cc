import { it } from 'node:test';
import assert from 'node:assert/strict';
import { rfc3339, rfc3339Micro } from './time.js';

it('formats metav1.Time with whole seconds and metav1.MicroTime with six fractional digits', () => {
  const ms = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
  assert.equal(rfc3339(ms), '2024-01-02T03:04:05Z');
  assert.equal(rfc3339(new Date(ms)), '2024-01-02T03:04:05Z');
  assert.equal(rfc3339Micro(ms), '2024-01-02T03:04:05.678000Z');
  assert.equal(rfc3339Micro(ms + 0.25), '2024-01-02T03:04:05.678250Z');
});
