import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Indexer } from '../client/indexer.js';
import type { KubeObject } from '../machinery/object.js';
import { defaultCertificate } from './default-certificate.js';
import { TLSContextStore } from './tls-store.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('TLSContextStore', async () => {
  const fallback = await defaultCertificate();
  const own = await defaultCertificate();
  const secrets = new Indexer();
  const secret = (name: string, data: Record<string, string>, resourceVersion = '1'): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'default', resourceVersion },
    type: 'kubernetes.io/tls',
    data,
  });
  secrets.upsert(secret('good', { 'tls.crt': b64(own.cert), 'tls.key': b64(own.key) }));
  secrets.upsert(secret('bad', { 'tls.crt': b64('not a pem'), 'tls.key': b64('nope') }));
  const logged: string[] = [];
  const store = new TLSContextStore({ secrets, defaultCertificate: fallback, log: (m) => logged.push(m) });
  store.update([
    { namespace: 'default', secretName: 'good', hosts: ['secure.example', '*.wild.example'] },
    { namespace: 'default', secretName: 'bad', hosts: ['bad.example'] },
    { namespace: 'default', secretName: 'missing', hosts: ['missing.example'] },
  ]);
  const good = store.contextFor('secure.example');

  const cases: [servername: string, wantOwn: boolean][] = [
    ['secure.example', true],
    ['SECURE.example', true],
    ['a.wild.example', true],
    ['b.a.wild.example', false],
    ['wild.example', false],
    ['bad.example', false],
    ['missing.example', false],
    ['other.example', false],
  ];
  for (const [servername, wantOwn] of cases) {
    it(`${servername}: ${wantOwn ? 'the Secret’s certificate' : 'the default certificate'}`, () => {
      const ctx = store.contextFor(servername);
      assert.equal(ctx === good, wantOwn);
      assert.equal(ctx === store.defaultContext, !wantOwn);
    });
  }

  it('says why a Secret cannot serve', () => {
    assert.equal(logged.length, 2);
    assert.ok(logged.some((m) => m.includes('default/missing not found')));
  });

  it('keeps a context until its Secret changes', () => {
    store.update([{ namespace: 'default', secretName: 'good', hosts: ['secure.example'] }]);
    assert.equal(store.contextFor('secure.example'), good);
    secrets.upsert(secret('good', { 'tls.crt': b64(own.cert), 'tls.key': b64(own.key) }, '2'));
    store.update([{ namespace: 'default', secretName: 'good', hosts: ['secure.example'] }]);
    assert.notEqual(store.contextFor('secure.example'), good);
  });
});
