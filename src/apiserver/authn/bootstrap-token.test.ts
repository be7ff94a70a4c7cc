import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../machinery/object.js';
import { BootstrapTokenAuthenticator } from './bootstrap-token.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const b64 = (s: string) => Buffer.from(s).toString('base64');

function secret(data: Record<string, string>, overrides: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'bootstrap-token-abcdef', namespace: 'kube-system', uid: 'u1' },
    type: 'bootstrap.kubernetes.io/token',
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
    ...overrides,
  };
}

const VALID = {
  'token-id': 'abcdef',
  'token-secret': '0123456789abcdef',
  'usage-bootstrap-authentication': 'true',
  expiration: '2026-01-02T00:00:00Z',
};
const TOKEN = 'abcdef.0123456789abcdef';

function authenticate(s: KubeObject | undefined, token = TOKEN) {
  const auth = new BootstrapTokenAuthenticator({ secret: (name) => (name === s?.metadata.name ? s : undefined), now: () => NOW });
  return auth.authenticateToken(token);
}

describe('BootstrapTokenAuthenticator', () => {
  it('authenticates a valid token as system:bootstrap:<id> with its extra groups', async () => {
    assert.deepEqual(await authenticate(secret({ ...VALID, 'auth-extra-groups': 'system:bootstrappers:workers' })), {
      name: 'system:bootstrap:abcdef',
      groups: ['system:bootstrappers', 'system:bootstrappers:workers'],
    });
    assert.deepEqual((await authenticate(secret(VALID)))?.groups, ['system:bootstrappers']);
  });

  const refused: [string, KubeObject | undefined, string?][] = [
    ['no such secret', undefined],
    ['not a bootstrap token', secret(VALID), 'abcdef.0123456789ABCDEF'],
    ['another secret', secret(VALID), 'abcdef.0123456789abcdee'],
    ['wrong type', secret(VALID, { type: 'Opaque' })],
    [
      'being deleted',
      secret(VALID, { metadata: { name: 'bootstrap-token-abcdef', namespace: 'kube-system', deletionTimestamp: '2026-01-01T00:00:00Z' } }),
    ],
    ['token-id mismatch', secret({ ...VALID, 'token-id': 'zzzzzz' })],
    ['expired', secret({ ...VALID, expiration: '2025-12-31T23:59:59Z' })],
    ['unparseable expiration', secret({ ...VALID, expiration: 'tomorrow' })],
    ['not for authentication', secret({ ...VALID, 'usage-bootstrap-authentication': 'false' })],
    ['invalid extra group', secret({ ...VALID, 'auth-extra-groups': 'system:masters' })],
  ];
  for (const [name, s, token] of refused) {
    it(`refuses: ${name}`, async () => assert.equal(await authenticate(s, token), undefined));
  }
});
