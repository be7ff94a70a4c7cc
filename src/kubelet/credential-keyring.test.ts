import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyringFromSecrets, urlsMatch } from './credential-keyring.js';

test('registry keys match repositories as upstream’s URLsMatchStr', () => {
  const cases: [string, string, boolean][] = [
    ['registry.example.com', 'registry.example.com/team/app', true],
    ['registry.example.com', 'registry.example.com:5000/team/app', false],
    ['registry.example.com:5000', 'registry.example.com:5000/team/app', true],
    ['registry.example.com/team', 'registry.example.com/team/app', true],
    ['registry.example.com/other', 'registry.example.com/team/app', false],
    ['*.example.com', 'registry.example.com/app', true],
    ['*.example.com', 'a.registry.example.com/app', false],
    ['*.*.example.com', 'a.registry.example.com/app', true],
    ['REGISTRY.example.com', 'registry.example.com/app', true],
    ['127.0.0.1:5000', '127.0.0.1:5000/private/busybox', true],
    ['example.com', 'registry.example.com/app', false],
  ];
  for (const [key, repo, want] of cases) assert.equal(urlsMatch(key, repo), want, `${key} ~ ${repo}`);
});

test('a union keyring: secrets in order, more specific keys first within one, Docker Hub by index.docker.io', () => {
  const secret = (type: string, key: string, config: unknown) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    type,
    data: { [key]: Buffer.from(JSON.stringify(config)).toString('base64') },
  });
  const ring = keyringFromSecrets([
    secret('kubernetes.io/dockerconfigjson', '.dockerconfigjson', {
      auths: {
        'registry.example.com': { username: 'host', password: 'a' },
        'registry.example.com/team': { username: 'team', password: 'b' },
        'https://index.docker.io/v1/': { auth: Buffer.from('hub:c').toString('base64') },
      },
    }),
    secret('Opaque', '.dockerconfigjson', { auths: { 'registry.example.com': { username: 'opaque', password: 'x' } } }),
    secret('kubernetes.io/dockercfg', '.dockercfg', { 'registry.example.com': { username: 'cfg', password: 'd' } }),
  ]);
  assert.deepEqual(
    ring.lookup('registry.example.com/team/app').map((a) => a.username),
    ['team', 'host', 'cfg'],
  );
  assert.deepEqual(
    ring.lookup('docker.io/library/busybox').map((a) => a.username),
    ['hub'],
  );
  assert.deepEqual(ring.lookup('quay.io/x/y'), []);
});
