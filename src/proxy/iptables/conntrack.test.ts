import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommandError } from '../../kubelet/command.js';
import type { Endpoint, ProxyState, ServicePort } from '../interface.js';
import { Conntrack, rememberUDPServicePorts, staleConntrackFilters, type UDPServicePortSnapshot } from './conntrack.js';

const dns: ServicePort = {
  key: 'default/dns',
  namespace: 'default',
  name: 'dns',
  portName: '',
  protocol: 'UDP',
  clusterIPs: ['10.96.0.20'],
  port: 53,
  externalIPs: [],
  loadBalancerIPs: [],
  externalPolicyLocal: false,
  internalPolicyLocal: false,
};
const exposed: ServicePort = { ...dns, nodePort: 30053, externalIPs: ['192.0.2.7'], loadBalancerIPs: ['192.0.2.8'] };
const web: ServicePort = { ...dns, key: 'default/web', name: 'web', protocol: 'TCP', port: 80 };
const ep = (ip: string, extra: Partial<Endpoint> = {}): Endpoint => ({
  ip,
  port: 5353,
  ready: true,
  serving: true,
  terminating: false,
  isLocal: true,
  ...extra,
});
const a = ep('10.244.0.5');
const b = ep('10.244.0.6');

const stateOf = (port: ServicePort | undefined, endpoints: Endpoint[]): ProxyState => ({
  services: new Map(port ? [[port.key, port]] : []),
  endpoints: new Map(port && endpoints.length > 0 ? [[port.key, endpoints]] : []),
});
const before = (port: ServicePort, endpoints: Endpoint[]): Map<string, UDPServicePortSnapshot> =>
  new Map([[port.key, { port, endpoints }]]);

describe('staleConntrackFilters', () => {
  const cases: { name: string; previous: Map<string, UDPServicePortSnapshot>; state: ProxyState; want: string[] }[] = [
    {
      name: 'an endpoint replaced by another: entries DNATed to the gone one',
      previous: before(dns, [a]),
      state: stateOf(dns, [b]),
      want: ['-D --orig-dst 10.96.0.20 --dst-nat 10.244.0.5 -p udp'],
    },
    {
      name: 'a gone endpoint of an exposed port: through every address and the node port',
      previous: before(exposed, [a, b]),
      state: stateOf(exposed, [b]),
      want: [
        '-D --orig-dst 10.96.0.20 --dst-nat 10.244.0.5 -p udp',
        '-D --orig-dst 192.0.2.7 --dst-nat 10.244.0.5 -p udp',
        '-D --orig-dst 192.0.2.8 --dst-nat 10.244.0.5 -p udp',
        '-D -p udp --dport 30053 --dst-nat 10.244.0.5',
      ],
    },
    {
      name: 'from no endpoints to some: every entry for its addresses and node port (the cached REJECT)',
      previous: before(exposed, []),
      state: stateOf(exposed, [a]),
      want: [
        '-D --orig-dst 10.96.0.20 -p udp',
        '-D --orig-dst 192.0.2.7 -p udp',
        '-D --orig-dst 192.0.2.8 -p udp',
        '-D -p udp --dport 30053',
      ],
    },
    {
      name: 'a new service port with endpoints is newly active',
      previous: new Map(),
      state: stateOf(dns, [a]),
      want: ['-D --orig-dst 10.96.0.20 -p udp'],
    },
    {
      name: 'from only not-serving endpoints to a serving one: newly active, nothing DNATed to the old one',
      previous: before(dns, [ep('10.244.0.5', { ready: false, serving: false })]),
      state: stateOf(dns, [b]),
      want: ['-D --orig-dst 10.96.0.20 -p udp'],
    },
    {
      name: 'a Service deleted: entries to its endpoints, through the addresses it had',
      previous: before(dns, [a]),
      state: stateOf(undefined, []),
      want: ['-D --orig-dst 10.96.0.20 --dst-nat 10.244.0.5 -p udp'],
    },
    { name: 'an endpoint added beside one: nothing', previous: before(dns, [a]), state: stateOf(dns, [a, b]), want: [] },
    {
      name: 'an endpoint that stops serving (terminating, not ready) counts as gone, as upstream',
      previous: before(dns, [a, b]),
      state: stateOf(dns, [ep('10.244.0.5', { ready: false, serving: false }), b]),
      want: ['-D --orig-dst 10.96.0.20 --dst-nat 10.244.0.5 -p udp'],
    },
    {
      name: 'endpoints going away to none: entries to them only',
      previous: before(dns, [a]),
      state: stateOf(dns, []),
      want: ['-D --orig-dst 10.96.0.20 --dst-nat 10.244.0.5 -p udp'],
    },
    { name: 'TCP service ports: nothing', previous: new Map(), state: stateOf(web, [a]), want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = staleConntrackFilters(c.previous, c.state, [...c.state.services.keys(), ...c.previous.keys()]);
      assert.deepEqual(
        got.map((f) => f.join(' ')),
        c.want,
      );
    });
  }

  it('only the changed service ports are looked at', () => {
    assert.deepEqual(staleConntrackFilters(before(dns, [a]), stateOf(dns, [b]), []), []);
  });

  it('rememberUDPServicePorts keeps UDP service ports and forgets gone and TCP ones', () => {
    const snapshot = before(dns, [a]);
    rememberUDPServicePorts(snapshot, stateOf(web, [a]), [dns.key, web.key]);
    assert.equal(snapshot.size, 0);
    rememberUDPServicePorts(snapshot, stateOf(dns, [b]), [dns.key]);
    assert.deepEqual(snapshot.get(dns.key), { port: dns, endpoints: [b] });
  });
});

describe('Conntrack', () => {
  it('runs each filter; "0 flow entries" is no error', async () => {
    const ran: string[] = [];
    const logs: string[] = [];
    const conntrack = new Conntrack({
      run: async (args) => {
        ran.push(args.join(' '));
        throw new CommandError(`conntrack ${args.join(' ')}`, 1, 'conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.\n');
      },
      log: (m) => logs.push(m),
    });
    await conntrack.clear([
      ['-D', '--orig-dst', '10.96.0.20', '-p', 'udp'],
      ['-D', '-p', 'udp', '--dport', '30053'],
    ]);
    assert.deepEqual(ran, ['-D --orig-dst 10.96.0.20 -p udp', '-D -p udp --dport 30053']);
    assert.deepEqual(logs, []);
  });

  it('without the conntrack tool: logs once and skips the cleanup from then on', async () => {
    let runs = 0;
    const logs: string[] = [];
    const conntrack = new Conntrack({
      run: async () => {
        runs++;
        throw new CommandError(
          'conntrack',
          null,
          'spawn conntrack ENOENT',
          Object.assign(new Error('spawn conntrack ENOENT'), { code: 'ENOENT' }),
        );
      },
      log: (m) => logs.push(m),
    });
    await conntrack.clear([
      ['-D', '-p', 'udp', '--dport', '1'],
      ['-D', '-p', 'udp', '--dport', '2'],
    ]);
    await conntrack.clear([['-D', '-p', 'udp', '--dport', '3']]);
    assert.equal(runs, 1);
    assert.equal(logs.length, 1);
    assert.match(logs[0] ?? '', /conntrack not found/);
  });
});
