/**
 * The nftables proxier against the real nft and kernel, in two network namespaces of the test's
 * (no device, no traffic): one proxier follows a Service through changes with partial syncs; after
 * each, a fresh proxier's full sync of the same state in the other namespace must build the same
 * table — same chains and rules in order, same sets, maps and elements — once the stale chains are
 * deleted. Every kind of service port goes through it: ClusterIP, NodePort, external and load
 * balancer IPs with source ranges, both Local traffic policies, sessionAffinity, UDP and SCTP.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '../src/kubelet/command.js';
import type { Endpoint, ProxyState, ServicePort } from '../src/proxy/interface.js';
import { hostNft } from '../src/proxy/nftables/nft.js';
import { NftablesProxier } from '../src/proxy/nftables/proxier.js';

const namespaces = [`k8tsnft${randomBytes(3).toString('hex')}`, `k8tsnft${randomBytes(3).toString('hex')}`] as const;
const nftIn = (netns: string) => ['nsenter', `--net=/run/netns/${netns}`, '--', 'nft'];

const port = (name: string, ip: string, o: Partial<ServicePort> = {}): ServicePort => ({
  key: `default/${name}:p`,
  namespace: 'default',
  name,
  portName: 'p',
  protocol: 'TCP',
  clusterIPs: [ip],
  port: 80,
  externalIPs: [],
  loadBalancerIPs: [],
  externalPolicyLocal: false,
  internalPolicyLocal: false,
  ...o,
});
const ep = (ip: string, isLocal = true, o: Partial<Endpoint> = {}): Endpoint => ({
  ip,
  port: 8080,
  ready: true,
  serving: true,
  terminating: false,
  isLocal,
  ...o,
});

const proxierIn = (netns: string) =>
  new NftablesProxier({
    nodeName: 'n1',
    nodeIPs: ['192.168.0.2'],
    serviceCIDR: '10.96.0.0/12',
    clusterCIDR: '10.244.0.0/16',
    nft: hostNft(nftIn(netns)),
    enableRouteLocalnet: async () => {},
    conntrack: async () => {},
    staleDeletionDelayMs: 3_600_000,
  });

/** The table as a sorted list of objects without handles (a chain's rules numbered in order). */
async function tableOf(netns: string): Promise<string[]> {
  const [file, ...args] = nftIn(netns);
  const { stdout } = await runCommand(file as string, [...args, '-j', 'list', 'table', 'ip', 'kube-proxy']);
  const items = (JSON.parse(stdout) as { nftables: Record<string, Record<string, unknown>>[] }).nftables;
  const position = new Map<string, number>();
  const out: string[] = [];
  for (const item of items) {
    const [kind, object] = Object.entries(item)[0] ?? [];
    if (!kind || !object || kind === 'metainfo') continue;
    const { handle: _handle, ...rest } = object;
    if (Array.isArray(rest['elem'])) rest['elem'] = rest['elem'].map((e) => JSON.stringify(e)).sort();
    if (kind === 'rule') {
      const chain = String(rest['chain']);
      position.set(chain, (position.get(chain) ?? 0) + 1);
      rest['position'] = position.get(chain);
    }
    out.push(`${kind} ${JSON.stringify(rest)}`);
  }
  return out.sort();
}

describe('nftables proxier on the real nft: partial syncs build what a full sync builds', { timeout: 120_000 }, () => {
  before(async () => {
    for (const netns of namespaces) await runCommand('ip', ['netns', 'add', netns]);
  });
  after(async () => {
    for (const netns of namespaces) await runCommand('ip', ['netns', 'del', netns]).catch(() => {});
  });

  it('follows every kind of change with partial syncs', async () => {
    const web = port('web', '10.96.0.10', { nodePort: 30080, stickySeconds: 600 });
    const lb = port('lb', '10.96.0.11', {
      nodePort: 30081,
      externalIPs: ['192.0.2.11'],
      loadBalancerIPs: ['192.0.2.10'],
      loadBalancerSourceRanges: ['192.168.0.0/24'],
      externalPolicyLocal: true,
    });
    const dns = port('dns', '10.96.0.12', { protocol: 'UDP', port: 53, internalPolicyLocal: true });
    const sctp = port('sctp', '10.96.0.13', { protocol: 'SCTP' });
    const services = new Map([web, lb, dns, sctp].map((p) => [p.key, p]));
    const endpoints = new Map<string, Endpoint[]>([
      [web.key, [ep('10.244.0.5'), ep('10.244.1.6', false)]],
      [lb.key, [ep('10.244.1.7', false), ep('10.244.0.8')]],
      [dns.key, [ep('10.244.1.9', false)]],
      [sctp.key, [ep('10.244.0.10', true, { ready: false, terminating: true })]],
    ]);
    const state: ProxyState = { services, endpoints };
    const proxier = proxierIn(namespaces[0]);
    await proxier.sync(state, new Set(services.keys()), { full: true });

    const steps: [string, () => string[]][] = [
      [
        'one endpoint replaced',
        () => {
          endpoints.set(web.key, [ep('10.244.0.5'), ep('10.244.1.16', false)]);
          return [web.key];
        },
      ],
      [
        'the local endpoint gone from a Local Service',
        () => {
          endpoints.set(lb.key, [ep('10.244.1.7', false)]);
          return [lb.key];
        },
      ],
      [
        'a Service without endpoints',
        () => {
          endpoints.delete(dns.key);
          return [dns.key];
        },
      ],
      [
        'the affinity timeout changed',
        () => {
          services.set(web.key, { ...web, stickySeconds: 60 });
          return [web.key];
        },
      ],
      [
        'a Service deleted',
        () => {
          services.delete(sctp.key);
          return [sctp.key];
        },
      ],
      [
        'a Service added with the endpoints back',
        () => {
          const again = port('again', '10.96.0.14', { externalIPs: ['192.0.2.12'] });
          services.set(again.key, again);
          endpoints.set(again.key, [ep('10.244.0.20')]);
          endpoints.set(dns.key, [ep('10.244.0.21')]);
          return [again.key, dns.key];
        },
      ],
    ];
    for (const [what, change] of steps) {
      const changed = new Set(change());
      assert.equal((await proxier.sync(state, changed)).kind, 'partial', what);
      await proxier.deleteStaleNow();
      const fresh = proxierIn(namespaces[1]);
      await fresh.sync(state, new Set(services.keys()), { full: true });
      assert.deepEqual(await tableOf(namespaces[0]), await tableOf(namespaces[1]), what);
      await fresh.cleanup();
    }
    await proxier.cleanup();
    const [file, ...args] = nftIn(namespaces[0]);
    assert.equal((await runCommand(file as string, [...args, 'list', 'tables'])).stdout.trim(), '', 'cleanup removes the table');
  });
});
