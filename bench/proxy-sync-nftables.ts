/**
 * The nftables half of the service proxy phase, run by proxy-sync-child.ts inside the bench's
 * network namespace: the nftables proxier's sync time at S Services × E endpoints against the
 * real nft, exec'd directly as a node's proxy does it, measured as the iptables mode's is.
 *
 *   full      the table rebuilt: every chain flushed and rewritten, the maps refilled
 *   partial   one endpoint of one Service replaced: its chain added, the service chain rewritten,
 *             the old endpoint's chain flushed — one `nft -f -`
 *   deletion  that flushed chain deleted, as the proxier does it a second later between syncs
 *             (nft 1.0.6 reads every chain of the table before any delete)
 *
 * Each sync's time is split into building the transaction (in this process) and running nft; the
 * floor of any sync is the smallest transaction run the same way.
 *
 *   measureNftables(options: SyncRounds): Promise<NftablesResults>
 */
import { FAMILY_TABLE, MARK_MASQ_CHAIN } from '../src/proxy/nftables/names.js';
import { hostNft, type Nft } from '../src/proxy/nftables/nft.js';
import { NftablesProxier } from '../src/proxy/nftables/proxier.js';
import { childrenCpuMs, type Measured, type SyncRounds, syntheticState } from './proxy-state.js';
import { type LatencySummary, summarize } from './stats.js';

export interface NftablesResults {
  full: Measured;
  partial: Measured;
  /** Deleting the chain of the endpoint each partial sync replaced. */
  deletion: Measured;
  /** The smallest transaction (one chain's one rule rewritten). */
  floor: LatencySummary;
  floorCpuMs: number;
  /** Chains in the table after the partial syncs. */
  chains: number;
}

export async function measureNftables(options: SyncRounds): Promise<NftablesResults> {
  const host = hostNft();
  const nftMs: number[] = [];
  const nft: Nft = {
    run: async (commands) => {
      const started = performance.now();
      await host.run(commands);
      nftMs.push(performance.now() - started);
    },
    list: () => host.list(),
  };
  const proxier = new NftablesProxier({
    nodeName: 'bench',
    nodeIPs: [],
    serviceCIDR: '10.96.0.0/12',
    clusterCIDR: '10.244.0.0/16',
    nft,
    enableRouteLocalnet: async () => {},
    // deleted below, by the bench, one change at a time
    staleDeletionDelayMs: 3_600_000,
  });
  const synthetic = syntheticState(options.services, options.endpoints);
  const timed = async (rounds: number, work: (round: number) => Promise<number | undefined>): Promise<LatencySummary> => {
    const samples = new Float64Array(rounds);
    for (let r = 0; r < rounds; r++) {
      const started = performance.now();
      samples[r] = (await work(r)) ?? performance.now() - started;
    }
    return summarize(samples);
  };
  const fullSyncs = async (): Promise<Measured> => {
    const nftTotal = new Float64Array(options.fullRounds);
    const cpuBefore = await childrenCpuMs();
    const sync = await timed(options.fullRounds, async (r) => {
      nftMs.length = 0;
      const result = await proxier.sync(synthetic.state, synthetic.all, { full: true });
      nftTotal[r] = nftMs.reduce((a, b) => a + b, 0);
      return result.durationMs;
    });
    const cpuMs = ((await childrenCpuMs()) - cpuBefore) / options.fullRounds;
    return { sync, restore: summarize(nftTotal), cpuMs };
  };
  try {
    options.log(`nftables: full syncs of ${options.services} Services × ${options.endpoints} endpoints`);
    const full = await fullSyncs();
    options.log('nftables: partial syncs (one endpoint changed), each replaced chain deleted after it');
    const partial = await timedPartials();
    const floorCpuBefore = await childrenCpuMs();
    const floor = await timed(options.rounds, async () => {
      await host.run([
        `flush chain ${FAMILY_TABLE} ${MARK_MASQ_CHAIN}`,
        `add chain ${FAMILY_TABLE} ${MARK_MASQ_CHAIN} { mark set mark or 0x4000 ; }`,
      ]);
      return undefined;
    });
    const floorCpuMs = ((await childrenCpuMs()) - floorCpuBefore) / options.rounds;
    const chains = (await host.list()).chains.length;
    return { full, partial: partial.partial, deletion: partial.deletion, floor, floorCpuMs, chains };
  } finally {
    await proxier.cleanup().catch(() => {});
  }

  async function timedPartials(): Promise<{ partial: Measured; deletion: Measured }> {
    const deletion = new Float64Array(options.rounds);
    const nftTotal = new Float64Array(options.rounds);
    const deletionNft = new Float64Array(options.rounds);
    let syncCpu = 0;
    let deletionCpu = 0;
    const sync = await timed(options.rounds, async (r) => {
      nftMs.length = 0;
      let cpu = await childrenCpuMs();
      const result = await proxier.sync(synthetic.state, new Set([synthetic.replaceOneEndpoint(r)]));
      nftTotal[r] = nftMs.reduce((a, b) => a + b, 0);
      syncCpu += (await childrenCpuMs()) - cpu;
      nftMs.length = 0;
      cpu = await childrenCpuMs();
      const started = performance.now();
      await proxier.deleteStaleNow();
      deletion[r] = performance.now() - started;
      deletionNft[r] = nftMs.reduce((a, b) => a + b, 0);
      deletionCpu += (await childrenCpuMs()) - cpu;
      return result.durationMs;
    });
    return {
      partial: { sync, restore: summarize(nftTotal), cpuMs: syncCpu / options.rounds },
      deletion: { sync: summarize(deletion), restore: summarize(deletionNft), cpuMs: deletionCpu / options.rounds },
    };
  }
}
