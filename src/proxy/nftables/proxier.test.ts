import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Endpoint, ProxyState, ServicePort } from '../interface.js';
import { endpointNames } from './names.js';
import type { Nft } from './nft.js';
import { NftablesProxier } from './proxier.js';

/** Records each transaction; answers list() with what an earlier run left; fails when told. */
class FakeNft implements Nft {
  readonly runs: string[][] = [];
  lists = 0;
  fail = false;
  constructor(readonly existing: { chains: string[]; sets: string[] } = { chains: [], sets: [] }) {}
  async run(commands: readonly string[]): Promise<void> {
    if (this.fail) throw new Error('nft: Error: Could not process rule: No such file or directory');
    this.runs.push([...commands]);
  }
  async list() {
    this.lists++;
    return this.existing;
  }
}

const sp: ServicePort = {
  key: 'default/dns',
  namespace: 'default',
  name: 'dns',
  portName: '',
  protocol: 'UDP',
  clusterIPs: ['10.96.0.10'],
  port: 53,
  externalIPs: [],
  loadBalancerIPs: [],
  externalPolicyLocal: false,
  internalPolicyLocal: false,
};
const ep = (ip: string): Endpoint => ({ ip, port: 5353, ready: true, serving: true, terminating: false, isLocal: true });

function proxier(nft: FakeNft, extra: { conntrack?: (args: string[]) => Promise<void>; staleDeletionDelayMs?: number } = {}) {
  let localnet = 0;
  const p = new NftablesProxier({
    nodeName: 'n1',
    nodeIPs: [],
    serviceCIDR: '10.96.0.0/12',
    nft,
    enableRouteLocalnet: async () => void localnet++,
    conntrack: extra.conntrack ?? (async () => {}),
    log: () => {},
    ...(extra.staleDeletionDelayMs !== undefined ? { staleDeletionDelayMs: extra.staleDeletionDelayMs } : {}),
  });
  return { p, localnet: () => localnet };
}

describe('NftablesProxier', () => {
  it('a full sync lists the table and writes everything in one transaction; a partial one lists nothing and sends only what changed', async () => {
    const nft = new FakeNft({ chains: ['service-X-default/gone/tcp/'], sets: [] });
    const { p, localnet } = proxier(nft);
    const state: ProxyState = { services: new Map([[sp.key, sp]]), endpoints: new Map([[sp.key, [ep('10.244.0.5')]]]) };
    assert.equal((await p.sync(state, new Set([sp.key]), { full: true })).kind, 'full');
    assert.equal(nft.lists, 1);
    assert.equal(nft.runs.length, 1);
    assert.ok(nft.runs[0]?.includes('add chain ip kube-proxy filter-input'), 'the first sync recreates the base chains');
    assert.ok(nft.runs[0]?.includes('flush chain ip kube-proxy service-X-default/gone/tcp/'));
    const r = await p.sync(state, new Set(), {});
    assert.deepEqual([r.kind, nft.lists, nft.runs.length], ['partial', 1, 1], 'nothing changed: no transaction');
    (state.endpoints as Map<string, Endpoint[]>).set(sp.key, [ep('10.244.0.6')]);
    await p.sync(state, new Set([sp.key]));
    assert.equal(nft.runs.length, 2);
    assert.ok(
      nft.runs[1]?.every((l) => !l.includes('filter-input')),
      'a partial sync leaves the base chains alone',
    );
    assert.equal(localnet(), 1);
    await p.sync(state, new Set([sp.key]), { full: true });
    assert.ok(!nft.runs[2]?.includes('add chain ip kube-proxy filter-input'), 'the base chains are recreated only once');
  });

  it('after a failed sync the next one is full, even when asked for a partial one', async () => {
    const nft = new FakeNft();
    const { p } = proxier(nft);
    const endpoints = new Map<string, Endpoint[]>();
    const state: ProxyState = { services: new Map([[sp.key, sp]]), endpoints };
    await p.sync(state, new Set([sp.key]), { full: true });
    endpoints.set(sp.key, [ep('10.244.0.5')]);
    nft.fail = true;
    await assert.rejects(p.sync(state, new Set([sp.key])), /No such file/);
    nft.fail = false;
    assert.equal((await p.sync(state, new Set())).kind, 'full');
    assert.equal(nft.lists, 2);
  });

  it('deletes the stale chains a second later, in a transaction of their own, between syncs', async () => {
    const nft = new FakeNft();
    const { p } = proxier(nft, { staleDeletionDelayMs: 50 });
    const endpoints = new Map([[sp.key, [ep('10.244.0.5')]]]);
    const state: ProxyState = { services: new Map([[sp.key, sp]]), endpoints };
    await p.sync(state, new Set([sp.key]), { full: true });
    endpoints.set(sp.key, [ep('10.244.0.6')]);
    await p.sync(state, new Set([sp.key]));
    const gone = endpointNames(sp, '10.244.0.5', 5353).chain;
    assert.ok(nft.runs[1]?.includes(`flush chain ip kube-proxy ${gone}`));
    for (let i = 0; i < 100 && nft.runs.length < 3; i++) await sleep(20);
    assert.deepEqual(nft.runs[2], [`delete chain ip kube-proxy ${gone}`]);
    assert.equal(await p.deleteStaleNow(), 0, 'nothing left');
  });

  it('after a sync that replaced a UDP endpoint, deletes the conntrack entries that DNAT to the gone one', async () => {
    const ran: string[] = [];
    const { p } = proxier(new FakeNft(), { conntrack: async (args) => void ran.push(args.join(' ')) });
    const services = new Map([[sp.key, sp]]);
    await p.sync({ services, endpoints: new Map([[sp.key, [ep('10.244.0.5')]]]) }, new Set([sp.key]), { full: true });
    assert.deepEqual(ran, ['-D --orig-dst 10.96.0.10 -p udp'], 'newly active: the cached reject goes');
    await p.sync({ services, endpoints: new Map([[sp.key, [ep('10.244.0.6')]]]) }, new Set([sp.key]));
    assert.deepEqual(ran.slice(1), ['-D --orig-dst 10.96.0.10 --dst-nat 10.244.0.5 -p udp']);
  });

  it('cleanup deletes the table', async () => {
    const nft = new FakeNft({ chains: ['services'], sets: [] });
    const { p } = proxier(nft);
    await p.cleanup();
    assert.deepEqual(nft.runs, [['add table ip kube-proxy', 'delete table ip kube-proxy']]);
  });
});
