/**
 * The iptables half of the service proxy phase, run by proxy-sync-child.ts inside the bench's
 * network namespace: the iptables proxier's sync time at S Services × E endpoints against the
 * real iptables-restore, exec'd directly as a node's proxy does it.
 *
 *   full      every chain rewritten (the first sync, the hourly resync, the retry after a failure)
 *   partial   one endpoint of one Service replaced: only that service port's chains rewritten
 *
 * Each sync's time is split into building the restore input (in this process) and running
 * iptables-restore. The floor of any sync is the smallest rule change (KUBE-MARK-MASQ rewritten)
 * run the same way: with iptables-nft the kernel validates the whole jump graph reachable from
 * the hooked chains on each such commit, tens of ms at 32,000 rules, whatever the change.
 *
 *   measureIptables(options: SyncRounds): Promise<IptablesResults>
 */
import { hostIptables, type Iptables, savedRules } from '../src/proxy/iptables/iptables.js';
import { IptablesProxier } from '../src/proxy/iptables/proxier.js';
import { childrenCpuMs, type Measured, type SyncRounds, syntheticState } from './proxy-state.js';
import { type LatencySummary, summarize } from './stats.js';

export interface IptablesResults {
  full: Measured;
  partial: Measured;
  /** The smallest rule change, run the same way: the floor of any sync. */
  floor: LatencySummary;
  floorCpuMs: number;
  /** Rules in the nat and filter tables after the full syncs. */
  rules: number;
}

export async function measureIptables(options: SyncRounds): Promise<IptablesResults> {
  const restoreMs: number[] = [];
  const iptables: Iptables = {
    save: (table) => hostIptables.save(table),
    restore: async (input) => {
      const started = performance.now();
      await hostIptables.restore(input);
      restoreMs.push(performance.now() - started);
    },
  };
  const proxier = new IptablesProxier({
    nodeName: 'bench',
    nodeIPs: [],
    serviceCIDR: '10.96.0.0/12',
    clusterCIDR: '10.244.0.0/16',
    iptables,
    enableRouteLocalnet: async () => {},
  });
  const { state, all, replaceOneEndpoint } = syntheticState(options.services, options.endpoints);
  const run = async (kind: 'full' | 'partial'): Promise<Measured> => {
    const rounds = kind === 'full' ? options.fullRounds : options.rounds;
    const sync = new Float64Array(rounds);
    const restore = new Float64Array(rounds);
    const cpuBefore = await childrenCpuMs();
    for (let r = 0; r < rounds; r++) {
      restoreMs.length = 0;
      const changed = kind === 'partial' ? new Set([replaceOneEndpoint(r)]) : all;
      const result = await proxier.sync(state, changed, { full: kind === 'full' });
      sync[r] = result.durationMs;
      // a full sync of many service ports is several restores: their sum
      restore[r] = restoreMs.reduce((a, b) => a + b, 0);
    }
    const cpuMs = ((await childrenCpuMs()) - cpuBefore) / rounds;
    return { sync: summarize(sync), restore: summarize(restore), cpuMs };
  };
  options.log(`iptables: full syncs of ${options.services} Services × ${options.endpoints} endpoints`);
  const full = await run('full');
  const rules = savedRules(await hostIptables.save('nat')).length + savedRules(await hostIptables.save('filter')).length;
  options.log(`iptables: partial syncs (one endpoint changed), ${rules} rules in the tables`);
  const partial = await run('partial');
  restoreMs.length = 0;
  const cpuBefore = await childrenCpuMs();
  // the smallest rule change: KUBE-MARK-MASQ flushed and its one rule written again
  for (let r = 0; r < options.rounds; r++)
    await iptables.restore('*nat\n:KUBE-MARK-MASQ - [0:0]\n-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000\nCOMMIT\n');
  const floorCpuMs = ((await childrenCpuMs()) - cpuBefore) / options.rounds;
  return { full, partial, floor: summarize(Float64Array.from(restoreMs)), floorCpuMs, rules };
}
