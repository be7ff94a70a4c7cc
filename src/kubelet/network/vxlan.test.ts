import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { podNetworkBackendConformance } from './testing/conformance.js';
import { VxlanBackend, vxlanPlan, vtepGateway } from './vxlan.js';

describe('vxlanPlan', () => {
  it('per remote: a route onlink via its VTEP gateway, a neighbour entry and an FDB entry', () => {
    const plan = vxlanPlan([
      { name: 'b', podCIDR: '10.244.2.0/24', publicIP: '192.168.1.12', backendType: 'vxlan', vtepMAC: '0a:00:00:00:00:02' },
      { name: 'c', podCIDR: '10.244.3.0/24', publicIP: '192.168.1.13', backendType: 'vxlan' },
    ]);
    assert.deepEqual(plan, {
      routes: [{ dst: '10.244.2.0/24', via: '10.244.2.0', dev: 'k8ts.1', onlink: true }],
      neighbours: [{ ip: '10.244.2.0', mac: '0a:00:00:00:00:02' }],
      fdb: [{ mac: '0a:00:00:00:00:02', dst: '192.168.1.12' }],
    });
  });

  it('takes the network address of a podCIDR as its VTEP gateway', () => {
    assert.equal(vtepGateway('10.244.7.0/24'), '10.244.7.0');
    assert.equal(vtepGateway('10.244.7.128/25'), '10.244.7.128');
  });
});

podNetworkBackendConformance('vxlan', (run) => new VxlanBackend({ run }));
