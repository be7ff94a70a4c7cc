/**
 * One sync's iptables-restore input (for `iptables-restore --noflush`), as upstream's
 * syncProxyRules builds it with minimize-iptables-restore: the shared chains (filter
 * KUBE-SERVICES / KUBE-EXTERNAL-SERVICES / KUBE-NODEPORTS / KUBE-FORWARD / KUBE-FIREWALL /
 * KUBE-PROXY-FIREWALL, nat KUBE-SERVICES /
 * KUBE-NODEPORTS / KUBE-POSTROUTING / KUBE-MARK-MASQ) are declared — which flushes them — and
 * rewritten by a full sync, and by a partial one only when their rules differ from the last
 * written (with iptables-nft, rewriting a chain of 1,000 rules is most of a partial sync's cost);
 * a changed service port's own chains are rewritten unless they read as last written (the
 * endpoints that stayed), and all of them by a full sync;
 * chains no longer used are flushed and deleted (-X); the hook jumps from the built-in chains are
 * inserted when missing. Traffic to an address of the service CIDR that no rule took is REJECTed.
 */
import type { ProxyState } from '../interface.js';
import {
  type ChainNames,
  KUBE_EXTERNAL_SERVICES,
  KUBE_FIREWALL,
  KUBE_FORWARD,
  KUBE_MARK_MASQ,
  KUBE_NODEPORTS,
  KUBE_POSTROUTING,
  KUBE_PROXY_FIREWALL,
  KUBE_SERVICES,
} from './chain-names.js';
import { type ServicePortRules, servicePortRules } from './service-rules.js';

/** A jump from a built-in chain to one of ours (upstream's iptablesJumpChains). */
export interface HookJump {
  table: 'filter' | 'nat';
  chain: string;
  target: string;
  /** The match and comment, as iptables-save prints them. */
  args: string;
}

export const HOOK_JUMPS: readonly HookJump[] = [
  {
    table: 'filter',
    chain: 'INPUT',
    target: KUBE_EXTERNAL_SERVICES,
    args: '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals"',
  },
  {
    table: 'filter',
    chain: 'FORWARD',
    target: KUBE_EXTERNAL_SERVICES,
    args: '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals"',
  },
  { table: 'filter', chain: 'INPUT', target: KUBE_NODEPORTS, args: '-m comment --comment "kubernetes health check service ports"' },
  {
    table: 'filter',
    chain: 'FORWARD',
    target: KUBE_SERVICES,
    args: '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals"',
  },
  {
    table: 'filter',
    chain: 'OUTPUT',
    target: KUBE_SERVICES,
    args: '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals"',
  },
  { table: 'filter', chain: 'FORWARD', target: KUBE_FORWARD, args: '-m comment --comment "kubernetes forwarding rules"' },
  ...(['INPUT', 'FORWARD', 'OUTPUT'] as const).map(
    (chain): HookJump => ({
      table: 'filter',
      chain,
      target: KUBE_PROXY_FIREWALL,
      args: '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall"',
    }),
  ),
  // NodePorts on 127.0.0.1 need route_localnet: packets for 127/8 from elsewhere are dropped
  { table: 'filter', chain: 'INPUT', target: KUBE_FIREWALL, args: '' },
  { table: 'filter', chain: 'OUTPUT', target: KUBE_FIREWALL, args: '' },
  { table: 'nat', chain: 'OUTPUT', target: KUBE_SERVICES, args: '-m comment --comment "kubernetes service portals"' },
  { table: 'nat', chain: 'PREROUTING', target: KUBE_SERVICES, args: '-m comment --comment "kubernetes service portals"' },
  { table: 'nat', chain: 'POSTROUTING', target: KUBE_POSTROUTING, args: '-m comment --comment "kubernetes postrouting rules"' },
];

/** The packet mark of traffic to masquerade (upstream's default --iptables-masquerade-bit 14). */
export const MASQ_MARK = '0x4000';

/** What earlier syncs computed and wrote, so a partial sync redoes only what changed. */
export interface RulesCache {
  /** Each service port's rules as last computed. */
  ports: Map<string, ServicePortRules>;
  /** Each shared chain's rules as last written (`table chain` → text). */
  shared: Map<string, string>;
}

export const newRulesCache = (): RulesCache => ({ ports: new Map(), shared: new Map() });

export interface RestoreInputOptions {
  state: ProxyState;
  /** Service ports whose chains are rewritten (ignored when `full`). */
  changed: ReadonlySet<string>;
  full: boolean;
  names: ChainNames;
  serviceCIDR: string;
  clusterCIDR?: string;
  /** The node's addresses (load balancer source ranges holding one let the node through). */
  nodeIPs?: readonly string[];
  /** Per-service-port chains that exist now (written by earlier syncs or found on the host). */
  existingChains: ReadonlySet<string>;
  /** Hook jumps to insert. */
  missingJumps: readonly HookJump[];
  /** Updated with the service ports computed here; a full sync recomputes and rewrites everything. */
  cache: RulesCache;
}

/**
 * When more service ports than this are written (a full sync), their chains go in restores of
 * this many each before the last one: iptables-nft's restore --noflush grows faster than its
 * input (1,000 × 10 endpoints: 8 s in one restore, 2 s in chunks). Each chunk rewrites whole
 * service ports, so traffic always meets complete chains; the shared chains come last.
 */
export const CHUNK_SERVICE_PORTS = 200;

export interface RestoreInput {
  /** Restores to apply, in order, before `text` (only when many service ports are written). */
  chunks: string[];
  /** The (last) restore: the shared chains, the hooks, stale chains deleted. */
  text: string;
  /** The per-service-port nat chains in use after this sync. */
  activeChains: Set<string>;
  /** The shared chains' rules once this input is applied (RulesCache.shared). */
  shared: Map<string, string>;
  /** How many service ports' chains were written. */
  written: number;
}

interface SharedChain {
  table: 'filter' | 'nat';
  chain: string;
  rules: string[];
}

export function restoreInput(o: RestoreInputOptions): RestoreInput {
  const filter = { services: [] as string[], external: [] as string[], nodePorts: [] as string[], firewall: [] as string[] };
  const nat = { services: [] as string[], nodePorts: [] as string[] };
  /** The chains of each service port written, declared and with their rules. */
  const blocks: { decls: string[]; rules: string[] }[] = [];
  const activeChains = new Set<string>();
  const ctx = { names: o.names, ...(o.clusterCIDR ? { clusterCIDR: o.clusterCIDR } : {}), ...(o.nodeIPs ? { nodeIPs: o.nodeIPs } : {}) };
  let written = 0;
  for (const gone of o.full ? o.cache.ports.keys() : o.changed) if (!o.state.services.has(gone)) o.cache.ports.delete(gone);
  for (const [key, port] of o.state.services) {
    const before = o.full ? undefined : o.cache.ports.get(key);
    let rules = o.changed.has(key) ? undefined : before;
    if (!rules) {
      written++;
      rules = servicePortRules(port, o.state.endpoints.get(key) ?? [], ctx, true);
      const block = { decls: [] as string[], rules: [] as string[] };
      for (const [chain, lines] of rules.chains) {
        // a chain that reads as it was written (an endpoint that stayed) is left alone
        if (o.existingChains.has(chain) && sameLines(before?.chains.get(chain), lines)) continue;
        block.decls.push(`:${chain} - [0:0]`);
        block.rules.push(...lines);
      }
      blocks.push(block);
      o.cache.ports.set(key, rules);
    }
    filter.services.push(...rules.filterServices);
    filter.external.push(...rules.filterExternalServices);
    filter.nodePorts.push(...rules.filterNodePorts);
    filter.firewall.push(...rules.filterFirewall);
    nat.services.push(...rules.natServices);
    nat.nodePorts.push(...rules.natNodePorts);
    for (const chain of rules.chains.keys()) activeChains.add(chain);
  }
  const stale = [...o.existingChains].filter((c) => !activeChains.has(c));
  const shared: SharedChain[] = [
    {
      table: 'filter',
      chain: KUBE_SERVICES,
      rules: [...filter.services, `-A ${KUBE_SERVICES} -m comment --comment "no service owns this address" -d ${o.serviceCIDR} -j REJECT`],
    },
    { table: 'filter', chain: KUBE_EXTERNAL_SERVICES, rules: filter.external },
    { table: 'filter', chain: KUBE_NODEPORTS, rules: filter.nodePorts },
    { table: 'filter', chain: KUBE_PROXY_FIREWALL, rules: filter.firewall },
    {
      table: 'filter',
      chain: KUBE_FORWARD,
      rules: [
        `-A ${KUBE_FORWARD} -m conntrack --ctstate INVALID -j DROP`,
        `-A ${KUBE_FORWARD} -m comment --comment "kubernetes forwarding rules" -m mark --mark ${MASQ_MARK}/${MASQ_MARK} -j ACCEPT`,
        `-A ${KUBE_FORWARD} -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
      ],
    },
    {
      table: 'filter',
      chain: KUBE_FIREWALL,
      rules: [
        `-A ${KUBE_FIREWALL} -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`,
      ],
    },
    {
      table: 'nat',
      chain: KUBE_POSTROUTING,
      rules: [
        `-A ${KUBE_POSTROUTING} -m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`,
        `-A ${KUBE_POSTROUTING} -j MARK --xor-mark ${MASQ_MARK}`,
        `-A ${KUBE_POSTROUTING} -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully`,
      ],
    },
    { table: 'nat', chain: KUBE_MARK_MASQ, rules: [`-A ${KUBE_MARK_MASQ} -j MARK --or-mark ${MASQ_MARK}`] },
    {
      table: 'nat',
      chain: KUBE_SERVICES,
      rules: [
        ...nat.services,
        `-A ${KUBE_SERVICES} -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j ${KUBE_NODEPORTS}`,
      ],
    },
    { table: 'nat', chain: KUBE_NODEPORTS, rules: nat.nodePorts },
  ];
  // a shared chain is rewritten (declared: flushed) only when its rules differ from the last written
  const sharedNow = new Map<string, string>();
  const rewrite = new Set<SharedChain>();
  for (const c of shared) {
    const text = c.rules.join('\n');
    sharedNow.set(`${c.table} ${c.chain}`, text);
    if (o.full || o.cache.shared.get(`${c.table} ${c.chain}`) !== text) rewrite.add(c);
  }
  const section = (table: SharedChain['table']) => shared.filter((c) => c.table === table && rewrite.has(c));
  const jumps = (table: HookJump['table']): string[] =>
    o.missingJumps.filter((j) => j.table === table).map((j) => `-I ${j.chain} 1${j.args ? ` ${j.args}` : ''} -j ${j.target}`);
  const chunked = blocks.length > CHUNK_SERVICE_PORTS;
  const chunks: string[] = [];
  // the chunks jump to KUBE-MARK-MASQ: the first one makes sure it is there (rewritten whole, atomically)
  const markMasq = shared.find((c) => c.table === 'nat' && c.chain === KUBE_MARK_MASQ)?.rules ?? [];
  for (let i = 0; chunked && i < blocks.length; i += CHUNK_SERVICE_PORTS) {
    const group = blocks.slice(i, i + CHUNK_SERVICE_PORTS);
    const first = i === 0 ? { decls: [`:${KUBE_MARK_MASQ} - [0:0]`], rules: markMasq } : { decls: [], rules: [] };
    chunks.push(
      ['*nat', ...first.decls, ...group.flatMap((b) => b.decls), ...first.rules, ...group.flatMap((b) => b.rules), 'COMMIT', ''].join('\n'),
    );
  }
  const own = chunked ? [] : blocks;
  const lines = [
    '*filter',
    ...section('filter').map((c) => `:${c.chain} - [0:0]`),
    ...jumps('filter'),
    ...section('filter').flatMap((c) => c.rules),
    'COMMIT',
    '*nat',
    ...section('nat').map((c) => `:${c.chain} - [0:0]`),
    ...own.flatMap((b) => b.decls),
    ...stale.map((c) => `:${c} - [0:0]`),
    ...jumps('nat'),
    ...section('nat').flatMap((c) => c.rules),
    ...own.flatMap((b) => b.rules),
    ...stale.map((c) => `-X ${c}`),
    'COMMIT',
    '',
  ];
  return { chunks, text: lines.join('\n'), activeChains, shared: sharedNow, written };
}

const sameLines = (a: readonly string[] | undefined, b: readonly string[]): boolean =>
  a !== undefined && a.length === b.length && a.every((line, i) => line === b[i]);
