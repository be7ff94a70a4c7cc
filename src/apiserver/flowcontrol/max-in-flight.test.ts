import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRequestInfo } from '../request-info.js';
import { MaxInFlightLimit } from './max-in-flight.js';

const signal = new AbortController().signal;
const carol = { name: 'carol', groups: ['system:authenticated'] };
const req = (method: string, path: string, user = carol) => ({ user, info: parseRequestInfo(method, new URL(path, 'https://x')), signal });

describe('MaxInFlightLimit', () => {
  it('limits read-only and mutating requests apart, rejecting with Retry-After 1', async () => {
    const limit = new MaxInFlightLimit({ maxRequestsInflight: 1, maxMutatingRequestsInflight: 1 });
    const get = await limit.admit(req('GET', '/api/v1/pods'));
    const post = await limit.admit(req('POST', '/api/v1/namespaces/a/pods'));
    assert.deepEqual([get.admitted, post.admitted], [true, true]);
    assert.deepEqual(await limit.admit(req('GET', '/api/v1/nodes')), { admitted: false, headers: {}, retryAfterSeconds: 1 });
    assert.equal((await limit.admit(req('DELETE', '/api/v1/namespaces/a/pods/p'))).admitted, false);
    // not counted: long-running requests and system:masters
    assert.equal((await limit.admit(req('GET', '/api/v1/pods?watch=1'))).admitted, true);
    assert.equal((await limit.admit(req('GET', '/api/v1/namespaces/a/pods/p/log'))).admitted, true);
    assert.equal((await limit.admit(req('GET', '/api/v1/pods', { name: 'admin', groups: ['system:masters'] }))).admitted, true);
    if (get.admitted) get.release();
    assert.equal((await limit.admit(req('GET', '/api/v1/nodes'))).admitted, true);
  });

  it('does not limit a class whose limit is 0', async () => {
    const limit = new MaxInFlightLimit({ maxRequestsInflight: 0, maxMutatingRequestsInflight: 1 });
    for (let i = 0; i < 5; i++) assert.equal((await limit.admit(req('GET', '/api/v1/pods'))).admitted, true);
  });
});
