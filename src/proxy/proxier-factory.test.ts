import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProxier } from './proxier-factory.js';

const options = { nodeName: 'n1', nodeIPs: ['10.0.0.2'], serviceCIDR: '10.96.0.0/12' };

// (the fallbacks' checks run the real iptables-restore and nft: userspace/fallback.test.ts, nftables/fallback.test.ts)
test('createProxier: each mode its proxier where iptables-restore and nft may program the node', async () => {
  assert.equal((await createProxier('userspace', options)).mode, 'userspace');
  assert.equal((await createProxier('iptables', options)).mode, 'iptables');
  assert.equal((await createProxier('nftables', options)).mode, 'nftables');
});
