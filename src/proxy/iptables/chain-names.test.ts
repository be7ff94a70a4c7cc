import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChainNames, chainHash, endpointChain, servicePortChains } from './chain-names.js';

describe('chain names', () => {
  it('hash as upstream kube-proxy does (its test fixtures)', () => {
    assert.deepEqual(servicePortChains('ns1/svc1:p80', 'TCP'), {
      cluster: 'KUBE-SVC-XPGD46QRK7WJZT7O',
      local: 'KUBE-SVL-XPGD46QRK7WJZT7O',
      external: 'KUBE-EXT-XPGD46QRK7WJZT7O',
      firewall: 'KUBE-FW-XPGD46QRK7WJZT7O',
    });
    assert.equal(endpointChain('ns1/svc1:p80', 'TCP', '10.180.0.1:80'), 'KUBE-SEP-SXIVWICOYRO3J4NJ');
    assert.match(chainHash(''), /^[A-Z2-7]{16}$/);
  });

  it('remembers names until a service port is forgotten', () => {
    const names = new ChainNames();
    assert.equal(names.endpoint('ns1/svc1:p80', 'TCP', '10.180.0.1:80'), 'KUBE-SEP-SXIVWICOYRO3J4NJ');
    assert.equal(names.servicePort('ns1/svc1:p80', 'TCP').cluster, 'KUBE-SVC-XPGD46QRK7WJZT7O');
    // a protocol change names other chains
    assert.notEqual(names.servicePort('ns1/svc1:p80', 'UDP').cluster, 'KUBE-SVC-XPGD46QRK7WJZT7O');
    names.forget('ns1/svc1:p80');
    assert.equal(names.servicePort('ns1/svc1:p80', 'TCP').cluster, 'KUBE-SVC-XPGD46QRK7WJZT7O');
  });
});
