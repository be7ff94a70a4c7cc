import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Server as GrpcServer, type sendUnaryData, type ServerUnaryCall, ServerCredentials, status } from '@grpc/grpc-js';
import { createCertificateAuthority } from '../../pki/ca.js';
import { issueServerCertificate } from '../../pki/certs.js';
import { decodeHealthCheckResponse, encodeHealthCheckRequest, grpcProbe } from './grpc.js';
import { resolvePort } from './handler.js';
import { httpProbe, PROBE_USER_AGENT } from './http.js';
import { tcpProbe } from './tcp.js';

let server: Server;
let port = 0;
let seen: IncomingHttpHeaders = {};

/** A port nothing listens on: one a server had and gave back. */
async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return p;
}

before(async () => {
  server = createServer((req, res) => {
    seen = req.headers;
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/ok') res.end('fine');
    else if (url.pathname === '/fail') {
      res.statusCode = 500;
      res.end('broken');
    } else if (url.pathname === '/hop') {
      res.writeHead(302, { location: '/ok' }).end();
    } else if (url.pathname === '/away') {
      res.writeHead(301, { location: 'http://elsewhere.invalid/' }).end('moved');
    } else if (url.pathname === '/loop') {
      res.writeHead(302, { location: '/loop' }).end();
    } else if (url.pathname === '/slow') {
      setTimeout(() => res.end('late'), 2000);
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

const get = (path: string, headers: { name: string; value: string }[] = [], timeoutMs = 1000) =>
  httpProbe({ scheme: 'HTTP', host: '127.0.0.1', port, path, headers }, timeoutMs);

describe('httpGet probes', () => {
  const cases: { path: string; result: string; output: string | RegExp }[] = [
    { path: '/ok', result: 'Success', output: 'fine' },
    { path: '/fail', result: 'Failure', output: 'HTTP probe failed with statuscode: 500' },
    { path: '/hop', result: 'Success', output: 'fine' },
    { path: '/away', result: 'Warning', output: 'Probe terminated redirects, Response body: moved' },
    { path: '/loop', result: 'Failure', output: /^Get "http:\/\/127\.0\.0\.1:\d+\/loop": stopped after 10 redirects$/ },
  ];
  for (const c of cases) {
    it(`GET ${c.path}: ${c.result}`, async () => {
      const got = await get(c.path);
      assert.equal(got.result, c.result);
      if (typeof c.output === 'string') assert.equal(got.output, c.output);
      else assert.match(got.output, c.output);
    });
  }

  it('sends kube-probe/<major>.<minor>, Accept */* and the probe’s headers; Host sets the host', async () => {
    assert.match(PROBE_USER_AGENT, /^kube-probe\/1\.\d+$/);
    await get('/ok');
    assert.equal(seen['user-agent'], PROBE_USER_AGENT);
    assert.equal(seen['accept'], '*/*');
    await get('/ok', [
      { name: 'X-Custom', value: 'yes' },
      { name: 'Host', value: 'example.test' },
      { name: 'User-Agent', value: 'mine' },
    ]);
    assert.deepEqual([seen['x-custom'], seen['host'], seen['user-agent']], ['yes', 'example.test', 'mine']);
  });

  it('words a refused connection and a timeout as Go does', async () => {
    const closed = await closedPort();
    const refused = await httpProbe({ scheme: 'HTTP', host: '127.0.0.1', port: closed, path: '/healthz', headers: [] }, 1000);
    assert.deepEqual(refused, {
      result: 'Failure',
      output: `Get "http://127.0.0.1:${closed}/healthz": dial tcp 127.0.0.1:${closed}: connect: connection refused`,
    });
    const slow = await get('/slow', [], 200);
    assert.equal(slow.result, 'Failure');
    assert.equal(
      slow.output,
      `Get "http://127.0.0.1:${port}/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    );
  });
});

describe('httpGet probes over HTTPS', () => {
  it('do not verify the certificate', async () => {
    const ca = await createCertificateAuthority({ commonName: 'probe-test-ca' });
    const leaf = await issueServerCertificate(ca, { commonName: 'pod', dnsNames: ['elsewhere.invalid'] });
    const tls = createHttpsServer({ cert: leaf.certPem, key: leaf.keyPem }, (_req, res) => res.end('secure'));
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    try {
      const tlsPort = (tls.address() as AddressInfo).port;
      const got = await httpProbe({ scheme: 'HTTPS', host: '127.0.0.1', port: tlsPort, path: '/', headers: [] }, 2000);
      assert.deepEqual([got.result, got.output], ['Success', 'secure']);
    } finally {
      tls.closeAllConnections();
      tls.close();
    }
  });
});

describe('tcpSocket probes', () => {
  it('succeeds on a listening port and fails with Go’s words on a closed one', async () => {
    assert.deepEqual(await tcpProbe('127.0.0.1', port, 1000), { result: 'Success', output: '' });
    const closed = await closedPort();
    assert.deepEqual(await tcpProbe('127.0.0.1', closed, 1000), {
      result: 'Failure',
      output: `dial tcp 127.0.0.1:${closed}: connect: connection refused`,
    });
  });
});

describe('ports', () => {
  it('resolves numbers and named container ports', () => {
    const c = { name: 'web', ports: [{ name: 'http', containerPort: 8080 }] };
    assert.equal(resolvePort(80, c), 80);
    assert.equal(resolvePort('8081', c), 8081);
    assert.equal(resolvePort('http', c), 8080);
    assert.equal(resolvePort('nope', c), undefined);
  });
});

describe('grpc probes', () => {
  it('encodes and decodes the health messages', () => {
    assert.deepEqual([...encodeHealthCheckRequest('')], []);
    assert.deepEqual([...encodeHealthCheckRequest('ab')], [0x0a, 2, 0x61, 0x62]);
    assert.equal(decodeHealthCheckResponse(Buffer.from([0x08, 1])), 1);
    assert.equal(decodeHealthCheckResponse(Buffer.alloc(0)), 0);
  });

  it('asks grpc.health.v1.Health/Check for the service', async () => {
    const grpc = new GrpcServer();
    const statuses: Record<string, number> = { '': 1, sick: 2 };
    grpc.addService(
      {
        Check: {
          path: '/grpc.health.v1.Health/Check',
          requestStream: false,
          responseStream: false,
          requestSerialize: (v: Buffer) => v,
          requestDeserialize: (b: Buffer) => b,
          responseSerialize: (v: Buffer) => v,
          responseDeserialize: (b: Buffer) => b,
        },
      },
      {
        Check: (call: ServerUnaryCall<Buffer, Buffer>, cb: sendUnaryData<Buffer>) => {
          const service = call.request.length > 2 ? call.request.subarray(2).toString() : '';
          const s = statuses[service];
          if (s === undefined) cb({ code: status.NOT_FOUND, details: 'unknown service' });
          else cb(null, Buffer.from([0x08, s]));
        },
      },
    );
    const gport = await new Promise<number>((resolve, reject) =>
      grpc.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    try {
      assert.deepEqual(await grpcProbe('127.0.0.1', gport, '', 2000), { result: 'Success', output: 'service healthy' });
      assert.deepEqual(await grpcProbe('127.0.0.1', gport, 'sick', 2000), {
        result: 'Failure',
        output: 'service unhealthy (responded with "NOT_SERVING")',
      });
      assert.deepEqual(await grpcProbe('127.0.0.1', gport, 'other', 2000), {
        result: 'Failure',
        output: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service',
      });
    } finally {
      grpc.forceShutdown();
    }
    const closed = await closedPort();
    const down = await grpcProbe('127.0.0.1', closed, '', 300);
    assert.equal(down.result, 'Failure');
    assert.equal(down.output, `timeout: failed to connect service "127.0.0.1:${closed}" within 300ms: context deadline exceeded`);
  });
});
