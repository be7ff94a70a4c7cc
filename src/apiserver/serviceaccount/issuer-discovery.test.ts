import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ServerResponse } from 'node:http';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { IssuerDiscovery } from './issuer-discovery.js';
import { TokenIssuer } from './tokens.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';

function recorder() {
  const out = { status: 0, headers: {} as Record<string, unknown>, body: '' };
  const res = {
    writeHead(status: number, headers: Record<string, unknown>) {
      out.status = status;
      out.headers = headers;
    },
    end(body: string) {
      out.body = body;
    },
  } as unknown as ServerResponse;
  return { res, out };
}

describe('IssuerDiscovery', () => {
  for (const type of ['rsa', 'ec'] as const) {
    it(`serves the OpenID configuration and a JWKS that verifies tokens (${type})`, async () => {
      const { privateKey, publicKey } =
        type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const issuer = new TokenIssuer({
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        issuer: ISSUER,
      });
      const discovery = new IssuerDiscovery({ issuer: ISSUER, publicKey: issuer.publicKey });
      const config = recorder();
      assert.equal(await discovery.serve('GET', '/.well-known/openid-configuration/', config.res, '10.0.0.1:6443'), true);
      assert.equal(config.out.headers['Content-Type'], 'application/json');
      assert.deepEqual(JSON.parse(config.out.body), {
        issuer: ISSUER,
        jwks_uri: 'https://10.0.0.1:6443/openid/v1/jwks',
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: [type === 'rsa' ? 'RS256' : 'ES256'],
      });
      const jwks = recorder();
      assert.equal(await discovery.serve('GET', '/openid/v1/jwks', jwks.res, ''), true);
      assert.equal(jwks.out.headers['Content-Type'], 'application/jwk-set+json');
      const set = JSON.parse(jwks.out.body) as { keys: Record<string, string>[] };
      assert.equal(set.keys[0]?.['use'], 'sig');
      const { token } = await issuer.issue({
        namespace: 'ns',
        serviceAccountName: 'sa',
        serviceAccountUID: 'u',
        audiences: ['a'],
        expirationSeconds: 600,
      });
      const { protectedHeader } = await jwtVerify(token, createLocalJWKSet(set as never), { issuer: ISSUER });
      assert.equal(protectedHeader.kid, set.keys[0]?.['kid']);
    });
  }

  it('takes --service-account-jwks-uri, and leaves other paths and methods alone', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const discovery = new IssuerDiscovery({ issuer: ISSUER, publicKey, jwksURI: 'https://issuer.example/keys' });
    assert.equal(discovery.configuration('ignored')['jwks_uri'], 'https://issuer.example/keys');
    assert.equal(await discovery.serve('POST', '/openid/v1/jwks', recorder().res, ''), false);
    assert.equal(await discovery.serve('GET', '/openid/v1', recorder().res, ''), false);
  });
});
