import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HostGwBackend, hostGwRoutes } from './host-gw.js';
import { podNetworkBackendConformance } from './testing/conformance.js';

describe('hostGwRoutes', () => {
  it('routes each remote podCIDR via the remote node’s address', () => {
    assert.deepEqual(
      hostGwRoutes([
        { name: 'b', podCIDR: '10.244.2.0/24', publicIP: '192.168.1.12', backendType: 'host-gw' },
        { name: 'c', podCIDR: '10.244.3.0/24', publicIP: '192.168.1.13', backendType: 'host-gw' },
      ]),
      [
        { dst: '10.244.2.0/24', via: '192.168.1.12' },
        { dst: '10.244.3.0/24', via: '192.168.1.13' },
      ],
    );
  });
});

podNetworkBackendConformance('host-gw', (run) => new HostGwBackend({ run }));
