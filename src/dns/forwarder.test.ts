import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import { Forwarder } from './forwarder.js';
import { startStaticDnsServer } from './testing/static-dns-server.js';

const HOST = '127.0.0.1';

function query(name: string) {
  return dnsPacket.decode(
    dnsPacket.encode({ id: 99, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: 'A', class: 'IN' }] }),
  );
}

describe('Forwarder', () => {
  it('asks again over TCP when the UDP answer is truncated', async () => {
    const upstream = await startStaticDnsServer({
      host: HOST,
      truncateUDP: true,
      answer: (q) => [{ type: 'A', name: q.name, ttl: 60, class: 'IN', data: '192.0.2.1' }],
    });
    try {
      const got = dnsPacket.decode(await new Forwarder({ upstreams: [{ host: HOST, port: upstream.port }] }).resolve(query('big.example')));
      assert.equal(got.id, 99);
      assert.equal(got.flag_tc, false);
      assert.deepEqual(
        got.answers?.map((a) => (a as { data: unknown }).data),
        ['192.0.2.1'],
      );
      assert.deepEqual(upstream.queries, { udp: 1, tcp: 1 });
    } finally {
      await upstream.close();
    }
  });

  it('tries the next upstream when one does not answer', async () => {
    const silent = await startStaticDnsServer({ host: HOST, answer: () => undefined });
    const deadPort = silent.port;
    await silent.close();
    const upstream = await startStaticDnsServer({
      host: HOST,
      answer: (q) => [{ type: 'A', name: q.name, ttl: 60, class: 'IN', data: '192.0.2.2' }],
    });
    try {
      const forwarder = new Forwarder({
        upstreams: [
          { host: HOST, port: deadPort },
          { host: HOST, port: upstream.port },
        ],
        timeoutMs: 300,
      });
      const got = dnsPacket.decode(await forwarder.resolve(query('second.example')));
      assert.equal((got.answers?.[0] as { data: unknown } | undefined)?.data, '192.0.2.2');
    } finally {
      await upstream.close();
    }
  });
});
