import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import dnsPacket, { type DecodedPacket, type Packet } from 'dns-packet';
import { Indexer } from '../client/indexer.js';
import { addClusterDNSIndexers, ClusterRecords } from './cluster-records.js';
import { DnsServer } from './dns-server.js';
import { Forwarder } from './forwarder.js';
import { queryTCP, queryUDP } from './testing/dns-client.js';
import { type StaticDnsServer, startStaticDnsServer } from './testing/static-dns-server.js';

const HOST = '127.0.0.1';

function question(name: string, type: 'A' | 'SRV' | 'AAAA' = 'A', edns = false): Packet {
  const opt = {
    type: 'OPT' as const,
    name: '.',
    udpPayloadSize: 4096,
    extendedRcode: 0,
    ednsVersion: 0,
    flags: 0,
    flag_do: false,
    options: [],
  };
  return {
    id: 4242,
    type: 'query',
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type, class: 'IN' }],
    additionals: edns ? [opt] : [],
  };
}

function rcode(p: DecodedPacket): number {
  return (p.flags ?? 0) & 0xf;
}

function records(p: DecodedPacket): string[] {
  return (p.answers ?? []).map((a) => `${a.type} ${String((a as { data: unknown }).data)}`);
}

describe('DnsServer over real sockets', () => {
  let upstream: StaticDnsServer;
  let server: DnsServer;
  let port: number;
  const errors: unknown[] = [];
  const services = new Indexer();
  let zone: ClusterRecords;

  before(async () => {
    upstream = await startStaticDnsServer({
      host: HOST,
      answer: (q) => (q.name === 'example.com' ? [{ type: 'A', name: q.name, ttl: 300, class: 'IN', data: '192.0.2.7' }] : undefined),
    });
    const slices = new Indexer();
    addClusterDNSIndexers(services, slices);
    services.upsert({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace: 'default', name: 'kubernetes' },
      spec: { clusterIP: '10.96.0.1' },
    });
    services.upsert({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name: 'many' }, spec: { clusterIP: 'None' } });
    services.upsert({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace: 'default', name: 'ext' },
      spec: { type: 'ExternalName', externalName: 'example.com' },
    });
    services.upsert({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name: 'lots' }, spec: { clusterIP: 'None' } });
    for (const [service, count] of [
      ['many', 60],
      ['lots', 200],
    ] as const) {
      slices.upsert({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { namespace: 'default', name: `${service}-x`, labels: { 'kubernetes.io/service-name': service } },
        addressType: 'IPv4',
        endpoints: Array.from({ length: count }, (_, i) => ({ addresses: [`10.236.${count}.${i + 1}`] })),
      });
    }
    zone = new ClusterRecords({ domain: 'cluster.local', services, endpointSlices: slices });
    server = new DnsServer({
      zone,
      upstream: new Forwarder({ upstreams: [{ host: HOST, port: upstream.port }] }),
      onError: (err) => errors.push(err),
    });
    port = await server.listen(0, HOST);
  });

  after(async () => {
    await server.close();
    await upstream.close();
  });

  it('answers cluster names over UDP and TCP, authoritatively', async () => {
    for (const ask of [queryUDP, queryTCP]) {
      const got = await ask(HOST, port, question('kubernetes.default.svc.cluster.local'));
      assert.equal(got.id, 4242);
      assert.equal(got.flag_aa, true);
      assert.equal(got.flag_rd, true);
      assert.deepEqual(records(got), ['A 10.96.0.1']);
    }
  });

  it('answers a repeated question under its own id, and afresh once the zone changed', async () => {
    const ask = (id: number) => queryUDP(HOST, port, { ...question('moving.default.svc.cluster.local'), id });
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace: 'default', name: 'moving' },
      spec: { clusterIP: '10.96.0.50' },
    };
    services.upsert(svc);
    zone.noteChange();
    assert.deepEqual(records(await ask(1)), ['A 10.96.0.50']);
    const again = await ask(2);
    assert.equal(again.id, 2);
    assert.deepEqual(records(again), ['A 10.96.0.50']);
    services.upsert({ ...svc, spec: { clusterIP: '10.96.0.51' } });
    zone.noteChange();
    assert.deepEqual(records(await ask(3)), ['A 10.96.0.51']);
  });

  it('says NXDOMAIN with the SOA in authority', async () => {
    const got = await queryUDP(HOST, port, question('nope.default.svc.cluster.local'));
    assert.equal(rcode(got), 3);
    assert.equal(got.authorities?.[0]?.type, 'SOA');
  });

  it('truncates a UDP answer larger than 512 bytes, and TCP carries it whole', async () => {
    const udp = await queryUDP(HOST, port, question('many.default.svc.cluster.local'));
    assert.equal(udp.flag_tc, true);
    assert.deepEqual(udp.answers, []);
    const tcp = await queryTCP(HOST, port, question('many.default.svc.cluster.local'));
    assert.equal(tcp.flag_tc, false);
    assert.equal(tcp.answers?.length, 60);
    // more records than the server encodes through its scratch buffer
    const lots = await queryTCP(HOST, port, question('lots.default.svc.cluster.local'));
    assert.deepEqual(
      lots.answers?.map((a) => (a.type === 'A' ? a.data : '')).sort(),
      Array.from({ length: 200 }, (_, i) => `10.236.200.${i + 1}`).sort(),
    );
  });

  it('sends a larger UDP answer to a client with a larger EDNS buffer', async () => {
    const got = await queryUDP(HOST, port, question('many.default.svc.cluster.local', 'A', true));
    assert.equal(got.flag_tc, false);
    assert.equal(got.answers?.length, 60);
    assert.equal(got.additionals?.[0]?.type, 'OPT');
  });

  it('forwards other names upstream and answers again from its cache', async () => {
    const before = upstream.queries.udp;
    const first = await queryUDP(HOST, port, question('example.com'));
    assert.deepEqual(records(first), ['A 192.0.2.7']);
    assert.equal(first.id, 4242);
    const second = await queryUDP(HOST, port, { ...question('EXAMPLE.com'), id: 7 });
    assert.deepEqual(records(second), ['A 192.0.2.7']);
    assert.equal(second.id, 7);
    assert.equal(upstream.queries.udp, before + 1);
  });

  it('answers an ExternalName with its CNAME and the target’s addresses from upstream', async () => {
    const got = await queryUDP(HOST, port, question('ext.default.svc.cluster.local'));
    assert.deepEqual(records(got), ['CNAME example.com', 'A 192.0.2.7']);
    assert.equal(got.flag_aa, true);
  });

  it('passes the upstream NXDOMAIN on', async () => {
    const got = await queryUDP(HOST, port, question('nothing.example.org'));
    assert.equal(rcode(got), 3);
  });

  it('answers FORMERR to a message it cannot read', async () => {
    const garbage = Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0xff]);
    const got = await new Promise<Buffer>((resolve) => {
      const reply = server.handle(garbage, 'udp');
      assert.ok(Buffer.isBuffer(reply));
      resolve(reply);
    });
    assert.equal(got.readUInt16BE(0), 0x1234);
    assert.equal(got.readUInt16BE(2) & 0xf, 1);
  });
});

describe('DnsServer without a reachable upstream', () => {
  it('answers SERVFAIL', async () => {
    // a port that was free a moment ago: nothing answers there
    const gone = await startStaticDnsServer({ host: HOST, answer: () => undefined });
    const deadPort = gone.port;
    await gone.close();
    const errors: unknown[] = [];
    const server = new DnsServer({
      zone: new ClusterRecords({ domain: 'cluster.local', services: new Indexer(), endpointSlices: new Indexer() }),
      upstream: new Forwarder({ upstreams: [{ host: HOST, port: deadPort }], timeoutMs: 300 }),
      onError: (err) => errors.push(err),
    });
    const port = await server.listen(0, HOST);
    try {
      const got = await queryUDP(HOST, port, question('example.com'));
      assert.equal(rcode(got), 2);
      assert.equal(errors.length, 1);
    } finally {
      await server.close();
    }
  });
});
