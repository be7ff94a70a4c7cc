import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type BridgeNetworkOptions, bridgeConflist, CONFLIST_FILE, writeConflist } from './conflist.js';

describe('bridgeConflist', () => {
  it('is bridge with host-local on the pod CIDR, then portmap', () => {
    assert.deepEqual(bridgeConflist({ podCIDRs: ['10.244.1.0/24'], ipamDataDir: '/data/cni/ipam' }), {
      cniVersion: '1.0.0',
      name: 'k8ts',
      plugins: [
        {
          type: 'bridge',
          bridge: 'k8ts0',
          isGateway: true,
          ipMasq: true,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            ranges: [[{ subnet: '10.244.1.0/24' }]],
            routes: [{ dst: '0.0.0.0/0' }],
            dataDir: '/data/cni/ipam',
          },
        },
        { type: 'portmap', capabilities: { portMappings: true }, snat: true },
      ],
    });
  });

  it('gives each family its range and default route', () => {
    const conflist = bridgeConflist({ podCIDRs: ['10.244.1.0/24', 'fd00:10:244:1::/64'], ipamDataDir: '/d', bridge: 'br1', name: 'n' });
    assert.equal(conflist.name, 'n');
    const bridge = conflist.plugins[0] ?? {};
    const ipam = bridge.ipam as Record<string, unknown>;
    assert.equal(bridge.bridge, 'br1');
    assert.deepEqual(ipam.ranges, [[{ subnet: '10.244.1.0/24' }], [{ subnet: 'fd00:10:244:1::/64' }]]);
    assert.deepEqual(ipam.routes, [{ dst: '0.0.0.0/0' }, { dst: '::/0' }]);
  });

  const refused: [string, BridgeNetworkOptions, RegExp][] = [
    [
      'a bridge name longer than Linux allows',
      { podCIDRs: ['10.0.0.0/24'], ipamDataDir: '/d', bridge: 'k8ts-much-too-long' },
      /15 characters/,
    ],
    ['no pod CIDR', { podCIDRs: [], ipamDataDir: '/d' }, /at least one pod CIDR/],
  ];
  for (const [what, options, error] of refused) {
    it(`refuses ${what}`, () => assert.throws(() => bridgeConflist(options), error));
  }
});

describe('writeConflist', () => {
  it(`writes ${CONFLIST_FILE} and nothing else`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-cni-'));
    try {
      const conf = join(dir, 'net.d');
      const options = { podCIDRs: ['10.244.2.0/24'], ipamDataDir: join(dir, 'ipam') };
      assert.equal(await writeConflist(conf, options), join(conf, CONFLIST_FILE));
      await writeConflist(conf, { ...options, podCIDRs: ['10.244.3.0/24'] });
      assert.deepEqual(await readdir(conf), [CONFLIST_FILE]);
      const written = JSON.parse(await readFile(join(conf, CONFLIST_FILE), 'utf8'));
      assert.deepEqual(written, bridgeConflist({ ...options, podCIDRs: ['10.244.3.0/24'] }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
