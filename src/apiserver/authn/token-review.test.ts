import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStatusError } from '../../machinery/errors.js';
import { reviewToken } from './token-review.js';
import type { TokenAuthenticator } from './interface.js';

const tokens: TokenAuthenticator = {
  async authenticateToken(token, audiences) {
    if (token === 'expired') throw new Error('service account token has expired');
    if (token !== 'good') return undefined;
    return {
      user: { name: 'alice', uid: '1', groups: ['system:authenticated'], extra: { k: ['v'] } },
      audiences: audiences.filter((a) => a !== 'x'),
    };
  },
};
const reviewer = { tokens, apiAudiences: ['api'] };

describe('reviewToken', () => {
  it('answers the user and audiences of a good token (the API audiences by default)', async () => {
    assert.deepEqual(await reviewToken(reviewer, { token: 'good' }), {
      authenticated: true,
      user: { username: 'alice', uid: '1', groups: ['system:authenticated'], extra: { k: ['v'] } },
      audiences: ['api'],
    });
    assert.deepEqual((await reviewToken(reviewer, { token: 'good', audiences: ['vault', 'x'] })).audiences, ['vault']);
  });
  it('answers the error of a refused or unknown token, with an empty user', async () => {
    assert.deepEqual(await reviewToken(reviewer, { token: 'expired' }), { user: {}, error: 'service account token has expired' });
    assert.deepEqual(await reviewToken(reviewer, { token: 'who' }), { user: {}, error: 'invalid bearer token' });
  });
  it('requires a token', async () => {
    await assert.rejects(
      reviewToken(reviewer, {}),
      (e: unknown) => isStatusError(e, 'BadRequest') && e.message === 'token is required for TokenReview in authentication',
    );
  });
});
