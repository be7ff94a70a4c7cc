import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint, ProxyState, ServicePort } from '../interface.js';
import { servicePortChains } from './chain-names.js';
import type { Iptables } from './iptables.js';
import { IptablesProxier } from './proxier.js';
import { HOOK_JUMPS } from './restore-input.js';

/** Records what is restored; answers iptables-save with what a previous run left. */
class FakeIptables implements Iptables {
  readonly restored: string[] = [];
  saves = 0;
  constructor(readonly saved: { filter: string; nat: string }) {}
  async save(table: 'filter' | 'nat'): Promise<string> {
    this.saves++;
    return this.saved[table];
  }
  async restore(input: string): Promise<void> {
    this.restored.push(input);
  }
}

const sp: ServicePort = {
  key: 'default/web',
  namespace: 'default',
  name: 'web',
  portName: '',
  protocol: 'TCP',
  clusterIPs: ['10.96.0.10'],
  port: 80,
  externalIPs: [],
  loadBalancerIPs: [],
  externalPolicyLocal: false,
  internalPolicyLocal: false,
};
const ep: Endpoint = { ip: '10.244.0.5', port: 8080, ready: true, serving: true, terminating: false, isLocal: true };
const state: ProxyState = { services: new Map([[sp.key, sp]]), endpoints: new Map([[sp.key, [ep]]]) };

describe('IptablesProxier', () => {
  it('a full sync reads the tables: deletes chains an earlier run left, inserts only the missing hooks', async () => {
    const iptables = new FakeIptables({
      filter: '*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD\nCOMMIT\n',
      nat: '*nat\n:KUBE-SVC-GONEGONEGONEGONE - [0:0]\n:KUBE-SEP-GONEGONEGONEGONE - [0:0]\nCOMMIT\n',
    });
    let localnet = 0;
    const proxier = new IptablesProxier({
      nodeName: 'n1',
      nodeIPs: [],
      serviceCIDR: '10.96.0.0/12',
      iptables,
      enableRouteLocalnet: async () => void localnet++,
    });
    const r = await proxier.sync(state, new Set([sp.key]), { full: true });
    assert.equal(r.kind, 'full');
    const text = iptables.restored[0]?.split('\n') ?? [];
    assert.ok(text.includes('-X KUBE-SVC-GONEGONEGONEGONE') && text.includes('-X KUBE-SEP-GONEGONEGONEGONE'));
    assert.ok(!text.some((l) => l.startsWith('-I FORWARD 1') && l.endsWith('-j KUBE-FORWARD')), 'present hook not inserted again');
    assert.equal(text.filter((l) => l.startsWith('-I ')).length, HOOK_JUMPS.length - 1);
    assert.equal(localnet, 1);

    // a partial sync reads nothing and writes only the changed chains
    const r2 = await proxier.sync(state, new Set(), {});
    assert.deepEqual([r2.kind, iptables.saves, iptables.restored.length], ['partial', 2, 2]);
    const text2 = iptables.restored[1] ?? '';
    assert.ok(!text2.includes(`:${servicePortChains(sp.key, 'TCP').cluster} `));
    assert.ok(!text2.includes('-X ') && !text2.includes('-I '));
    assert.equal(localnet, 1);
  });
});

describe('IptablesProxier conntrack cleanup', () => {
  it('after a sync that replaced a UDP endpoint, deletes the entries that DNAT to the gone one', async () => {
    const udp: ServicePort = { ...sp, key: 'default/dns', protocol: 'UDP', port: 53 };
    const other: Endpoint = { ...ep, ip: '10.244.0.6' };
    const ran: string[] = [];
    const proxier = new IptablesProxier({
      nodeName: 'n1',
      nodeIPs: [],
      serviceCIDR: '10.96.0.0/12',
      iptables: new FakeIptables({ filter: '', nat: '' }),
      enableRouteLocalnet: async () => {},
      conntrack: async (args) => void ran.push(args.join(' ')),
    });
    const services = new Map([[udp.key, udp]]);
    await proxier.sync({ services, endpoints: new Map([[udp.key, [ep]]]) }, new Set([udp.key]), { full: true });
    assert.deepEqual(ran, ['-D --orig-dst 10.96.0.10 -p udp'], 'newly active: the cached REJECT goes');
    await proxier.sync({ services, endpoints: new Map([[udp.key, [other]]]) }, new Set([udp.key]));
    assert.deepEqual(ran.slice(1), ['-D --orig-dst 10.96.0.10 --dst-nat 10.244.0.5 -p udp']);
    await proxier.sync({ services, endpoints: new Map([[udp.key, [other]]]) }, new Set());
    assert.equal(ran.length, 2, 'nothing changed, nothing deleted');
  });
});
