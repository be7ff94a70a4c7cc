import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncomingMessage } from 'node:http';
import {
  audienceAgnostic,
  BearerTokenAuthenticator,
  bearerToken,
  TokenAuthenticationError,
  UnionTokenAuthenticator,
} from './token-authenticator.js';
import type { TokenAuthenticator } from './interface.js';

const request = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;

const accepting = (token: string, name: string): TokenAuthenticator => ({
  async authenticateToken(t, audiences) {
    return t === token ? { user: { name, groups: ['g'] }, audiences: [...audiences] } : undefined;
  },
});
const refusing = (message: string): TokenAuthenticator => ({
  async authenticateToken() {
    throw new Error(message);
  },
});

describe('bearerToken', () => {
  const cases: [string | undefined, string | undefined][] = [
    ['Bearer abc', 'abc'],
    ['bearer  abc ', 'abc'],
    ['Basic abc', undefined],
    ['Bearer ', undefined],
    [undefined, undefined],
  ];
  for (const [header, want] of cases) it(`${String(header)} → ${String(want)}`, () => assert.equal(bearerToken(request(header)), want));
});

describe('UnionTokenAuthenticator', () => {
  it('answers with the first that accepts, in system:authenticated', async () => {
    const union = new UnionTokenAuthenticator({ authenticators: [refusing('expired'), accepting('t', 'alice'), accepting('t', 'bob')] });
    assert.deepEqual(await union.authenticateToken('t', ['api']), {
      user: { name: 'alice', groups: ['g', 'system:authenticated'] },
      audiences: ['api'],
    });
  });
  it('is undefined when nobody knows the token, and collects refusals otherwise', async () => {
    assert.equal(await new UnionTokenAuthenticator({ authenticators: [accepting('t', 'a')] }).authenticateToken('x', []), undefined);
    const one = new UnionTokenAuthenticator({ authenticators: [refusing('token has expired')] });
    await assert.rejects(
      one.authenticateToken('x', []),
      (e: Error) => e instanceof TokenAuthenticationError && e.message === 'token has expired',
    );
    const two = new UnionTokenAuthenticator({ authenticators: [refusing('a'), refusing('b')] });
    await assert.rejects(two.authenticateToken('x', []), { message: '[a, b]' });
  });
});

describe('audienceAgnostic', () => {
  const inner = { authenticateToken: async (t: string) => (t === 't' ? { name: 'alice', groups: [] } : undefined) };
  it('is valid for the API audiences only', async () => {
    const auth = audienceAgnostic(inner, ['https://kubernetes.default.svc']);
    assert.deepEqual((await auth.authenticateToken('t', ['https://kubernetes.default.svc', 'vault']))?.audiences, [
      'https://kubernetes.default.svc',
    ]);
    assert.equal(await auth.authenticateToken('t', ['vault']), undefined);
  });
});

describe('BearerTokenAuthenticator', () => {
  it('authenticates the header token for the API audiences; a refusal is no user', async () => {
    const seen: string[][] = [];
    const tokens: TokenAuthenticator = {
      async authenticateToken(t, audiences) {
        seen.push([...audiences]);
        if (t === 'bad') throw new Error('expired');
        return { user: { name: t, groups: [] }, audiences: [...audiences] };
      },
    };
    const auth = new BearerTokenAuthenticator({ tokens, apiAudiences: ['api'] });
    assert.equal((await auth.authenticate(request('Bearer alice')))?.name, 'alice');
    assert.equal(await auth.authenticate(request('Bearer bad')), undefined);
    assert.equal(await auth.authenticate(request()), undefined);
    assert.deepEqual(seen, [['api'], ['api']]);
  });
});
