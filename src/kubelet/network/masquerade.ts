/**
 * The iptables rules of the pod network, in chains of k8ts' own as flannel keeps them in
 * FLANNEL-POSTRTG and FLANNEL-FWD: one masquerade for traffic from the cluster CIDR that leaves
 * the cluster CIDR (pod-to-pod traffic across nodes keeps the pod's address; the CNI bridge
 * plugin's own ipMasq is then off, so there is one masquerade, not two), and forwarding of
 * cluster traffic accepted (for hosts whose FORWARD policy is DROP).
 *
 *   nat     POSTROUTING → K8TS-POSTRTG: -s CLUSTER ! -d CLUSTER -j MASQUERADE --random-fully
 *   filter  FORWARD     → K8TS-FWD:     -s CLUSTER -j ACCEPT; -d CLUSTER -j ACCEPT
 *
 * Each rule carries the comment `k8ts pod network on <bridge>`, so nodes on one machine (tests)
 * keep their own rules apart and cleanup removes this node's only; a chain goes with its jump once
 * it is empty.
 *
 *   syncMasquerade(run, { clusterCIDR, bridge }): Promise<void>
 *   cleanupMasquerade(run, bridge, report?): Promise<void>
 */
import type { NetworkCommandRunner } from './interface.js';

export const POSTROUTING_CHAIN = 'K8TS-POSTRTG';
export const FORWARD_CHAIN = 'K8TS-FWD';
const JUMP_COMMENT = 'k8ts pod network';

interface ChainRules {
  table: 'nat' | 'filter';
  chain: string;
  /** The built-in chain that jumps to it. */
  from: string;
  rules: string[][];
}

const commentOf = (bridge: string): string => `k8ts pod network on ${bridge}`;

/** The rules of both chains for one node (iptables arguments after `-A CHAIN`). */
export function masqueradeRules(clusterCIDR: string, bridge: string): ChainRules[] {
  const comment = ['-m', 'comment', '--comment', commentOf(bridge)];
  return [
    {
      table: 'nat',
      chain: POSTROUTING_CHAIN,
      from: 'POSTROUTING',
      rules: [['-s', clusterCIDR, '!', '-d', clusterCIDR, ...comment, '-j', 'MASQUERADE', '--random-fully']],
    },
    {
      table: 'filter',
      chain: FORWARD_CHAIN,
      from: 'FORWARD',
      rules: [
        ['-s', clusterCIDR, ...comment, '-j', 'ACCEPT'],
        ['-d', clusterCIDR, ...comment, '-j', 'ACCEPT'],
      ],
    },
  ];
}

const succeeds = (p: Promise<unknown>): Promise<boolean> =>
  p.then(
    () => true,
    () => false,
  );

/** The chain's rules as `iptables -S` prints them (without the -N line); [] when it does not exist. */
async function listRules(run: NetworkCommandRunner, table: string, chain: string): Promise<string[] | undefined> {
  const out = await run('iptables', ['-w', '-t', table, '-S', chain]).catch(() => undefined);
  return out?.split('\n').filter((l) => l.startsWith('-A '));
}

/** Deletes rules given as `iptables -S` lines, in one iptables-restore (it parses their quoting). */
async function deleteRules(run: NetworkCommandRunner, table: string, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  const script = [`*${table}`, ...lines.map((l) => `-D${l.slice(2)}`), 'COMMIT', ''].join('\n');
  await run('sh', ['-c', `printf '%s' "$0" | iptables-restore -w --noflush`, script]);
}

/** Makes this node's rules exactly the wanted ones (stale ones, e.g. of another cluster CIDR, removed). */
export async function syncMasquerade(run: NetworkCommandRunner, options: { clusterCIDR: string; bridge: string }): Promise<void> {
  const tag = `"${commentOf(options.bridge)}"`;
  for (const c of masqueradeRules(options.clusterCIDR, options.bridge)) {
    const ipt = (args: string[]) => run('iptables', ['-w', '-t', c.table, ...args]);
    if ((await listRules(run, c.table, c.chain)) === undefined) await ipt(['-N', c.chain]);
    const jump = ['-m', 'comment', '--comment', JUMP_COMMENT, '-j', c.chain];
    if (!(await succeeds(ipt(['-C', c.from, ...jump])))) await ipt(['-A', c.from, ...jump]);
    const wanted: string[] = [];
    for (const rule of c.rules) {
      if (await succeeds(ipt(['-C', c.chain, ...rule]))) wanted.push(rule.join(' '));
      else await ipt(['-A', c.chain, ...rule]);
    }
    const mine = ((await listRules(run, c.table, c.chain)) ?? []).filter((l) => l.includes(tag));
    // what -C did not match is stale: compare by the CIDRs the rule names
    const stale = mine.filter((l) => !l.includes(` ${options.clusterCIDR} `));
    await deleteRules(run, c.table, stale);
  }
}

/** Removes this node's rules; a chain left empty goes with the jump to it. */
export async function cleanupMasquerade(
  run: NetworkCommandRunner,
  bridge: string,
  report: (line: string) => void = () => undefined,
): Promise<void> {
  const tag = `"${commentOf(bridge)}"`;
  for (const c of masqueradeRules('0.0.0.0/0', bridge)) {
    const rules = await listRules(run, c.table, c.chain);
    if (rules === undefined) continue;
    const mine = rules.filter((l) => l.includes(tag));
    await deleteRules(run, c.table, mine);
    for (const l of mine) report(`removed iptables -t ${c.table} ${l}`);
    if (rules.length > mine.length) continue;
    const jump = ['-m', 'comment', '--comment', JUMP_COMMENT, '-j', c.chain];
    while (await succeeds(run('iptables', ['-w', '-t', c.table, '-D', c.from, ...jump])))
      report(`removed iptables -t ${c.table} jump ${c.from} → ${c.chain}`);
    await run('iptables', ['-w', '-t', c.table, '-X', c.chain]);
    report(`removed iptables chain ${c.table}/${c.chain}`);
  }
}
