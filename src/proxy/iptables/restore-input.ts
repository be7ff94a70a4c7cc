/**
 * One sync's iptables-restore input (for `iptables-restore --noflush`), as upstream's
 * syncProxyRules builds it with minimize-iptables-restore: the shared chains (filter
 * KUBE-SERVICES / KUBE-EXTERNAL-SERVICES / KUBE-NODEPORTS / KUBE-FORWARD, nat KUBE-SERVICES /
 * KUBE-NODEPORTS / KUBE-POSTROUTING / KUBE-MARK-MASQ) are declared — which flushes them — and
 * rewritten every time; a service port's own chains only when it changed or the sync is full;
 * chains no longer used are flushed and deleted (-X); the hook jumps from the built-in chains are
 * inserted when missing. Traffic to an address of the service CIDR that no rule took is REJECTed.
 */
import type { ProxyState } from '../interface.js';
import {
  type ChainNames,
  KUBE_EXTERNAL_SERVICES,
  KUBE_FORWARD,
  KUBE_MARK_MASQ,
  KUBE_NODEPORTS,
  KUBE_POSTROUTING,
  KUBE_SERVICES,
} from './chain-names.js';
import { servicePortRules } from './service-rules.js';

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
  { table: 'nat', chain: 'OUTPUT', target: KUBE_SERVICES, args: '-m comment --comment "kubernetes service portals"' },
  { table: 'nat', chain: 'PREROUTING', target: KUBE_SERVICES, args: '-m comment --comment "kubernetes service portals"' },
  { table: 'nat', chain: 'POSTROUTING', target: KUBE_POSTROUTING, args: '-m comment --comment "kubernetes postrouting rules"' },
];

/** The packet mark of traffic to masquerade (upstream's default --iptables-masquerade-bit 14). */
export const MASQ_MARK = '0x4000';

export interface RestoreInputOptions {
  state: ProxyState;
  /** Service ports whose chains are rewritten (ignored when `full`). */
  changed: ReadonlySet<string>;
  full: boolean;
  names: ChainNames;
  serviceCIDR: string;
  clusterCIDR?: string;
  /** Per-service-port chains that exist now (written by earlier syncs or found on the host). */
  existingChains: ReadonlySet<string>;
  /** Hook jumps to insert. */
  missingJumps: readonly HookJump[];
}

export interface RestoreInput {
  text: string;
  /** The per-service-port nat chains in use after this sync. */
  activeChains: Set<string>;
  /** How many service ports' chains were written. */
  written: number;
}

export function restoreInput(o: RestoreInputOptions): RestoreInput {
  const filter = {
    services: [] as string[],
    external: [] as string[],
    nodePorts: [] as string[],
  };
  const nat = { services: [] as string[], nodePorts: [] as string[], chainDecls: [] as string[], chainRules: [] as string[] };
  const activeChains = new Set<string>();
  let written = 0;
  for (const [key, port] of o.state.services) {
    const write = o.full || o.changed.has(key);
    if (write) written++;
    const rules = servicePortRules(
      port,
      o.state.endpoints.get(key) ?? [],
      { names: o.names, ...(o.clusterCIDR ? { clusterCIDR: o.clusterCIDR } : {}) },
      write,
    );
    filter.services.push(...rules.filterServices);
    filter.external.push(...rules.filterExternalServices);
    filter.nodePorts.push(...rules.filterNodePorts);
    nat.services.push(...rules.natServices);
    nat.nodePorts.push(...rules.natNodePorts);
    for (const [chain, lines] of rules.chains) {
      activeChains.add(chain);
      if (!write) continue;
      nat.chainDecls.push(`:${chain} - [0:0]`);
      nat.chainRules.push(...lines);
    }
  }
  const stale = [...o.existingChains].filter((c) => !activeChains.has(c));
  const jumps = (table: HookJump['table']): string[] =>
    o.missingJumps.filter((j) => j.table === table).map((j) => `-I ${j.chain} 1 ${j.args} -j ${j.target}`);
  const lines = [
    '*filter',
    `:${KUBE_SERVICES} - [0:0]`,
    `:${KUBE_EXTERNAL_SERVICES} - [0:0]`,
    `:${KUBE_NODEPORTS} - [0:0]`,
    `:${KUBE_FORWARD} - [0:0]`,
    ...jumps('filter'),
    ...filter.nodePorts,
    ...filter.services,
    `-A ${KUBE_SERVICES} -m comment --comment "no service owns this address" -d ${o.serviceCIDR} -j REJECT`,
    ...filter.external,
    `-A ${KUBE_FORWARD} -m conntrack --ctstate INVALID -j DROP`,
    `-A ${KUBE_FORWARD} -m comment --comment "kubernetes forwarding rules" -m mark --mark ${MASQ_MARK}/${MASQ_MARK} -j ACCEPT`,
    `-A ${KUBE_FORWARD} -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
    'COMMIT',
    '*nat',
    `:${KUBE_SERVICES} - [0:0]`,
    `:${KUBE_NODEPORTS} - [0:0]`,
    `:${KUBE_POSTROUTING} - [0:0]`,
    `:${KUBE_MARK_MASQ} - [0:0]`,
    ...nat.chainDecls,
    ...stale.map((c) => `:${c} - [0:0]`),
    ...jumps('nat'),
    `-A ${KUBE_POSTROUTING} -m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`,
    `-A ${KUBE_POSTROUTING} -j MARK --xor-mark ${MASQ_MARK}`,
    `-A ${KUBE_POSTROUTING} -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully`,
    `-A ${KUBE_MARK_MASQ} -j MARK --or-mark ${MASQ_MARK}`,
    ...nat.services,
    `-A ${KUBE_SERVICES} -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j ${KUBE_NODEPORTS}`,
    ...nat.nodePorts,
    ...nat.chainRules,
    ...stale.map((c) => `-X ${c}`),
    'COMMIT',
    '',
  ];
  return { text: lines.join('\n'), activeChains, written };
}
