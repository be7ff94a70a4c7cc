import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../machinery/object.js';
import { remoteNodes } from './remote-nodes.js';

const node = (name: string, annotations: Record<string, string>, podCIDR?: string, internalIP?: string): KubeObject => ({
  metadata: { name, annotations },
  spec: podCIDR ? { podCIDR } : {},
  status: { addresses: internalIP ? [{ type: 'InternalIP', address: internalIP }] : [] },
});

const vxlan = (mac: string, ip?: string): Record<string, string> => ({
  'flannel.alpha.coreos.com/backend-type': 'vxlan',
  'flannel.alpha.coreos.com/backend-data': JSON.stringify({ VNI: 1, VtepMAC: mac }),
  ...(ip ? { 'flannel.alpha.coreos.com/public-ip': ip } : {}),
});

describe('remoteNodes', () => {
  it('reads the other nodes of the same backend with a podCIDR and an address, by name', () => {
    const got = remoteNodes(
      [
        node('self', vxlan('0a:00:00:00:00:01'), '10.244.0.0/24', '192.168.1.10'),
        node('c', vxlan('0a:00:00:00:00:03'), '10.244.2.0/24', '192.168.1.13'),
        node('b', vxlan('0a:00:00:00:00:02', '172.16.0.2'), '10.244.1.0/24', '192.168.1.12'),
        node('no-cidr', vxlan('0a:00:00:00:00:04'), undefined, '192.168.1.14'),
        node('no-address', vxlan('0a:00:00:00:00:05'), '10.244.5.0/24'),
        node('host-gw', { 'flannel.alpha.coreos.com/backend-type': 'host-gw' }, '10.244.6.0/24', '192.168.1.16'),
        node('unannotated', {}, '10.244.7.0/24', '192.168.1.17'),
      ],
      'self',
      'vxlan',
    );
    assert.deepEqual(got, [
      { name: 'b', podCIDR: '10.244.1.0/24', publicIP: '172.16.0.2', backendType: 'vxlan', vtepMAC: '0a:00:00:00:00:02' },
      { name: 'c', podCIDR: '10.244.2.0/24', publicIP: '192.168.1.13', backendType: 'vxlan', vtepMAC: '0a:00:00:00:00:03' },
    ]);
  });

  it('takes backend-data that is not JSON as no VtepMAC', () => {
    const got = remoteNodes(
      [
        node(
          'b',
          { 'flannel.alpha.coreos.com/backend-type': 'vxlan', 'flannel.alpha.coreos.com/backend-data': '{' },
          '10.244.1.0/24',
          '10.0.0.2',
        ),
      ],
      'self',
      'vxlan',
    );
    assert.deepEqual(got, [{ name: 'b', podCIDR: '10.244.1.0/24', publicIP: '10.0.0.2', backendType: 'vxlan' }]);
  });
});
