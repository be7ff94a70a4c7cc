import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket, { type Answer, type Question } from 'dns-packet';
import { ResponseCache } from './response-cache.js';

const Q: Question = { name: 'example.com', type: 'A', class: 'IN' };

function reply(rcode: number, answers: Answer[], authorities: Answer[] = []): Buffer {
  return dnsPacket.encode({ id: 1, type: 'response', flags: rcode, questions: [Q], answers, authorities });
}

const SOA: Answer = {
  type: 'SOA',
  name: 'com',
  ttl: 900,
  class: 'IN',
  data: { mname: 'a.gtld', rname: 'nstld', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 12 },
};

describe('ResponseCache', () => {
  it('serves an answer with its TTL counted down until it expires', () => {
    let now = 1_000_000;
    const cache = new ResponseCache({ now: () => now });
    cache.store(Q, reply(0, [{ type: 'A', name: 'example.com', ttl: 20, class: 'IN', data: '192.0.2.1' }]));
    now += 7_500;
    const hit = dnsPacket.decode(cache.lookup({ ...Q, name: 'EXAMPLE.COM.' }, 5) as Buffer);
    assert.equal(hit.id, 5);
    assert.equal((hit.answers?.[0] as { ttl?: number } | undefined)?.ttl, 13);
    now += 12_500;
    assert.equal(cache.lookup(Q, 5), undefined);
    assert.equal(cache.size, 0);
  });

  it('keeps nothing longer than maxTTL', () => {
    let now = 0;
    const cache = new ResponseCache({ now: () => now, maxTTL: 30 });
    cache.store(Q, reply(0, [{ type: 'A', name: 'example.com', ttl: 3600, class: 'IN', data: '192.0.2.1' }]));
    now += 29_000;
    assert.ok(cache.lookup(Q, 1));
    now += 1_000;
    assert.equal(cache.lookup(Q, 1), undefined);
  });

  it('keeps NXDOMAIN for the SOA minimum, and no SERVFAIL', () => {
    let now = 0;
    const cache = new ResponseCache({ now: () => now });
    cache.store(Q, reply(3, [], [SOA]));
    now += 11_000;
    assert.equal((dnsPacket.decode(cache.lookup(Q, 1) as Buffer).flags ?? 0) & 0xf, 3);
    now += 1_000;
    assert.equal(cache.lookup(Q, 1), undefined);
    cache.store(Q, reply(2, []));
    assert.equal(cache.size, 0);
  });
});
