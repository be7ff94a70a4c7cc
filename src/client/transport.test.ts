import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createCertificateAuthority } from '../pki/ca.js';
import { issueClientCertificate, issueServerCertificate } from '../pki/certs.js';
import { HttpTransport } from './transport.js';

describe('HttpTransport over TLS', () => {
  let server: Server;
  let connections = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const users: string[] = [];
  let transport: HttpTransport;

  before(async () => {
    const ca = await createCertificateAuthority();
    const serving = await issueServerCertificate(ca, { commonName: 'server', ipAddresses: ['127.0.0.1'] });
    const client = await issueClientCertificate(ca, { user: 'alice' });
    server = createServer(
      { key: serving.keyPem, cert: serving.certPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        users.push(String(peer.subject?.CN ?? ''));
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () =>
          setTimeout(() => {
            inFlight--;
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ path: req.url, method: req.method, body }));
          }, 2),
        );
      },
    );
    server.on('secureConnection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    transport = new HttpTransport(
      { server: `https://127.0.0.1:${port}`, ca: ca.certPem, cert: client.certPem, key: client.keyPem },
      { maxSockets: 3 },
    );
  });

  after(async () => {
    transport.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('keeps one pool of at most maxSockets connections for its origin, with the client certificate', async () => {
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        transport.json<{ path: string; method: string; body: string }>({
          method: 'POST',
          path: '/api/v1/namespaces/default/configmaps',
          query: { fieldManager: `m${i}` },
          body: { i },
        }),
      ),
    );
    assert.equal(replies.length, 30);
    assert.deepEqual(replies[7], { path: '/api/v1/namespaces/default/configmaps?fieldManager=m7', method: 'POST', body: '{"i":7}' });
    assert.equal(maxInFlight, 3);
    assert.equal(connections, 3);
    // kept alive: later requests reuse the pool instead of connecting again
    for (let i = 0; i < 5; i++) await transport.json({ method: 'GET', path: '/api/v1/namespaces' });
    assert.equal(connections, 3);
    assert.deepEqual(new Set(users), new Set(['alice']));
  });
});

describe('HttpTransport.withCredentials', () => {
  let server: Server;
  let connections = 0;
  const seen: string[] = [];
  let pool: HttpTransport;
  let port = 0;
  let caPem = '';

  before(async () => {
    const ca = await createCertificateAuthority();
    caPem = ca.certPem;
    const serving = await issueServerCertificate(ca, { commonName: 'server', ipAddresses: ['127.0.0.1'] });
    server = createServer({ key: serving.keyPem, cert: serving.certPem }, (req, res) => {
      seen.push(`${req.headers['user-agent']} ${req.headers.authorization ?? '-'}`);
      const unauthorized = req.headers.authorization === 'Bearer expired';
      res.writeHead(unauthorized ? 401 : 200, { 'Content-Type': 'application/json' });
      res.end(unauthorized ? '{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Unauthorized","code":401}' : '{}');
    });
    server.on('secureConnection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    pool = new HttpTransport({ server: `https://127.0.0.1:${port}`, ca: caPem }, { maxSockets: 2 });
  });

  after(async () => {
    pool.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends each identity its current token over one shared pool, which only its owner closes', async () => {
    let token = 'first';
    const a = pool.withCredentials({ tokenSource: () => token, userAgent: 'a' });
    const b = pool.withCredentials({ tokenSource: () => 'other', userAgent: 'b' });
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).json({ method: 'GET', path: '/api' })));
    token = 'renewed';
    a.close();
    await a.json({ method: 'GET', path: '/api' });
    assert.equal(connections, 2);
    assert.deepEqual(new Set(seen), new Set(['a Bearer first', 'b Bearer other', 'a Bearer renewed']));
  });

  it('tells of a 401 to the token, to requests and watches alike', async () => {
    let told = 0;
    const expired = pool.withCredentials({ tokenSource: () => 'expired', onUnauthorized: () => told++ });
    await assert.rejects(expired.json({ method: 'GET', path: '/api' }), /Unauthorized/);
    await assert.rejects(expired.stream({ method: 'GET', path: '/api/v1/pods', query: { watch: true } }, new AbortController().signal));
    assert.equal(told, 2);
  });

  it('refuses to lend connections that carry a client certificate', async () => {
    const ca = await createCertificateAuthority();
    const client = await issueClientCertificate(ca, { user: 'alice' });
    const withCert = new HttpTransport({ server: `https://127.0.0.1:${port}`, ca: caPem, cert: client.certPem, key: client.keyPem });
    assert.throws(() => withCert.withCredentials({ tokenSource: () => 't' }), /client certificate/);
    withCert.close();
  });
});
