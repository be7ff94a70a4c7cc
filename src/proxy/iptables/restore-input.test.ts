import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint, ProxyState, ServicePort } from '../interface.js';
import { ChainNames, endpointChain, servicePortChains } from './chain-names.js';
import { HOOK_JUMPS, newRulesCache, type RestoreInputOptions, restoreInput } from './restore-input.js';

const sp = (name: string, ip: string): ServicePort => ({
  key: `default/${name}`,
  namespace: 'default',
  name,
  portName: '',
  protocol: 'TCP',
  clusterIPs: [ip],
  port: 80,
  externalIPs: [],
  loadBalancerIPs: [],
  externalPolicyLocal: false,
  internalPolicyLocal: false,
});
const ep = (ip: string): Endpoint => ({ ip, port: 8080, ready: true, serving: true, terminating: false, isLocal: true });
const state = (): ProxyState => ({
  services: new Map([
    ['default/a', sp('a', '10.96.0.10')],
    ['default/b', sp('b', '10.96.0.11')],
  ]),
  endpoints: new Map([
    ['default/a', [ep('10.244.0.5')]],
    ['default/b', [ep('10.244.0.6'), ep('10.244.0.8')]],
  ]),
});
const A = servicePortChains('default/a', 'TCP').cluster;
const B = servicePortChains('default/b', 'TCP').cluster;
const base = { names: new ChainNames(), serviceCIDR: '10.96.0.0/12', missingJumps: [] };
const lines = (text: string) => text.split('\n');

/** restoreInput as the proxier calls it: one cache across syncs, the shared chains committed after each. */
function syncs() {
  const cache = newRulesCache();
  return (o: Pick<RestoreInputOptions, 'state' | 'changed' | 'full' | 'existingChains'> & Partial<RestoreInputOptions>) => {
    const r = restoreInput({ ...base, cache, ...o });
    cache.shared = r.shared;
    return r;
  };
}

describe('restoreInput', () => {
  it('a full sync writes every chain; a partial one the changed service ports’ and the shared chains whose rules changed', () => {
    const sync = syncs();
    const s = state();
    const full = sync({ state: s, changed: new Set(), full: true, existingChains: new Set() });
    assert.equal(full.written, 2);
    assert.ok(lines(full.text).includes(`:${A} - [0:0]`) && lines(full.text).includes(`:${B} - [0:0]`));
    assert.equal(lines(full.text).filter((l) => l === ':KUBE-SERVICES - [0:0]').length, 2, 'filter and nat');

    // one of b's endpoints moved: only b's chains that changed; KUBE-SERVICES reads the same and is left alone
    (s.endpoints as Map<string, Endpoint[]>).set('default/b', [ep('10.244.0.7'), ep('10.244.0.8')]);
    const partial = sync({ state: s, changed: new Set(['default/b']), full: false, existingChains: full.activeChains });
    assert.equal(partial.written, 1);
    const text = lines(partial.text);
    assert.ok(!text.includes(`:${A} - [0:0]`), 'a is not rewritten');
    assert.ok(text.includes(`:${B} - [0:0]`));
    assert.ok(!text.includes(':KUBE-SERVICES - [0:0]'));
    assert.ok(!text.includes(`:${endpointChain('default/b', 'TCP', '10.244.0.8:8080')} - [0:0]`), 'the endpoint that stayed');
    assert.ok(text.includes(`:${endpointChain('default/b', 'TCP', '10.244.0.7:8080')} - [0:0]`));
    assert.deepEqual(text.filter((l) => l.startsWith('-X ')).length, 1, 'the old endpoint chain of b');

    // b lost its endpoints: KUBE-SERVICES is rewritten whole (a's entry stays), filter rejects b
    (s.endpoints as Map<string, Endpoint[]>).delete('default/b');
    const none = lines(sync({ state: s, changed: new Set(['default/b']), full: false, existingChains: partial.activeChains }).text);
    assert.equal(none.filter((l) => l === ':KUBE-SERVICES - [0:0]').length, 2);
    assert.ok(none.some((l) => l.startsWith('-A KUBE-SERVICES ') && l.endsWith(`-j ${A}`)));
    assert.ok(
      none.includes('-A KUBE-SERVICES -m comment --comment "default/b has no endpoints" -m tcp -p tcp -d 10.96.0.11 --dport 80 -j REJECT'),
    );
    assert.deepEqual(none.slice(0, 2), ['*filter', ':KUBE-SERVICES - [0:0]']);
  });

  it('flushes and deletes the chains no longer used, after every reference is gone', () => {
    const s = state();
    const sync = syncs();
    const first = sync({ state: s, changed: new Set(), full: true, existingChains: new Set() });
    (s.services as Map<string, ServicePort>).delete('default/a');
    (s.endpoints as Map<string, Endpoint[]>).delete('default/a');
    const next = sync({ state: s, changed: new Set(['default/a']), full: false, existingChains: first.activeChains });
    const text = lines(next.text);
    const stale = [...first.activeChains].filter((c) => !next.activeChains.has(c));
    assert.equal(stale.length, 2, 'KUBE-SVC and KUBE-SEP of a');
    for (const c of stale) {
      assert.ok(text.indexOf(`:${c} - [0:0]`) < text.indexOf(`-X ${c}`), c);
      assert.ok(
        text.indexOf(`-X ${c}`) >
          text.lastIndexOf(
            `-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`,
          ),
      );
    }
    assert.ok(!text.some((l) => l.includes(A) && l.startsWith('-A ')));
  });

  it('ends filter KUBE-SERVICES with the service CIDR REJECT and nat KUBE-SERVICES with the node ports jump; inserts missing hooks', () => {
    const r = syncs()({
      state: state(),
      changed: new Set(),
      full: true,
      existingChains: new Set(),
      missingJumps: HOOK_JUMPS,
    });
    const text = lines(r.text);
    const filterServices = text.filter((l, i) => l.startsWith('-A KUBE-SERVICES ') && i < text.indexOf('*nat'));
    assert.equal(filterServices.at(-1), '-A KUBE-SERVICES -m comment --comment "no service owns this address" -d 10.96.0.0/12 -j REJECT');
    const natServices = text.filter((l, i) => l.startsWith('-A KUBE-SERVICES ') && i > text.indexOf('*nat'));
    assert.match(natServices.at(-1) ?? '', /--dst-type LOCAL -j KUBE-NODEPORTS$/);
    assert.ok(text.includes('-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES'));
    assert.equal(text.filter((l) => l.startsWith('-I ')).length, HOOK_JUMPS.length);
  });
});
