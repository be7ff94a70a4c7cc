import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket, { type DecodedPacket } from 'dns-packet';
import type { Upstream } from './interface.js';
import { SplitUpstream } from './node-local-dns.js';

/** An upstream that answers with its own name in the first byte. */
function named(tag: number): Upstream {
  return { resolve: async () => Buffer.from([tag]) };
}

function query(name: string, type: 'A' | 'PTR' = 'A'): DecodedPacket {
  return dnsPacket.decode(dnsPacket.encode({ id: 1, type: 'query', questions: [{ name, type, class: 'IN' }] }));
}

describe('SplitUpstream', () => {
  const split = new SplitUpstream({ clusterDomain: 'cluster.local', cluster: named(1), other: named(2) });
  const cases: [string, 'A' | 'PTR', number][] = [
    ['web.default.svc.cluster.local', 'A', 1],
    ['Web.Default.SVC.Cluster.Local.', 'A', 1],
    ['cluster.local', 'A', 1],
    ['10.0.96.10.in-addr.arpa', 'PTR', 1],
    ['example.com', 'A', 2],
    ['notcluster.local', 'A', 2],
  ];
  for (const [name, type, want] of cases) {
    it(`${type} ${name} → ${want === 1 ? 'kube-dns' : 'the upstream resolvers'}`, async () => {
      assert.equal((await split.resolve(query(name, type)))[0], want);
    });
  }
});
