import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../machinery/object.js';
import { ServiceAccountTokenAuthenticator } from './authenticator.js';
import type { ServiceAccountTokenGetter } from './getter.js';
import { LegacyTokenGenerator } from './legacy-tokens.js';
import { type BoundObject, TokenIssuer } from './tokens.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const issuer = new TokenIssuer({
  privateKeyPem,
  publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  issuer: ISSUER,
});
const b64 = (s: string) => Buffer.from(s).toString('base64');

function obj(name: string, uid: string, extra: Partial<KubeObject['metadata']> = {}, data?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'X', metadata: { name, namespace: 'ns', uid, ...extra }, ...(data ? { data } : {}) };
}

/** A world of objects by kind and name; tests change it to see tokens fall. */
function world() {
  const objects = new Map<string, KubeObject>([
    ['sa/reader', obj('reader', 'sa-1')],
    ['pod/p', obj('p', 'pod-1')],
    ['secret/s', obj('s', 'secret-1')],
    ['node/n', obj('n', 'node-1')],
  ]);
  const getter: ServiceAccountTokenGetter = {
    serviceAccount: (_ns, name) => objects.get(`sa/${name}`),
    pod: (_ns, name) => objects.get(`pod/${name}`),
    secret: (_ns, name) => objects.get(`secret/${name}`),
    node: (name) => objects.get(`node/${name}`),
  };
  let now = Date.now();
  const auth = new ServiceAccountTokenAuthenticator({ issuer, getter, apiAudiences: [ISSUER], now: () => now });
  return { objects, auth, advance: (ms: number) => (now += ms) };
}

const issue = (bound?: BoundObject, audiences = [ISSUER], expirationSeconds = 3600, at = new Date()) =>
  issuer
    .issue(
      {
        namespace: 'ns',
        serviceAccountName: 'reader',
        serviceAccountUID: 'sa-1',
        audiences,
        expirationSeconds,
        ...(bound ? { bound } : {}),
      },
      at,
    )
    .then((t) => t.token);

describe('ServiceAccountTokenAuthenticator: bound tokens', () => {
  it('authenticates with the pod, node and credential ID in extra', async () => {
    const { auth } = world();
    const token = await issue({ kind: 'Pod', name: 'p', uid: 'pod-1' });
    const response = await auth.authenticateToken(token, [ISSUER, 'other']);
    assert.equal(response?.user.name, 'system:serviceaccount:ns:reader');
    assert.equal(response?.user.uid, 'sa-1');
    assert.deepEqual(response?.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:ns']);
    assert.deepEqual(response?.audiences, [ISSUER]);
    const extra = response?.user.extra ?? {};
    assert.deepEqual(extra['authentication.kubernetes.io/pod-name'], ['p']);
    assert.deepEqual(extra['authentication.kubernetes.io/pod-uid'], ['pod-1']);
    assert.match(extra['authentication.kubernetes.io/credential-id']?.[0] ?? '', /^JTI=/);
    const onNode = await issuer.issue({
      namespace: 'ns',
      serviceAccountName: 'reader',
      serviceAccountUID: 'sa-1',
      audiences: [ISSUER],
      expirationSeconds: 600,
      bound: { kind: 'Pod', name: 'p', uid: 'pod-1' },
      podNode: { name: 'gone-node', uid: 'n-9' },
    });
    // a pod's node is information, not validated: the pod is what the token stands on
    const podOnNode = await auth.authenticateToken(onNode.token, [ISSUER]);
    assert.deepEqual(podOnNode?.user.extra?.['authentication.kubernetes.io/node-name'], ['gone-node']);
    assert.deepEqual(podOnNode?.user.extra?.['authentication.kubernetes.io/node-uid'], ['n-9']);
    const nodeBound = await auth.authenticateToken(await issue({ kind: 'Node', name: 'n', uid: 'node-1' }), [ISSUER]);
    assert.deepEqual(nodeBound?.user.extra?.['authentication.kubernetes.io/node-name'], ['n']);
  });

  const invalidations: [string, BoundObject | undefined, (w: ReturnType<typeof world>) => void, RegExp][] = [
    [
      'pod deleted',
      { kind: 'Pod', name: 'p', uid: 'pod-1' },
      (w) => w.objects.delete('pod/p'),
      /^Error: service account token has been invalidated$/,
    ],
    [
      'pod recreated',
      { kind: 'Pod', name: 'p', uid: 'pod-1' },
      (w) => w.objects.set('pod/p', obj('p', 'pod-2')),
      /pod UID \(pod-2\) does not match service account pod ref claim \(pod-1\)/,
    ],
    ['secret deleted', { kind: 'Secret', name: 's', uid: 'secret-1' }, (w) => w.objects.delete('secret/s'), /invalidated/],
    ['node deleted', { kind: 'Node', name: 'n', uid: 'node-1' }, (w) => w.objects.delete('node/n'), /invalidated/],
    ['service account deleted', undefined, (w) => w.objects.delete('sa/reader'), /serviceaccounts "reader" not found/],
    [
      'service account recreated',
      undefined,
      (w) => w.objects.set('sa/reader', obj('reader', 'sa-2')),
      /service account UID \(sa-2\) does not match claim \(sa-1\)/,
    ],
    [
      'pod deleted more than a minute ago, still terminating',
      { kind: 'Pod', name: 'p', uid: 'pod-1' },
      (w) => w.objects.set('pod/p', obj('p', 'pod-1', { deletionTimestamp: new Date(Date.now() - 61_000).toISOString() })),
      /invalidated/,
    ],
  ];
  for (const [name, bound, change, error] of invalidations) {
    it(`refuses once the ${name}`, async () => {
      const w = world();
      const token = await issue(bound);
      assert.ok(await w.auth.authenticateToken(token, [ISSUER]));
      change(w);
      await assert.rejects(w.auth.authenticateToken(token, [ISSUER]), error);
    });
  }

  it('keeps a pod in graceful deletion valid', async () => {
    const w = world();
    const token = await issue({ kind: 'Pod', name: 'p', uid: 'pod-1' });
    w.objects.set('pod/p', obj('p', 'pod-1', { deletionTimestamp: new Date(Date.now() + 30_000).toISOString() }));
    assert.ok(await w.auth.authenticateToken(token, [ISSUER]));
  });

  it('refuses expired tokens (after a minute of leeway) and other audiences', async () => {
    const { auth } = world();
    const old = await issue(undefined, [ISSUER], 600, new Date(Date.now() - 661_000));
    await assert.rejects(auth.authenticateToken(old, [ISSUER]), /^Error: service account token has expired$/);
    const vault = await issue(undefined, ['vault']);
    await assert.rejects(
      auth.authenticateToken(vault, [ISSUER]),
      /token audiences \["vault"\] is invalid for the target audiences \["https/,
    );
    assert.deepEqual((await auth.authenticateToken(vault, ['vault']))?.audiences, ['vault']);
  });

  it('leaves tokens of other issuers, and text that is no JWT, to other authenticators', async () => {
    const { auth } = world();
    const other = new TokenIssuer({
      privateKeyPem,
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      issuer: 'https://elsewhere',
    });
    const token = (
      await other.issue({
        namespace: 'ns',
        serviceAccountName: 'reader',
        serviceAccountUID: 'sa-1',
        audiences: [ISSUER],
        expirationSeconds: 600,
      })
    ).token;
    assert.equal(await auth.authenticateToken(token, [ISSUER]), undefined);
    assert.equal(await auth.authenticateToken('abcdef.0123456789abcdef', [ISSUER]), undefined);
  });

  it('refuses a forged signature without saying more', async () => {
    const { auth } = world();
    const token = await issue();
    const [h, p] = token.split('.');
    const { privateKey: k2 } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = new TokenIssuer({
      privateKeyPem: k2.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      issuer: ISSUER,
    });
    const sig = (
      await forged.issue({
        namespace: 'ns',
        serviceAccountName: 'reader',
        serviceAccountUID: 'sa-1',
        audiences: [ISSUER],
        expirationSeconds: 600,
      })
    ).token.split('.')[2];
    await assert.rejects(auth.authenticateToken(`${h}.${p}.${sig}`, [ISSUER]), /^Error: invalid bearer token$/);
  });
});

describe('ServiceAccountTokenAuthenticator: legacy Secret tokens', () => {
  const generator = new LegacyTokenGenerator({ privateKeyPem });
  const legacy = () =>
    generator.generate({ namespace: 'ns', secretName: 'reader-token', serviceAccountName: 'reader', serviceAccountUID: 'sa-1' });

  it('authenticates while the Secret holds the same token, for the API audiences only', async () => {
    const w = world();
    const token = await legacy();
    w.objects.set('secret/reader-token', obj('reader-token', 'st', {}, { token: b64(token) }));
    const response = await w.auth.authenticateToken(token, [ISSUER]);
    assert.deepEqual(response, {
      user: { name: 'system:serviceaccount:ns:reader', uid: 'sa-1', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns'] },
      audiences: [ISSUER],
    });
    await assert.rejects(w.auth.authenticateToken(token, ['vault']), /is invalid for the target audiences/);
  });

  it('refuses once the Secret is gone or holds another token, or the account is gone', async () => {
    const w = world();
    const token = await legacy();
    await assert.rejects(w.auth.authenticateToken(token, [ISSUER]), /^Error: token has been invalidated$/);
    w.objects.set(
      'secret/reader-token',
      obj('reader-token', 'st', { labels: { 'kubernetes.io/legacy-token-invalid-since': '2026-01-01' } }, { token: b64(token) }),
    );
    await assert.rejects(
      w.auth.authenticateToken(token, [ISSUER]),
      /the token in secret ns\/reader-token for service account ns\/reader has been marked invalid/,
    );
    w.objects.set('secret/reader-token', obj('reader-token', 'st', {}, { token: b64('other') }));
    await assert.rejects(w.auth.authenticateToken(token, [ISSUER]), /token does not match server's copy/);
    w.objects.set('secret/reader-token', obj('reader-token', 'st', {}, { token: b64(token) }));
    w.objects.set('sa/reader', obj('reader', 'sa-9'));
    await assert.rejects(w.auth.authenticateToken(token, [ISSUER]), /service account UID \(sa-9\) does not match claim \(sa-1\)/);
  });
});
