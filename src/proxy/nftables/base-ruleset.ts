/**
 * The fixed part of the kube-proxy table, written by every full sync (upstream's setupNFTables):
 * the table; its base chains, one per hook and type, named `<type>-<hook>`, with the jumps to the
 * regular chains; those chains' rules; and the sets and verdict maps, declared and flushed (the
 * full sync then fills them). Filter chains run before DNAT (priority dstnat - 10) so they see the
 * service address; cluster-ips-check runs after it (forward, and output at dstnat + 10), where
 * only traffic no service took is still addressed to the service CIDR.
 *
 * Where k8ts differs from upstream: NodePorts answer on 127.0.0.1 too (as the iptables mode's,
 * with route_localnet, and the same "block incoming localnet connections" rule), and traffic to
 * an address of the service CIDR that no Service owns is rejected, not dropped, so a client
 * fails at once.
 *
 *   baseRuleset(options: BaseRulesetOptions): string[]   nft commands
 */
import { MASQ_MARK } from '../iptables/restore-input.js';
import {
  CLUSTER_IPS_CHECK_CHAIN,
  CONTAINER_NAMES,
  CONTAINERS,
  FAMILY_TABLE,
  FIREWALL_CHECK_CHAIN,
  MARK_MASQ_CHAIN,
  MASQUERADING_CHAIN,
  NODEPORT_ENDPOINTS_CHECK_CHAIN,
  REJECT_CHAIN,
  SERVICE_ENDPOINTS_CHECK_CHAIN,
  SERVICES_CHAIN,
} from './names.js';

interface BaseChain {
  name: string;
  type: 'filter' | 'nat';
  hook: 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';
  /** dstnat is -100, srcnat 100 (written as numbers: nft 1.0.6 takes "dstnat" only on prerouting). */
  priority: number;
  /** The rules: jumps to the regular chains. */
  rules: string[];
}

const NEW = 'ct state new';
const BLOCK_LOCALNET =
  'ip daddr 127.0.0.0/8 ip saddr != 127.0.0.0/8 ct state & (established | related) == 0 ct status & dnat == 0 drop comment "block incoming localnet connections"';

export const BASE_CHAINS: readonly BaseChain[] = [
  { name: 'filter-prerouting', type: 'filter', hook: 'prerouting', priority: -110, rules: [`${NEW} jump ${FIREWALL_CHECK_CHAIN}`] },
  {
    name: 'filter-input',
    type: 'filter',
    hook: 'input',
    priority: -110,
    rules: [`${NEW} jump ${NODEPORT_ENDPOINTS_CHECK_CHAIN}`, `${NEW} jump ${SERVICE_ENDPOINTS_CHECK_CHAIN}`, BLOCK_LOCALNET],
  },
  {
    name: 'filter-forward',
    type: 'filter',
    hook: 'forward',
    priority: -110,
    rules: [`${NEW} jump ${SERVICE_ENDPOINTS_CHECK_CHAIN}`, `${NEW} jump ${CLUSTER_IPS_CHECK_CHAIN}`],
  },
  {
    name: 'filter-output',
    type: 'filter',
    hook: 'output',
    priority: -110,
    rules: [`${NEW} jump ${SERVICE_ENDPOINTS_CHECK_CHAIN}`, `${NEW} jump ${FIREWALL_CHECK_CHAIN}`, BLOCK_LOCALNET],
  },
  { name: 'filter-output-post-dnat', type: 'filter', hook: 'output', priority: -90, rules: [`${NEW} jump ${CLUSTER_IPS_CHECK_CHAIN}`] },
  { name: 'nat-prerouting', type: 'nat', hook: 'prerouting', priority: -100, rules: [`jump ${SERVICES_CHAIN}`] },
  { name: 'nat-output', type: 'nat', hook: 'output', priority: -100, rules: [`jump ${SERVICES_CHAIN}`] },
  { name: 'nat-postrouting', type: 'nat', hook: 'postrouting', priority: 100, rules: [`jump ${MASQUERADING_CHAIN}`] },
];

export interface BaseRulesetOptions {
  /** --service-cidr (comma-separated; the IPv4 ones apply). */
  serviceCIDR: string;
  /** Delete and recreate the base chains first (the first sync of a proxier: their hook or priority may have changed). */
  recreateBaseChains: boolean;
}

/** The fixed regular chains and their rules. */
function fixedChains(serviceCIDRs: string[]): [string, string[]][] {
  return [
    [
      SERVICES_CHAIN,
      ['ip daddr . meta l4proto . th dport vmap @service-ips', 'fib daddr type local meta l4proto . th dport vmap @service-nodeports'],
    ],
    [MARK_MASQ_CHAIN, [`mark set mark or ${MASQ_MARK}`]],
    [MASQUERADING_CHAIN, [`mark and ${MASQ_MARK} == 0 return`, `mark set mark xor ${MASQ_MARK}`, 'masquerade fully-random']],
    [SERVICE_ENDPOINTS_CHECK_CHAIN, ['ip daddr . meta l4proto . th dport vmap @no-endpoint-services']],
    [NODEPORT_ENDPOINTS_CHECK_CHAIN, ['meta l4proto . th dport vmap @no-endpoint-nodeports']],
    [FIREWALL_CHECK_CHAIN, ['ip daddr . meta l4proto . th dport vmap @firewall-ips']],
    [
      CLUSTER_IPS_CHECK_CHAIN,
      [
        'ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"',
        ...(serviceCIDRs.length > 0
          ? [`ip daddr { ${serviceCIDRs.join(', ')} } reject comment "Reject traffic to unallocated ClusterIPs"`]
          : []),
      ],
    ],
    [REJECT_CHAIN, ['reject']],
  ];
}

export function baseRuleset(options: BaseRulesetOptions): string[] {
  const serviceCIDRs = options.serviceCIDR
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && !c.includes(':'));
  const t = FAMILY_TABLE;
  const out = [`add table ${t} { comment "rules for kube-proxy" ; }`];
  if (options.recreateBaseChains) for (const c of BASE_CHAINS) out.push(`add chain ${t} ${c.name}`, `delete chain ${t} ${c.name}`);
  const fixed = fixedChains(serviceCIDRs);
  // every chain exists and is empty before any rule jumps to one
  for (const c of BASE_CHAINS) {
    out.push(`add chain ${t} ${c.name} { type ${c.type} hook ${c.hook} priority ${c.priority} ; }`, `flush chain ${t} ${c.name}`);
  }
  for (const [name] of fixed) out.push(`add chain ${t} ${name}`, `flush chain ${t} ${name}`);
  for (const name of CONTAINER_NAMES) {
    const { kind, type, comment } = CONTAINERS[name];
    out.push(`add ${kind} ${t} ${name} { type ${type} ; comment "${comment}" ; }`, `flush ${kind} ${t} ${name}`);
  }
  for (const [name, rules] of fixed) out.push(`add chain ${t} ${name} { ${rules.join(' ; ')} ; }`);
  for (const c of BASE_CHAINS) out.push(`add chain ${t} ${c.name} { ${c.rules.join(' ; ')} ; }`);
  return out;
}
