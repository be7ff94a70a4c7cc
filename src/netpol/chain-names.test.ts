import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base32, chainHash, isNetworkPolicyChain, podFirewallChainName, policyChainName } from './chain-names.js';

describe('network policy chain names', () => {
  it('base32 is RFC 4648 (its test vectors, padding dropped)', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [input, want] of cases) assert.equal(base32(Buffer.from(input)), want, `base32(${JSON.stringify(input)})`);
  });

  it('hashes as kube-router does: sha256, base32, 16 characters', () => {
    // sha256("") = e3b0c442…; base32 of it starts 4OYMIQUY7QOBJGX3
    assert.equal(chainHash(''), '4OYMIQUY7QOBJGX3');
    assert.match(podFirewallChainName('default', 'web'), /^KUBE-POD-FW-[A-Z2-7]{16}$/);
    assert.ok(policyChainName('default', 'deny', 'ingress').length <= 28);
    assert.notEqual(policyChainName('default', 'deny', 'ingress'), policyChainName('default', 'deny', 'egress'));
    assert.notEqual(podFirewallChainName('ab', 'c'), podFirewallChainName('a', 'bc'));
  });

  it('knows its own chains', () => {
    for (const c of ['KUBE-ROUTER-FORWARD', 'KUBE-ROUTER-INPUT', 'KUBE-POD-FW-ABC', 'KUBE-NWPLCY-ABC'])
      assert.ok(isNetworkPolicyChain(c), c);
    for (const c of ['FORWARD', 'KUBE-SERVICES', 'KUBE-FORWARD', 'CNI-FORWARD']) assert.ok(!isNetworkPolicyChain(c), c);
  });
});
