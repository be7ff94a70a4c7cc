import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import { DnsMetrics } from './metrics.js';

function reply(rcode: number): Buffer {
  return dnsPacket.encode({ id: 1, type: 'response', flags: rcode, questions: [{ name: 'x', type: 'A', class: 'IN' }] });
}

describe('DnsMetrics', () => {
  it('counts requests by zone, proto and type, and responses by rcode, in the text format', () => {
    const m = new DnsMetrics({ server: 'dns://10.0.0.5:53' });
    m.observe({ zone: 'cluster.local.', proto: 'udp', type: 'A', reply: reply(0) });
    m.observe({ zone: 'cluster.local.', proto: 'udp', type: 'A', reply: reply(3) });
    m.observe({ zone: '.', proto: 'tcp', type: 'AAAA', reply: reply(2) });
    assert.equal(
      m.render(),
      [
        '# HELP coredns_dns_requests_total Counter of DNS requests made per zone, protocol and family.',
        '# TYPE coredns_dns_requests_total counter',
        'coredns_dns_requests_total{server="dns://10.0.0.5:53",zone="cluster.local.",view="",proto="udp",family="1",type="A"} 2',
        'coredns_dns_requests_total{server="dns://10.0.0.5:53",zone=".",view="",proto="tcp",family="1",type="AAAA"} 1',
        '# HELP coredns_dns_responses_total Counter of response status codes.',
        '# TYPE coredns_dns_responses_total counter',
        'coredns_dns_responses_total{server="dns://10.0.0.5:53",zone="cluster.local.",view="",rcode="NOERROR",plugin=""} 1',
        'coredns_dns_responses_total{server="dns://10.0.0.5:53",zone="cluster.local.",view="",rcode="NXDOMAIN",plugin=""} 1',
        'coredns_dns_responses_total{server="dns://10.0.0.5:53",zone=".",view="",rcode="SERVFAIL",plugin=""} 1',
        '',
      ].join('\n'),
    );
  });
});
