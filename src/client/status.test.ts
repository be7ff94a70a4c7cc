import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../machinery/errors.js';
import { statusErrorFromResponse } from './status.js';

describe('statusErrorFromResponse', () => {
  it("keeps the server's Status", () => {
    const body = JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "x" not found',
      reason: 'NotFound',
      details: { name: 'x', kind: 'configmaps' },
      code: 404,
    });
    const err = statusErrorFromResponse(404, 'GET', body);
    assert.ok(isStatusError(err, 'NotFound'));
    assert.equal(err.message, 'configmaps "x" not found');
    assert.deepEqual(err.status.details, { name: 'x', kind: 'configmaps' });
  });

  const generic: [number, string, string, string | undefined, string][] = [
    [404, 'GET', 'nope', 'NotFound', 'the server could not find the requested resource'],
    [409, 'POST', '', 'AlreadyExists', 'the server reported a conflict'],
    [409, 'PUT', '', 'Conflict', 'the server reported a conflict'],
    [403, 'GET', 'denied here', 'Forbidden', 'denied here'],
    [502, 'GET', 'bad gateway', 'InternalError', 'an error on the server ("bad gateway") has prevented the request from succeeding'],
    [418, 'GET', '', undefined, 'the server responded with the status code 418 but did not return more information'],
  ];
  for (const [code, method, body, reason, message] of generic) {
    it(`builds a Status for a bare ${code} to ${method}`, () => {
      const err = statusErrorFromResponse(code, method, body);
      assert.equal(err.code, code);
      assert.equal(err.status.reason, reason);
      assert.equal(err.message, message);
    });
  }

  it('carries Retry-After as retryAfterSeconds', () => {
    assert.equal(statusErrorFromResponse(429, 'GET', '', '3').status.details?.retryAfterSeconds, 3);
  });
});
