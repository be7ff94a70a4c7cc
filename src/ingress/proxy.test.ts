import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, createServer, get, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import type { EndpointAddress, Router, ServiceBackend } from './interface.js';
import { IngressProxy } from './proxy.js';

const port = (s: Server): number => (s.address() as AddressInfo).port;

/** GET through the proxy; resolves status, headers and body. */
async function fetchVia(
  proxyPort: number,
  path: string,
  host: string,
  agent?: Agent,
): Promise<{ status: number; body: string; res: IncomingMessage }> {
  const res = await new Promise<IncomingMessage>((resolve, reject) =>
    get({ host: '127.0.0.1', port: proxyPort, path, headers: { host }, ...(agent ? { agent } : {}) }, resolve).on('error', reject),
  );
  let body = '';
  for await (const chunk of res) body += chunk;
  return { status: res.statusCode ?? 0, body, res };
}

describe('IngressProxy', () => {
  let backend: Server;
  let proxyServer: Server;
  let proxy: IngressProxy;
  let wss: WebSocketServer;
  const endpoints = new Map<string, EndpointAddress | undefined>();
  let router: Router;
  const routeTo = (service: string | undefined): Router => ({
    route: () => ({
      backend: service ? { namespace: 'default', service, port: 80 } : undefined,
      ingress: service ? 'default/i' : undefined,
    }),
  });

  before(async () => {
    backend = createServer((req, res) => {
      if (req.url === '/stream') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first\n');
        setTimeout(() => res.end('second\n'), 50);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', connection: 'keep-alive' });
      res.end(JSON.stringify({ url: req.url, headers: req.headers }));
    });
    wss = new WebSocketServer({ server: backend });
    wss.on('connection', (ws) => ws.on('message', (m) => ws.send(`echo ${m.toString()}`)));
    backend.listen(0, '127.0.0.1');
    await once(backend, 'listening');
    endpoints.set('web', { ip: '127.0.0.1', port: port(backend) });
    endpoints.set('empty', undefined);
    endpoints.set('broken', { ip: '127.0.0.1', port: 1 });
    router = routeTo('web');
    // flaky: a refusing endpoint, then the working one, in turn
    let flaky = 0;
    const pick = (b: ServiceBackend): EndpointAddress | undefined =>
      b.service === 'flaky' ? endpoints.get(flaky++ % 2 === 0 ? 'broken' : 'web') : endpoints.get(b.service);
    proxy = new IngressProxy({ router: () => router, picker: { pick } });
    proxyServer = proxy.serve(createServer());
    proxyServer.listen(0, '127.0.0.1');
    await once(proxyServer, 'listening');
  });

  after(async () => {
    proxy.close();
    proxyServer.closeAllConnections();
    backend.closeAllConnections();
    wss.close();
    await Promise.all([new Promise((r) => proxyServer.close(r)), new Promise((r) => backend.close(r))]);
  });

  it('forwards to the endpoint with the X-Forwarded headers and without hop-by-hop ones', async () => {
    router = routeTo('web');
    const { status, body } = await fetchVia(port(proxyServer), '/a?b=1', 'app.example');
    assert.equal(status, 200);
    const seen = JSON.parse(body) as { url: string; headers: Record<string, string> };
    assert.equal(seen.url, '/a?b=1');
    assert.equal(seen.headers['host'], 'app.example');
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen.headers['x-real-ip'], '127.0.0.1');
    assert.equal(seen.headers['x-forwarded-host'], 'app.example');
    assert.equal(seen.headers['x-forwarded-proto'], 'http');
    assert.equal(seen.headers['x-forwarded-port'], String(port(proxyServer)));
  });

  const errors: [name: string, service: string | undefined, status: number, title: string][] = [
    ['404 when no rule matches', undefined, 404, '404 Not Found'],
    ['503 when the backend has no ready endpoint', 'empty', 503, '503 Service Temporarily Unavailable'],
    ['502 when the endpoint refuses', 'broken', 502, '502 Bad Gateway'],
  ];
  for (const [name, service, want, title] of errors) {
    it(name, async () => {
      router = routeTo(service);
      const { status, body, res } = await fetchVia(port(proxyServer), '/', 'x');
      assert.equal(status, want);
      assert.equal(res.headers['content-type'], 'text/html');
      assert.match(body, new RegExp(`<title>${title}</title>`));
    });
  }

  it('tries the next endpoint for a request without a body, not for one with a body', async () => {
    router = routeTo('flaky');
    const got = await fetchVia(port(proxyServer), '/retry', 'x');
    assert.equal(got.status, 200);
    const posted = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: port(proxyServer), method: 'POST', path: '/', headers: { 'content-length': 2 } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('hi');
    });
    assert.equal(posted, 502);
  });

  it('streams a response as it comes', async () => {
    router = routeTo('web');
    const res = await new Promise<IncomingMessage>((resolve) =>
      get({ port: port(proxyServer), host: '127.0.0.1', path: '/stream' }, resolve),
    );
    const [first] = (await once(res, 'data')) as [Buffer];
    assert.equal(first.toString(), 'first\n');
    let rest = '';
    for await (const chunk of res) rest += chunk;
    assert.equal(rest, 'second\n');
  });

  it('keeps a keep-alive connection across a routing change', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    router = routeTo('web');
    const a = await fetchVia(port(proxyServer), '/', 'x', agent);
    const socketA = a.res.socket;
    router = routeTo('empty');
    const b = await fetchVia(port(proxyServer), '/', 'x', agent);
    assert.equal(a.status, 200);
    assert.equal(b.status, 503);
    assert.equal(b.res.socket, socketA, 'the same client connection');
    agent.destroy();
  });

  it('passes a WebSocket through', async () => {
    router = routeTo('web');
    const ws = new WebSocket(`ws://127.0.0.1:${port(proxyServer)}/ws`);
    await once(ws, 'open');
    ws.send('hi');
    const [msg] = (await once(ws, 'message')) as [Buffer];
    assert.equal(msg.toString(), 'echo hi');
    ws.close();
    await once(ws, 'close');
  });

  it('answers 503 to an upgrade without endpoints', async () => {
    router = routeTo('empty');
    const ws = new WebSocket(`ws://127.0.0.1:${port(proxyServer)}/ws`);
    ws.on('error', () => undefined);
    const [, res] = (await once(ws, 'unexpected-response')) as [unknown, IncomingMessage];
    assert.equal(res.statusCode, 503);
    res.resume();
    ws.terminate();
  });
});
