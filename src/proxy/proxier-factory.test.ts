import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProxier } from './proxier-factory.js';

const options = { nodeName: 'n1', nodeIPs: ['10.0.0.2'], serviceCIDR: '10.96.0.0/12' };

// (the fallback's check runs the real iptables-restore: userspace/fallback.test.ts)
test('createProxier: each mode its proxier; iptables where iptables-restore may program the node', async () => {
  assert.equal((await createProxier('userspace', options)).mode, 'userspace');
  assert.equal((await createProxier('iptables', options)).mode, 'iptables');
});
