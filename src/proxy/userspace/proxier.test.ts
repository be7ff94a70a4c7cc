import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Endpoint, ServicePort } from '../interface.js';
import { desiredBindings, UserspaceProxier } from './proxier.js';
import type { ServiceAddresses } from './service-addresses.js';
import { endpoint, servicePort } from './testing.js';

/** Records what the proxier asks of the service device (loopback addresses are local already). */
class FakeAddresses implements ServiceAddresses {
  current = new Set<string>();
  cleanedUp = false;
  async ensure(addresses: ReadonlySet<string>): Promise<void> {
    this.current = new Set(addresses);
  }
  async cleanup(): Promise<void> {
    this.cleanedUp = true;
  }
}

/** A TCP server that answers every connection with its name, then what it was sent once the client ends. */
async function namedServer(name: string): Promise<Server> {
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const got: Buffer[] = [];
    socket.on('data', (d) => got.push(d));
    socket.on('end', () => socket.end(`${name}:${Buffer.concat(got).toString()}`));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

/**
 * A port free on 0.0.0.0 in the node port range (30000–32767), below Linux's ephemeral range, so
 * no outgoing connection of a test running beside this one takes it before the proxier listens.
 */
async function freePort(): Promise<number> {
  const start = 30000 + Math.floor(Math.random() * 2768);
  for (let i = 0; i < 2768; i++) {
    const port = 30000 + ((start - 30000 + i) % 2768);
    const server = createServer();
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '0.0.0.0', () => resolve(true));
    });
    if (bound) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return port;
    }
  }
  throw new Error('no free port in 30000–32767');
}

/** Sends `body`, half-closes, and returns the answer; rejects with the socket's error (ECONNREFUSED …). */
function request(ip: string, port: number, body = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: ip, port, allowHalfOpen: true }, () => socket.end(body));
    const got: Buffer[] = [];
    socket.on('data', (d) => got.push(d));
    socket.on('end', () => resolve(Buffer.concat(got).toString()));
    socket.on('error', reject);
  });
}

const portOf = (s: Server) => (s.address() as AddressInfo).port;
const state = (entries: Array<[ServicePort, Endpoint[]]>) => ({
  services: new Map(entries.map(([sp]) => [sp.key, sp])),
  endpoints: new Map(entries.map(([sp, eps]) => [sp.key, eps])),
});

describe('desiredBindings', () => {
  it('cluster IPs, external IPs, local load balancer IPs, node ports on their addresses; no SCTP', () => {
    const sp = servicePort('web', {
      clusterIPs: ['10.96.0.5'],
      externalIPs: ['192.0.2.7'],
      loadBalancerIPs: ['10.0.0.2', '198.51.100.1'],
      nodePort: 30080,
    });
    const ids = desiredBindings(
      [sp, servicePort('s', { protocol: 'SCTP', clusterIPs: ['10.96.0.6'] })],
      ['0.0.0.0'],
      (ip) => ip === '10.0.0.2',
    );
    assert.deepEqual(
      ids.map((b) => `${b.protocol} ${b.ip}:${b.port} ${b.scope}`),
      ['TCP 10.96.0.5:80 internal', 'TCP 192.0.2.7:80 external', 'TCP 10.0.0.2:80 external', 'TCP 0.0.0.0:30080 external'],
    );
  });
});

describe('UserspaceProxier on loopback', () => {
  const backends: Server[] = [];
  let port = 0;
  const clusterIP = '127.0.0.50';
  before(async () => {
    for (const name of ['a', 'b', 'c']) backends.push(await namedServer(name));
    port = await freePort();
  });
  after(() => {
    for (const b of backends) b.close();
  });
  const eps = (...which: number[]) => which.map((i) => endpoint('127.0.0.1', portOf(backends[i] as Server)));

  it('round-robins connections to the cluster IP over the ready endpoints; half-closes pass through', async (t) => {
    const addresses = new FakeAddresses();
    const proxier = new UserspaceProxier({ addresses });
    t.after(() => proxier.cleanup());
    const sp = servicePort('web', { clusterIPs: [clusterIP], port });
    const result = await proxier.sync(
      state([[sp, [...eps(0, 1, 2), endpoint('127.0.0.1', 1, { ready: false, serving: false })]]]),
      new Set([sp.key]),
    );
    assert.equal(result.kind, 'full');
    assert.deepEqual([...addresses.current], [clusterIP]);
    const names = [];
    for (let i = 0; i < 6; i++) {
      const [name, body] = (await request(clusterIP, port, `hi${i}`)).split(':');
      assert.equal(body, `hi${i}`);
      names.push(name);
    }
    // in turn: the three endpoints, then the same three again
    assert.deepEqual(new Set(names.slice(0, 3)), new Set(['a', 'b', 'c']));
    assert.deepEqual(names.slice(3), names.slice(0, 3));
  });

  it('refuses without endpoints; new connections follow endpoint changes; a removed service is refused and loses its address', async (t) => {
    const addresses = new FakeAddresses();
    const proxier = new UserspaceProxier({ addresses });
    t.after(() => proxier.cleanup());
    const sp = servicePort('web', { clusterIPs: [clusterIP], port });
    await proxier.sync(state([[sp, []]]), new Set([sp.key]));
    assert.deepEqual([...addresses.current], [clusterIP]);
    await assert.rejects(request(clusterIP, port), { code: 'ECONNREFUSED' });
    const second = await proxier.sync(state([[sp, eps(1)]]), new Set([sp.key]));
    assert.equal(second.kind, 'partial');
    assert.equal(await request(clusterIP, port, 'x'), 'b:x');
    await proxier.sync(state([[sp, eps(2)]]), new Set([sp.key]));
    assert.equal(await request(clusterIP, port, 'y'), 'c:y');
    await proxier.sync(state([]), new Set([sp.key]));
    assert.deepEqual([...addresses.current], []);
    await assert.rejects(request(clusterIP, port), { code: 'ECONNREFUSED' });
  });

  it('a dial that fails goes on to the next endpoint', async (t) => {
    const proxier = new UserspaceProxier({ addresses: new FakeAddresses() });
    t.after(() => proxier.cleanup());
    const sp = servicePort('web', { clusterIPs: [clusterIP], port });
    const dead = endpoint('127.0.0.1', await freePort());
    await proxier.sync(state([[sp, [dead, ...eps(0)]]]), new Set([sp.key]));
    assert.deepEqual([await request(clusterIP, port, '1'), await request(clusterIP, port, '2')], ['a:1', 'a:2']);
  });

  it('a node port listens on 0.0.0.0 (127.0.0.1 too); cleanup closes it and removes the device', async (t) => {
    const addresses = new FakeAddresses();
    const proxier = new UserspaceProxier({ addresses });
    t.after(() => proxier.cleanup());
    const nodePort = await freePort();
    const sp = servicePort('web', { clusterIPs: [clusterIP], port, nodePort, externalPolicyLocal: true });
    await proxier.sync(
      state([[sp, [...eps(0), endpoint('127.0.0.1', portOf(backends[1] as Server), { isLocal: true })]]]),
      new Set([sp.key]),
    );
    // externalTrafficPolicy Local: node port traffic to the local endpoint only
    assert.deepEqual([await request('127.0.0.1', nodePort, '1'), await request('127.0.0.1', nodePort, '2')], ['b:1', 'b:2']);
    await proxier.cleanup();
    assert.equal(addresses.cleanedUp, true);
    await assert.rejects(request('127.0.0.1', nodePort), { code: 'ECONNREFUSED' });
    await assert.rejects(request(clusterIP, port), { code: 'ECONNREFUSED' });
  });

  it('listens on a load balancer IP that is the node’s (not on one that is not)', async (t) => {
    const proxier = new UserspaceProxier({ addresses: new FakeAddresses() });
    t.after(() => proxier.cleanup());
    const lbPort = await freePort();
    const sp = servicePort('web', { clusterIPs: [clusterIP], port: lbPort, loadBalancerIPs: ['127.0.0.1', '192.0.2.1'] });
    await proxier.sync(state([[sp, eps(2)]]), new Set([sp.key]));
    assert.equal(await request('127.0.0.1', lbPort, 'lb'), 'c:lb');
  });

  it('closes connections to a load balancer IP from outside its loadBalancerSourceRanges', async (t) => {
    const proxier = new UserspaceProxier({ addresses: new FakeAddresses() });
    t.after(() => proxier.cleanup());
    const lbPort = await freePort();
    const sp = servicePort('web', {
      clusterIPs: [clusterIP],
      port: lbPort,
      loadBalancerIPs: ['127.0.0.1'],
      loadBalancerSourceRanges: ['192.0.2.0/24'],
    });
    await proxier.sync(state([[sp, eps(2)]]), new Set([sp.key]));
    await assert.rejects(request('127.0.0.1', lbPort, 'lb'));
    const allowed = { ...sp, loadBalancerSourceRanges: ['192.0.2.0/24', '127.0.0.0/8'] };
    await proxier.sync(state([[allowed, eps(2)]]), new Set([sp.key]));
    assert.match(await request('127.0.0.1', lbPort, 'lb'), /:lb$/);
  });

  it('UDP: a client session keeps its endpoint, replies come from the service address, idle sessions end', async (t) => {
    const echoes = await Promise.all(
      ['u1', 'u2'].map(async (name) => {
        const s = createSocket('udp4');
        s.on('message', (msg, from) => s.send(`${name}:${msg}`, from.port, from.address));
        s.bind(0, '127.0.0.1');
        await once(s, 'listening');
        return s;
      }),
    );
    const proxier = new UserspaceProxier({ addresses: new FakeAddresses(), udpIdleTimeoutMs: 100 });
    const client = createSocket('udp4');
    t.after(async () => {
      await proxier.cleanup();
      for (const s of [...echoes, client]) s.close();
    });
    const sp = servicePort('dns', { protocol: 'UDP', clusterIPs: [clusterIP], port });
    await proxier.sync(state([[sp, echoes.map((s) => endpoint('127.0.0.1', s.address().port))]]), new Set([sp.key]));
    client.bind(0, '127.0.0.1');
    await once(client, 'listening');
    const ask = async (body: string) => {
      client.send(body, port, clusterIP);
      const [msg, from] = (await once(client, 'message', { signal: AbortSignal.timeout(5000) })) as [
        Buffer,
        { address: string; port: number },
      ];
      assert.equal(`${from.address}:${from.port}`, `${clusterIP}:${port}`);
      return msg.toString();
    };
    const first = await ask('q1');
    const name = first.split(':')[0];
    assert.equal(await ask('q2'), `${name}:q2`);
    await new Promise((r) => setTimeout(r, 300)); // the session idles out: the next datagram starts a new one
    const other = name === 'u1' ? 'u2' : 'u1';
    assert.equal(await ask('q3'), `${other}:q3`);
  });
});
