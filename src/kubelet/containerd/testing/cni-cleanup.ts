/**
 * Removes what the CNI plugins left on the host for one network when its sandboxes were never
 * torn down through CNI DEL (containerd killed under them): the bridge, and the iptables rules
 * whose comments carry the network's name (bridge's ipMasq `CNI-<hash>` chains, portmap's
 * `CNI-DN-<hash>` chains) with the chains they jump to. portmap's shared CNI-HOSTPORT-* chains
 * go only when they did not exist before and no port mapping of anyone is left in them.
 *
 * `k8ts killall` uses it too, with `report` told one line per bridge, rule and chain removed.
 *
 *   cleanupCniNetwork(network: { name: string; bridge: string; hostportChainsExisted: boolean }, report?: (line: string) => void): Promise<void>
 *   hostportChainsExist(): Promise<boolean>
 */
import { runCommand } from '../../command.js';

const SHARED = ['CNI-HOSTPORT-DNAT', 'CNI-HOSTPORT-SNAT', 'CNI-HOSTPORT-MASQ', 'CNI-HOSTPORT-SETMARK'];

async function save(table: string): Promise<string[]> {
  return (await runCommand('iptables-save', ['-t', table])).stdout.split('\n');
}

function chainsOf(lines: string[]): Set<string> {
  return new Set(lines.filter((l) => l.startsWith(':')).map((l) => l.slice(1).split(' ')[0] ?? ''));
}

export async function hostportChainsExist(): Promise<boolean> {
  return chainsOf(await save('nat')).has('CNI-HOSTPORT-DNAT');
}

type Report = (line: string) => void;
const silent: Report = () => undefined;

/** One iptables-restore: delete `rules` (as iptables-save printed them, with -A), then flush and delete `chains`. */
async function remove(table: string, rules: string[], chains: string[], report: Report): Promise<void> {
  if (rules.length === 0 && chains.length === 0) return;
  const script = [
    `*${table}`,
    ...rules.map((r) => `-D${r.slice(2)}`),
    ...chains.map((c) => `-F ${c}`),
    ...chains.map((c) => `-X ${c}`),
    'COMMIT',
    '',
  ].join('\n');
  await runCommand('iptables-restore', ['--noflush'], { input: script });
  for (const r of rules) report(`deleted iptables rule -t ${table} ${r}`);
  for (const c of chains) report(`deleted iptables chain -t ${table} ${c}`);
}

async function removeNetworkRules(table: string, name: string, report: Report): Promise<void> {
  const lines = await save(table);
  const chains = chainsOf(lines);
  const tag = `name: \\"${name}\\" id: `;
  const ours = lines.filter((l) => l.startsWith('-A ') && l.includes(tag));
  const targets = new Set(
    ours.map((l) => / -j (\S+)/.exec(l)?.[1] ?? '').filter((c) => c.startsWith('CNI-') && !SHARED.includes(c) && chains.has(c)),
  );
  // Rules elsewhere that still jump to those chains must go before the chains can.
  const jumps = lines.filter((l) => l.startsWith('-A ') && !ours.includes(l) && [...targets].some((c) => l.endsWith(` -j ${c}`)));
  await remove(table, [...ours, ...jumps], [...targets], report);
}

async function removeIdleHostportChains(report: Report): Promise<void> {
  const lines = await save('nat');
  const chains = chainsOf(lines);
  if (!chains.has('CNI-HOSTPORT-DNAT') || lines.some((l) => l.startsWith('-A CNI-HOSTPORT-DNAT '))) return;
  const jumps = lines.filter((l) => l.startsWith('-A ') && SHARED.some((c) => l.endsWith(` -j ${c}`)));
  await remove(
    'nat',
    jumps,
    SHARED.filter((c) => chains.has(c)),
    report,
  );
}

async function deleteLink(name: string, report: Report): Promise<void> {
  const { stdout } = await runCommand('ip', ['-o', 'link', 'show']);
  if (!stdout.split('\n').some((l) => l.split(': ')[1]?.split('@')[0] === name)) return;
  await runCommand('ip', ['link', 'del', name]);
  report(`deleted bridge ${name}`);
}

export async function cleanupCniNetwork(
  network: { name: string; bridge: string; hostportChainsExisted: boolean },
  report: Report = silent,
): Promise<void> {
  await deleteLink(network.bridge, report);
  for (const table of ['nat', 'filter']) await removeNetworkRules(table, network.name, report);
  if (!network.hostportChainsExisted) await removeIdleHostportChains(report);
}
