import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isStatusError } from '../machinery/errors.js';
import type { WatchEvent } from './interface.js';
import { HttpsClientset } from './rest.js';

interface Seen {
  method: string;
  url: string;
  contentType: string | undefined;
  userAgent: string | undefined;
  auth: string | undefined;
  body: string;
}

let server: Server;
let cs: HttpsClientset;
const seen: Seen[] = [];
/** Per-URL behaviour; the default answers 200 with an object echoing the request. */
const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        contentType: req.headers['content-type'],
        userAgent: req.headers['user-agent'],
        auth: req.headers.authorization,
        body,
      });
      const path = (req.url ?? '').split('?')[0] ?? '';
      const route = routes.get(path);
      if (route) return route(req, res);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'ConfigMap', metadata: { name: 'echo' } }));
    });
  });
  // the client learns scopes from discovery
  const discovery =
    (groupVersion: string, resources: { name: string; namespaced: boolean }[]) => (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'APIResourceList', groupVersion, resources }));
    };
  routes.set(
    '/api/v1',
    discovery('v1', [
      { name: 'configmaps', namespaced: true },
      { name: 'pods', namespaced: true },
      { name: 'namespaces', namespaced: false },
      { name: 'nodes', namespaced: false },
    ]),
  );
  routes.set('/apis/apps/v1', discovery('apps/v1', [{ name: 'deployments', namespaced: true }]));
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  cs = new HttpsClientset({ server: `http://127.0.0.1:${port}`, token: 't0k', userAgent: 'k8ts-test/v1.33.0' });
});

after(() => {
  cs.close();
  server.close();
});

function last(): Seen {
  const s = seen.at(-1);
  assert.ok(s, 'a request was made');
  return s;
}

const cm = { group: '', version: 'v1', resource: 'configmaps' };
const deploy = { group: 'apps', version: 'v1', resource: 'deployments' };
const nodes = { group: '', version: 'v1', resource: 'nodes' };
const obj = (name: string, ns?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(ns ? { namespace: ns } : {}) } });

describe('RestResourceClient', () => {
  const cases: [string, () => Promise<unknown>, string, string, string | undefined][] = [
    ['get core namespaced', () => cs.resource(cm).get('ns1', 'a'), 'GET', '/api/v1/namespaces/ns1/configmaps/a', undefined],
    ['get cluster-scoped ignores namespace', () => cs.resource(nodes).get('ns1', 'n1'), 'GET', '/api/v1/nodes/n1', undefined],
    [
      'list group all namespaces with options',
      () => cs.resource(deploy).list('', { labelSelector: 'app=x', limit: 5, continue: 'tok', resourceVersion: '0' }),
      'GET',
      '/apis/apps/v1/deployments?labelSelector=app%3Dx&limit=5&continue=tok&resourceVersion=0',
      undefined,
    ],
    [
      'create takes the namespace from the object',
      () => cs.resource(cm).create('', obj('a', 'ns2')),
      'POST',
      '/api/v1/namespaces/ns2/configmaps',
      'application/json',
    ],
    [
      'update with dryRun and fieldManager',
      () => cs.resource(cm).update('ns1', obj('a'), { dryRun: true, fieldManager: 'me' }),
      'PUT',
      '/api/v1/namespaces/ns1/configmaps/a?dryRun=All&fieldManager=me',
      'application/json',
    ],
    [
      'updateStatus',
      () => cs.resource(deploy).updateStatus('ns1', obj('d')),
      'PUT',
      '/apis/apps/v1/namespaces/ns1/deployments/d/status',
      'application/json',
    ],
    [
      'json patch',
      () => cs.resource(cm).patch('ns1', 'a', 'json', []),
      'PATCH',
      '/api/v1/namespaces/ns1/configmaps/a',
      'application/json-patch+json',
    ],
    [
      'merge patch',
      () => cs.resource(cm).patch('ns1', 'a', 'merge', {}),
      'PATCH',
      '/api/v1/namespaces/ns1/configmaps/a',
      'application/merge-patch+json',
    ],
    [
      'strategic patch of a subresource',
      () => cs.resource(deploy).patch('ns1', 'd', 'strategic', {}, { subresource: 'scale' }),
      'PATCH',
      '/apis/apps/v1/namespaces/ns1/deployments/d/scale',
      'application/strategic-merge-patch+json',
    ],
    [
      'apply patch with force',
      () => cs.resource(cm).patch('ns1', 'a', 'apply', obj('a'), { fieldManager: 'mgr', force: true }),
      'PATCH',
      '/api/v1/namespaces/ns1/configmaps/a?fieldManager=mgr&force=true',
      'application/apply-patch+yaml',
    ],
    [
      'delete',
      () => cs.resource(cm).delete('ns1', 'a', { propagationPolicy: 'Foreground' }),
      'DELETE',
      '/api/v1/namespaces/ns1/configmaps/a',
      'application/json',
    ],
    [
      'createSubresource',
      () => cs.resource({ group: '', version: 'v1', resource: 'pods' }).createSubresource('ns1', 'p', 'binding', { target: { name: 'n' } }),
      'POST',
      '/api/v1/namespaces/ns1/pods/p/binding',
      'application/json',
    ],
    [
      'updateSubresource',
      async () =>
        cs
          .resource({ group: '', version: 'v1', resource: 'namespaces' })
          .updateSubresource?.('', 'ns1', 'finalize', { metadata: { name: 'ns1' } }),
      'PUT',
      '/api/v1/namespaces/ns1/finalize',
      'application/json',
    ],
    ['names are escaped', () => cs.resource(cm).get('ns1', 'a b'), 'GET', '/api/v1/namespaces/ns1/configmaps/a%20b', undefined],
  ];
  for (const [name, call, method, url, contentType] of cases) {
    it(name, async () => {
      await call();
      const s = last();
      assert.deepEqual([s.method, s.url, s.contentType], [method, url, contentType]);
      assert.equal(s.userAgent, 'k8ts-test/v1.33.0');
      assert.equal(s.auth, 'Bearer t0k');
    });
  }

  it('sends DeleteOptions and returns undefined for a Status', async () => {
    routes.set('/api/v1/namespaces/ns1/configmaps/gone', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 }));
    });
    const got = await cs.resource(cm).delete('ns1', 'gone', { gracePeriodSeconds: 0, preconditions: { uid: 'u1' } });
    assert.equal(got, undefined);
    assert.deepEqual(JSON.parse(last().body), {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'u1' },
    });
    const still = await cs.resource(cm).delete('ns1', 'a');
    assert.equal(still?.metadata.name, 'echo');
  });

  it('throws the StatusError the server sent', async () => {
    routes.set('/api/v1/namespaces/ns1/configmaps/missing', (_req, res) => {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          reason: 'NotFound',
          message: 'configmaps "missing" not found',
          code: 404,
        }),
      );
    });
    await assert.rejects(
      cs.resource(cm).get('ns1', 'missing'),
      (err) => isStatusError(err, 'NotFound') && err.message === 'configmaps "missing" not found',
    );
    await assert.rejects(cs.resource(cm).update('ns1', { metadata: {} }), (err) => isStatusError(err, 'BadRequest'));
  });

  it('retries a 429 with Retry-After', async () => {
    let calls = 0;
    routes.set('/api/v1/namespaces/ns1/configmaps/busy', (_req, res) => {
      if (++calls === 1) {
        res.writeHead(429, { 'Retry-After': '0', 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'TooManyRequests', code: 429 }),
        );
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(obj('busy')));
    });
    assert.equal((await cs.resource(cm).get('ns1', 'busy')).metadata.name, 'busy');
    assert.equal(calls, 2);
  });

  it('learns the scope of unknown resources from discovery, once per group-version', async () => {
    routes.set('/apis/example.com/v1', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'APIResourceList',
          groupVersion: 'example.com/v1',
          resources: [
            { name: 'widgets', namespaced: true },
            { name: 'globals', namespaced: false },
          ],
        }),
      );
    });
    const before = seen.length;
    await cs.resource({ group: 'example.com', version: 'v1', resource: 'widgets' }).get('ns1', 'w');
    await cs.resource({ group: 'example.com', version: 'v1', resource: 'globals' }).get('ns1', 'g');
    const urls = seen.slice(before).map((s) => s.url);
    assert.deepEqual(urls, ['/apis/example.com/v1', '/apis/example.com/v1/namespaces/ns1/widgets/w', '/apis/example.com/v1/globals/g']);
    await assert.rejects(cs.resource({ group: 'example.com', version: 'v1', resource: 'nothere' }).get('', 'x'), (err) =>
      isStatusError(err, 'NotFound'),
    );
    await cs.resource({ group: 'example.com', version: 'v1', resource: 'hinted', namespaced: true }).get('ns1', 'h');
    assert.equal(last().url, '/apis/example.com/v1/namespaces/ns1/hinted/h');
  });
});

describe('watch', () => {
  it('streams events split anywhere, even inside a UTF-8 character, and resolves when the server closes', async () => {
    const lines = [
      { type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '5' }, data: { v: 'ünï ✓' } } },
      { type: 'BOOKMARK', object: { metadata: { resourceVersion: '6' } } },
      { type: 'DELETED', object: { metadata: { name: 'a', resourceVersion: '7' } } },
    ];
    const bytes = Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    const cut = bytes.indexOf(Buffer.from('✓')) + 1;
    routes.set('/api/v1/namespaces/ns1/configmaps', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(bytes.subarray(0, 7));
      setTimeout(() => res.write(bytes.subarray(7, cut)), 10);
      setTimeout(() => res.end(bytes.subarray(cut)), 20);
    });
    const got: WatchEvent[] = [];
    const w = cs
      .resource(cm)
      .watch(
        'ns1',
        { resourceVersion: '4', allowWatchBookmarks: true, timeoutSeconds: 30 },
        (e) => got.push(e),
        new AbortController().signal,
      );
    await w.done;
    assert.equal(last().url, '/api/v1/namespaces/ns1/configmaps?resourceVersion=4&watch=true&allowWatchBookmarks=true&timeoutSeconds=30');
    assert.deepEqual(
      got.map((e) => e.type),
      ['ADDED', 'BOOKMARK', 'DELETED'],
    );
    assert.deepEqual(got[0]?.object['data'], { v: 'ünï ✓' });
  });

  it('stops on abort and resolves', async () => {
    routes.set('/api/v1/namespaces/hang/configmaps', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'x' } } })}\n`);
    });
    const ac = new AbortController();
    const got: string[] = [];
    const w = cs.resource(cm).watch(
      'hang',
      {},
      (e) => {
        got.push(e.type);
        ac.abort();
      },
      ac.signal,
    );
    await w.done;
    assert.deepEqual(got, ['ADDED']);
  });

  it('rejects with the StatusError of a failed start', async () => {
    routes.set('/api/v1/namespaces/old/configmaps', (_req, res) => {
      res.writeHead(410, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          reason: 'Expired',
          message: 'too old resource version: 1 (5)',
          code: 410,
        }),
      );
    });
    const w = cs.resource(cm).watch('old', { resourceVersion: '1' }, () => undefined, new AbortController().signal);
    await assert.rejects(w.done, (err) => isStatusError(err, 'Expired'));
  });

  it('rejects when the connection breaks mid-stream', async () => {
    routes.set('/api/v1/namespaces/broken/configmaps', (req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"type":"ADDED","obj');
      setTimeout(() => req.socket.destroy(), 10);
    });
    const w = cs.resource(cm).watch('broken', {}, () => undefined, new AbortController().signal);
    await assert.rejects(w.done);
  });
});
