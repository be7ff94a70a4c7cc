import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import '../../api/all-types.js';
import { appsResources } from '../../api/apps/resources.js';
import { coreResources } from '../../api/core/resources.js';
import { createOpenApiRoutes } from './routes.js';

const routes = createOpenApiRoutes([...coreResources, ...appsResources]);
let server: Server;
let port = 0;

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!routes.handle(req, res, url)) {
      res.writeHead(418);
      res.end('not openapi');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function call(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('root: JSON listing with no-cache', async () => {
  const r = await call('/openapi/v3');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/json');
  assert.equal(r.headers['cache-control'], 'no-cache, private');
  const root = JSON.parse(r.body.toString()) as { paths: Record<string, { serverRelativeURL: string }> };
  assert.match(root.paths['apis/apps/v1']?.serverRelativeURL ?? '', /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
});

test('group-version: immutable with the current hash, redirect with a stale one, ETag and 304', async () => {
  const hash = routes.service.v3Document('apis/apps/v1')?.hash ?? '';
  const hashed = await call(`/openapi/v3/apis/apps/v1?hash=${hash}&timeout=32s`, { accept: 'application/json' });
  assert.equal(hashed.status, 200);
  assert.equal(hashed.headers['cache-control'], 'public, immutable');
  assert.equal(hashed.headers['etag'], `"${hash}"`);
  assert.ok(hashed.headers['expires']);
  assert.equal((JSON.parse(hashed.body.toString()) as { openapi: string }).openapi, '3.0.0');

  const plain = await call('/openapi/v3/apis/apps/v1');
  assert.equal(plain.headers['cache-control'], 'no-cache, private');

  const stale = await call('/openapi/v3/apis/apps/v1?hash=ABC');
  assert.equal(stale.status, 301);
  assert.equal(stale.headers['location'], `/openapi/v3/apis/apps/v1?hash=${hash}`);

  const cached = await call('/openapi/v3/apis/apps/v1', { 'if-none-match': `"${hash}"` });
  assert.equal(cached.status, 304);
  assert.equal(cached.body.length, 0);
});

test('unknown group-versions and methods get Status errors; other paths are not handled', async () => {
  const cases: Array<{ path: string; method?: string; status: number; reason?: string }> = [
    { path: '/openapi/v3/apis/batch/v1', status: 404, reason: 'NotFound' },
    { path: '/openapi/v3/apis/apps', status: 404, reason: 'NotFound' },
    { path: '/openapi/v3/api/v1', method: 'POST', status: 405, reason: 'MethodNotAllowed' },
    { path: '/openapi/v2', method: 'DELETE', status: 405, reason: 'MethodNotAllowed' },
    { path: '/openapi/v4', status: 418 },
    { path: '/api/v1', status: 418 },
  ];
  for (const c of cases) {
    const r = await call(c.path, {}, c.method);
    assert.equal(r.status, c.status, `${c.method ?? 'GET'} ${c.path}`);
    if (c.reason) assert.equal((JSON.parse(r.body.toString()) as { reason: string }).reason, c.reason);
  }
});

test('v2: protobuf for kubectl 1.27 Accept, JSON otherwise, 406 for neither', async () => {
  const pb = await call('/openapi/v2?timeout=32s', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
  assert.equal(pb.status, 200);
  assert.equal(pb.headers['content-type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
  assert.deepEqual([...pb.body.subarray(0, 5)], [0x0a, 0x03, 0x32, 0x2e, 0x30]);

  const js = await call('/openapi/v2', { accept: 'application/json' });
  assert.equal(js.headers['content-type'], 'application/json');
  assert.equal((JSON.parse(js.body.toString()) as { swagger: string }).swagger, '2.0');
  assert.notEqual(js.headers['etag'], pb.headers['etag']);

  const none = await call('/openapi/v2', { accept: 'text/html' });
  assert.equal(none.status, 406);

  const again = await call('/openapi/v2', { accept: 'application/json', 'if-none-match': js.headers['etag'] ?? '' });
  assert.equal(again.status, 304);
});

test('gzip when accepted', async () => {
  const r = await call('/openapi/v3/api/v1', { 'accept-encoding': 'gzip' });
  assert.equal(r.headers['content-encoding'], 'gzip');
  const doc = JSON.parse(gunzipSync(r.body).toString()) as { paths: Record<string, unknown> };
  assert.ok(doc.paths['/api/v1/namespaces/{namespace}/pods']);
});
