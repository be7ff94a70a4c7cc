import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootstrapTokenSecret } from './token.js';

describe('k8ts token create', () => {
  it('makes kubeadm’s bootstrap token Secret, in the default node token group, expiring after the TTL', () => {
    const now = new Date('2026-12-06T12:00:00.123Z');
    assert.deepEqual(bootstrapTokenSecret({ id: 'abcdef', secret: '0123456789abcdef', ttlMs: 24 * 3600 * 1000, now }), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'bootstrap-token-abcdef', namespace: 'kube-system' },
      type: 'bootstrap.kubernetes.io/token',
      stringData: {
        'token-id': 'abcdef',
        'token-secret': '0123456789abcdef',
        expiration: '2026-12-07T12:00:00Z',
        'usage-bootstrap-authentication': 'true',
        'usage-bootstrap-signing': 'true',
        'auth-extra-groups': 'system:bootstrappers:k8ts:default-node-token',
      },
    });
    assert.equal(bootstrapTokenSecret({ id: 'abcdef', secret: 's', ttlMs: 0 }).stringData.expiration, undefined);
  });
});
