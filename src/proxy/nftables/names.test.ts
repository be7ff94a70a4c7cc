import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointNames, hashAndTruncate, isAffinitySet, isServiceChain, servicePortChains } from './names.js';

const port = { namespace: 'ns1', name: 'svc1', portName: 'p80', protocol: 'TCP' };

test('service port and endpoint names are upstream nftables kube-proxy names', () => {
  // as in upstream's pkg/proxy/nftables tests
  assert.deepEqual(servicePortChains(port), {
    cluster: 'service-ULMVA6XW-ns1/svc1/tcp/p80',
    local: 'local-ULMVA6XW-ns1/svc1/tcp/p80',
    external: 'external-ULMVA6XW-ns1/svc1/tcp/p80',
    firewall: 'firewall-ULMVA6XW-ns1/svc1/tcp/p80',
  });
  assert.deepEqual(endpointNames(port, '10.180.0.1', 80), {
    chain: 'endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80',
    affinitySet: 'affinity-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80',
  });
});

test('a name too long for nft is cut, the hash keeping it unique', () => {
  const long = hashAndTruncate('x'.repeat(300));
  assert.equal(long.length, 240);
  assert.ok(long.endsWith('...'));
  assert.notEqual(hashAndTruncate(`${'x'.repeat(299)}y`), long);
});

test('service and endpoint chains and affinity sets are told from the fixed ones', () => {
  assert.equal(isServiceChain(servicePortChains(port).cluster), true);
  assert.equal(isServiceChain('services'), false);
  assert.equal(isServiceChain('nat-prerouting'), false);
  assert.equal(isAffinitySet(endpointNames(port, '10.180.0.1', 80).affinitySet), true);
  assert.equal(isAffinitySet('cluster-ips'), false);
});
