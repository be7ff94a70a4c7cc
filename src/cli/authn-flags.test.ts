import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serviceAccountIssuer } from './authn-flags.js';
import { parseServerFlags } from './server-flags.js';

test("authentication flags: upstream's defaults", () => {
  const flags = parseServerFlags([]).authentication;
  assert.deepEqual(flags, {
    anonymous: true,
    tokenAuthFile: undefined,
    bootstrapTokenAuth: false,
    serviceAccountIssuer: undefined,
    serviceAccountJWKSURI: undefined,
    apiAudiences: undefined,
  });
  assert.equal(serviceAccountIssuer(flags, 'cluster.local'), 'https://kubernetes.default.svc.cluster.local');
});

test('authentication flags: every flag, and refusals', () => {
  const flags = parseServerFlags([
    '--anonymous-auth=false',
    '--token-auth-file',
    '/etc/k8ts/tokens.csv',
    '--enable-bootstrap-token-auth',
    '--service-account-issuer=https://issuer.example',
    '--service-account-jwks-uri=https://issuer.example/keys',
    '--api-audiences=https://issuer.example, vault',
  ]).authentication;
  assert.deepEqual(flags, {
    anonymous: false,
    tokenAuthFile: '/etc/k8ts/tokens.csv',
    bootstrapTokenAuth: true,
    serviceAccountIssuer: 'https://issuer.example',
    serviceAccountJWKSURI: 'https://issuer.example/keys',
    apiAudiences: ['https://issuer.example', 'vault'],
  });
  assert.equal(serviceAccountIssuer(flags, 'cluster.local'), 'https://issuer.example');
  assert.throws(() => parseServerFlags(['--anonymous-auth=no']), /--anonymous-auth: want true or false, got "no"/);
  assert.throws(() => parseServerFlags(['--service-account-jwks-uri=http://x/keys']), /--service-account-jwks-uri: want an https URL/);
});
