import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint, ProxyState, ServicePort } from '../interface.js';
import { endpointNames, servicePortChains } from './names.js';
import { fullSyncScript, newWrittenTable, partialSyncScript, staleDeletionScript } from './sync-script.js';

const port = (name: string, ip: string, o: Partial<ServicePort> = {}): ServicePort => ({
  key: `ns1/${name}:p80`,
  namespace: 'ns1',
  name,
  portName: 'p80',
  protocol: 'TCP',
  clusterIPs: [ip],
  port: 80,
  externalIPs: [],
  loadBalancerIPs: [],
  externalPolicyLocal: false,
  internalPolicyLocal: false,
  ...o,
});
const ep = (ip: string): Endpoint => ({ ip, port: 80, ready: true, serving: true, terminating: false, isLocal: false });
const a = port('a', '172.30.0.41');
const b = port('b', '172.30.0.42', { stickySeconds: 600 });
const ctx = {};
const T = 'ip kube-proxy';

function fixture() {
  const endpoints = new Map<string, Endpoint[]>([
    [a.key, [ep('10.180.0.1'), ep('10.180.0.2')]],
    [b.key, [ep('10.180.0.3')]],
  ]);
  const state: ProxyState = {
    services: new Map([
      [a.key, a],
      [b.key, b],
    ]),
    endpoints,
  };
  const table = newWrittenTable();
  const full = fullSyncScript({
    state,
    table,
    ctx,
    now: 0,
    serviceCIDR: '172.30.0.0/16',
    recreateBaseChains: false,
    existing: { chains: ['services', 'service-OLD-ns1/gone/tcp/p80'], sets: ['affinity-OLD-ns1/gone/tcp/p80__10.0.0.1/80'] },
  });
  return { endpoints, state, table, full };
}

describe('fullSyncScript', () => {
  it('writes the base ruleset, every chain flushed and rewritten, the maps refilled; leftovers flushed as stale', () => {
    const { table, full } = fixture();
    const svcA = servicePortChains(a).cluster;
    assert.ok(full.includes(`add table ${T} { comment "rules for kube-proxy" ; }`));
    assert.ok(full.includes(`flush map ${T} service-ips`));
    assert.ok(full.indexOf(`flush chain ${T} ${svcA}`) < full.findIndex((l) => l.startsWith(`add chain ${T} ${svcA} {`)));
    assert.ok(full.some((l) => l.startsWith(`add map ${T} service-ips {`) && l.includes(`172.30.0.41 . tcp . 80 : goto ${svcA}`)));
    assert.ok(
      full.includes(
        `add set ${T} ${endpointNames(b, '10.180.0.3', 80).affinitySet} { type ipv4_addr ; flags dynamic,timeout ; timeout 600s ; }`,
      ),
    );
    assert.ok(full.includes(`flush chain ${T} service-OLD-ns1/gone/tcp/p80`));
    assert.equal(full.filter((l) => l === `flush chain ${T} services`).length, 1, 'a fixed chain is no stale one');
    assert.deepEqual([...table.staleChains.keys()], ['service-OLD-ns1/gone/tcp/p80']);
    assert.deepEqual([...table.staleSets.keys()], ['affinity-OLD-ns1/gone/tcp/p80__10.0.0.1/80']);
    assert.equal(table.chains.size, 1 + 2 + (1 + 1), 'a: its service chain and two endpoint chains; b: one and one');
  });
});

describe('partialSyncScript', () => {
  it('nothing changed: nothing to send', () => {
    const { state, table } = fixture();
    assert.deepEqual(partialSyncScript({ state, table, ctx, now: 1, changed: new Set() }), []);
  });

  it('one endpoint replaced: its chain added, the service chain rewritten, the old one flushed as stale; no map touched', () => {
    const { state, table, endpoints } = fixture();
    endpoints.set(a.key, [ep('10.180.0.1'), ep('10.180.0.9')]);
    const script = partialSyncScript({ state, table, ctx, now: 5, changed: new Set([a.key]) });
    const svc = servicePortChains(a).cluster;
    const added = endpointNames(a, '10.180.0.9', 80).chain;
    const gone = endpointNames(a, '10.180.0.2', 80).chain;
    assert.deepEqual(script, [
      `add chain ${T} ${added}`,
      `flush chain ${T} ${gone}`,
      `flush chain ${T} ${svc}`,
      `add chain ${T} ${svc} { ${table.chains.get(svc)} ; }`,
      `add chain ${T} ${added} { ip saddr 10.180.0.9 jump mark-for-masquerade ; meta l4proto tcp dnat to 10.180.0.9:80 ; }`,
    ]);
    assert.deepEqual(
      [...table.staleChains],
      [
        ['service-OLD-ns1/gone/tcp/p80', 0],
        [gone, 5],
      ],
    );
    assert.ok(!script.some((l) => /^(delete|add rule|add element)/.test(l)), 'no command that makes nft 1.0.6 read every chain');
  });

  it('a Service deleted: its chains and affinity sets flushed as stale, the sets and maps it had elements in refilled', () => {
    const { state, table } = fixture();
    (state.services as Map<string, ServicePort>).delete(b.key);
    const script = partialSyncScript({ state, table, ctx, now: 7, changed: new Set([b.key]) });
    const aff = endpointNames(b, '10.180.0.3', 80).affinitySet;
    assert.ok(script.includes(`flush set ${T} ${aff}`));
    assert.ok(script.includes(`flush chain ${T} ${servicePortChains(b).cluster}`));
    assert.ok(script.includes(`flush map ${T} service-ips`));
    assert.ok(script.includes(`flush set ${T} cluster-ips`));
    const refill = script.find((l) => l.startsWith(`add map ${T} service-ips {`)) ?? '';
    assert.ok(refill.includes('172.30.0.41 . tcp . 80') && !refill.includes('172.30.0.42'), refill);
    assert.equal(table.ports.has(b.key), false);
    assert.equal(table.staleSets.get(aff), 7);
  });

  it('a Service losing its last endpoint: its cluster IP moves from service-ips to no-endpoint-services', () => {
    const { state, table, endpoints } = fixture();
    endpoints.set(a.key, []);
    const script = partialSyncScript({ state, table, ctx, now: 1, changed: new Set([a.key]) });
    assert.ok(script.includes(`flush map ${T} service-ips`));
    assert.ok(
      script.includes(
        `add map ${T} no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict ; elements = { 172.30.0.41 . tcp . 80 comment "ns1/a:p80" : goto reject-chain } ; }`,
      ),
    );
    assert.ok(!script.includes(`flush map ${T} no-endpoint-services`), 'an addition only adds');
  });

  it('a chain that comes back before it was deleted is flushed, not declared again', () => {
    const { state, table, endpoints } = fixture();
    endpoints.set(a.key, [ep('10.180.0.1')]);
    partialSyncScript({ state, table, ctx, now: 1, changed: new Set([a.key]) });
    const back = endpointNames(a, '10.180.0.2', 80).chain;
    assert.ok(table.staleChains.has(back));
    endpoints.set(a.key, [ep('10.180.0.1'), ep('10.180.0.2')]);
    const script = partialSyncScript({ state, table, ctx, now: 2, changed: new Set([a.key]) });
    assert.ok(script.includes(`flush chain ${T} ${back}`) && !script.includes(`add chain ${T} ${back}`));
    assert.equal(table.staleChains.has(back), false);
  });
});

describe('staleDeletionScript', () => {
  it('deletes the chains and sets stale since before the given time, chains first, and forgets them', () => {
    const { state, table, endpoints } = fixture();
    endpoints.set(a.key, [ep('10.180.0.1')]);
    partialSyncScript({ state, table, ctx, now: 100, changed: new Set([a.key]) });
    assert.deepEqual(staleDeletionScript(table, 50), [
      `delete chain ${T} service-OLD-ns1/gone/tcp/p80`,
      `delete set ${T} affinity-OLD-ns1/gone/tcp/p80__10.0.0.1/80`,
    ]);
    assert.deepEqual(staleDeletionScript(table, 100), [`delete chain ${T} ${endpointNames(a, '10.180.0.2', 80).chain}`]);
    assert.deepEqual(staleDeletionScript(table, 1000), []);
  });
});
