import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalName, endpointName, inZone, parseClusterName, reverseIPv4 } from './names.js';

describe('parseClusterName', () => {
  const cases: [string, ReturnType<typeof parseClusterName>][] = [
    ['cluster.local', { kind: 'apex' }],
    ['dns-version.cluster.local', { kind: 'dns-version' }],
    ['svc.cluster.local', { kind: 'empty' }],
    ['default.svc.cluster.local', { kind: 'empty', namespace: 'default' }],
    ['web.default.svc.cluster.local', { kind: 'service', namespace: 'default', service: 'web' }],
    ['web-0.nginx.default.svc.cluster.local', { kind: 'endpoint', namespace: 'default', service: 'nginx', endpoint: 'web-0' }],
    ['_tcp.web.default.svc.cluster.local', { kind: 'empty', namespace: 'default', service: 'web', protocol: 'tcp' }],
    ['_http._tcp.web.default.svc.cluster.local', { kind: 'port', namespace: 'default', service: 'web', protocol: 'tcp', port: 'http' }],
    ['x._tcp.web.default.svc.cluster.local', { kind: 'none' }],
    ['a.b.c.default.svc.cluster.local', { kind: 'none' }],
    ['pod.cluster.local', { kind: 'empty' }],
    ['10-1-2-3.default.pod.cluster.local', { kind: 'pod', namespace: 'default', ip: '10.1.2.3' }],
    ['10-1-2.default.pod.cluster.local', { kind: 'none' }],
    ['other.cluster.local', { kind: 'none' }],
  ];
  for (const [name, want] of cases) it(name, () => assert.deepEqual(parseClusterName(name, 'cluster.local'), want));
});

describe('names', () => {
  it('canonicalName lowercases and drops the root dot', () =>
    assert.equal(canonicalName('Web.Default.SVC.cluster.local.'), 'web.default.svc.cluster.local'));
  it('inZone takes the zone and names below it only', () => {
    assert.equal(inZone('cluster.local', 'cluster.local'), true);
    assert.equal(inZone('a.cluster.local', 'cluster.local'), true);
    assert.equal(inZone('acluster.local', 'cluster.local'), false);
  });
  it('reverseIPv4 reads d.c.b.a.in-addr.arpa', () => {
    assert.equal(reverseIPv4('10.0.96.10.in-addr.arpa'), '10.96.0.10');
    assert.equal(reverseIPv4('0.96.10.in-addr.arpa'), undefined);
    assert.equal(reverseIPv4('300.0.96.10.in-addr.arpa'), undefined);
  });
  it('endpointName is the hostname, else the dashed IP', () => {
    assert.equal(endpointName('10.0.0.5', 'web-0'), 'web-0');
    assert.equal(endpointName('10.0.0.5', undefined), '10-0-0-5');
  });
});
