import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import type { Endpoint, ProxyState, ServicePort } from '../interface.js';
import { ServiceHealthServers, serviceHealthPorts } from './service-health.js';

const lb = (healthCheckNodePort: number): ServicePort => ({
  key: 'default/web:http',
  namespace: 'default',
  name: 'web',
  portName: 'http',
  protocol: 'TCP',
  clusterIPs: ['10.96.0.30'],
  port: 80,
  nodePort: 30080,
  externalIPs: [],
  loadBalancerIPs: ['192.0.2.9'],
  externalPolicyLocal: true,
  internalPolicyLocal: false,
  healthCheckNodePort,
});
const ep = (ip: string, isLocal: boolean, ready = true): Endpoint => ({
  ip,
  port: 8080,
  ready,
  serving: ready,
  terminating: false,
  isLocal,
});
const stateOf = (port: ServicePort, endpoints: Endpoint[]): ProxyState => ({
  services: new Map([[port.key, port]]),
  endpoints: new Map([[port.key, endpoints]]),
});

/** A port free on loopback now. */
const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('serviceHealthPorts', () => {
  it('counts the ready local endpoints of Services with a health check node port', () => {
    const got = serviceHealthPorts(stateOf(lb(32000), [ep('10.244.0.5', true), ep('10.244.1.5', false), ep('10.244.0.6', true, false)]));
    assert.deepEqual([...got], [[32000, { namespace: 'default', name: 'web', localEndpoints: 1 }]]);
    assert.equal(serviceHealthPorts(stateOf({ ...lb(32000), externalPolicyLocal: false }, [])).size, 0);
  });
});

describe('ServiceHealthServers', () => {
  it('answers on the health check node port: 200 with local endpoints, 503 without; closes when the Service goes', async () => {
    const port = await freePort();
    let proxyHealthy = true;
    const servers = new ServiceHealthServers({ host: '127.0.0.1', proxyHealthy: () => proxyHealthy });
    try {
      await servers.sync(stateOf(lb(port), [ep('10.244.0.5', true), ep('10.244.0.7', true)]));
      let res = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.equal(
        await res.text(),
        '{\n\t"service": {\n\t\t"namespace": "default",\n\t\t"name": "web"\n\t},\n\t"localEndpoints": 2,\n\t"serviceProxyHealthy": true\n}',
      );
      proxyHealthy = false;
      res = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(res.status, 503);
      assert.equal(((await res.json()) as { serviceProxyHealthy: boolean }).serviceProxyHealthy, false);
      proxyHealthy = true;
      await servers.sync(stateOf(lb(port), [ep('10.244.1.5', false)]));
      res = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(res.status, 503);
      assert.equal(((await res.json()) as { localEndpoints: number }).localEndpoints, 0);
      await servers.sync({ services: new Map(), endpoints: new Map() });
      await assert.rejects(fetch(`http://127.0.0.1:${port}/`));
    } finally {
      await servers.close();
    }
  });

  it('a port in use is logged once and taken once it is free', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    const logs: string[] = [];
    const servers = new ServiceHealthServers({ host: '127.0.0.1', proxyHealthy: () => true, log: (m) => logs.push(m) });
    try {
      const state = stateOf(lb(port), [ep('10.244.0.5', true)]);
      await servers.sync(state);
      await servers.sync(state);
      assert.equal(logs.length, 1);
      assert.match(logs[0] ?? '', /EADDRINUSE/);
      await new Promise<void>((resolve) => holder.close(() => resolve()));
      await servers.sync(state);
      assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200);
    } finally {
      holder.close();
      await servers.close();
    }
  });
});
