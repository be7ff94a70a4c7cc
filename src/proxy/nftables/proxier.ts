/**
 * The nftables proxier (upstream kube-proxy's nftables mode, GA in 1.33): one `ip kube-proxy`
 * table, each sync one `nft -f -` transaction (sync-script.ts). A full sync first lists the
 * table's chains and sets, to flush those an earlier run left; a partial sync sends only the
 * changed service ports' chains and elements and trusts what the previous syncs wrote. Chains and
 * affinity sets no longer used are flushed by the sync and deleted a second later in a
 * transaction of their own, between syncs (nft 1.0.6 reads every chain of the table before any
 * delete: kept off the path of a change). NodePorts answer on 127.0.0.1 too, with
 * net.ipv4.conf.all.route_localnet=1, as in the iptables mode; after each sync the stale UDP
 * conntrack entries of the changed service ports are deleted (../iptables/conntrack.ts).
 */
import { writeFile } from 'node:fs/promises';
import type { Proxier, ProxyState, SyncOptions, SyncResult } from '../interface.js';
import { Conntrack, rememberUDPServicePorts, staleConntrackFilters, type UDPServicePortSnapshot } from '../iptables/conntrack.js';
import type { ProxierOptions } from '../proxier-factory.js';
import { removeNftablesRules } from './cleanup.js';
import { hostNft, type Nft } from './nft.js';
import type { ObjectsContext } from './service-objects.js';
import { fullSyncScript, newWrittenTable, partialSyncScript, staleDeletionScript } from './sync-script.js';

export interface NftablesProxierOptions extends ProxierOptions {
  /** Default: the machine's nft. */
  nft?: Nft;
  /** Sets net.ipv4.conf.all.route_localnet (default: writes /proc/sys; tests pass a no-op). */
  enableRouteLocalnet?: () => Promise<void>;
  /** Runs `conntrack ARGS` (default: the machine's conntrack tool). */
  conntrack?: (args: string[]) => Promise<void>;
  /** How long a flushed, unused chain or set waits before it is deleted (default 1 s, upstream's). */
  staleDeletionDelayMs?: number;
}

const ROUTE_LOCALNET = '/proc/sys/net/ipv4/conf/all/route_localnet';

export class NftablesProxier implements Proxier {
  readonly mode = 'nftables' as const;
  readonly #options: NftablesProxierOptions;
  readonly #nft: Nft;
  readonly #ctx: ObjectsContext;
  readonly #log: (message: string) => void;
  readonly #conntrack: Conntrack;
  readonly #udp = new Map<string, UDPServicePortSnapshot>();
  readonly #staleDelayMs: number;
  #table = newWrittenTable();
  /** Until a sync succeeds, the next one is full (the table may not hold what #table says). */
  #needFull = true;
  #recreateBaseChains = true;
  #routeLocalnet = false;
  /** Syncs, stale deletions and cleanup run one at a time, in order. */
  #queue: Promise<unknown> = Promise.resolve();
  #deletionTimer: NodeJS.Timeout | undefined;

  constructor(options: NftablesProxierOptions) {
    this.#options = options;
    this.#nft = options.nft ?? hostNft();
    this.#ctx = { ...(options.clusterCIDR ? { clusterCIDR: options.clusterCIDR } : {}), nodeIPs: options.nodeIPs };
    this.#log = options.log ?? ((m: string) => console.error(m));
    this.#staleDelayMs = options.staleDeletionDelayMs ?? 1000;
    this.#conntrack = new Conntrack({
      ...(options.conntrack ? { run: options.conntrack } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  sync(state: ProxyState, changed: ReadonlySet<string>, options: SyncOptions = {}): Promise<SyncResult> {
    const started = performance.now();
    return this.#serially(() => this.#sync(state, changed, options.full === true, started));
  }

  /** Deletes the stale chains and sets now, whatever their age (benchmarks; the proxier does it by itself). */
  deleteStaleNow(): Promise<number> {
    return this.#serially(() => this.#deleteStale(Number.POSITIVE_INFINITY));
  }

  async cleanup(): Promise<void> {
    clearTimeout(this.#deletionTimer);
    this.#deletionTimer = undefined;
    await this.#serially(async () => {
      await removeNftablesRules({ nft: this.#nft });
      this.#table = newWrittenTable();
      this.#needFull = true;
      this.#udp.clear();
    });
  }

  #serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #sync(state: ProxyState, changed: ReadonlySet<string>, fullRequested: boolean, started: number): Promise<SyncResult> {
    if (!this.#routeLocalnet) {
      await (this.#options.enableRouteLocalnet ?? (() => writeFile(ROUTE_LOCALNET, '1')))();
      this.#routeLocalnet = true;
    }
    const full = fullRequested || this.#needFull;
    this.#needFull = true;
    const base = { state, table: this.#table, ctx: this.#ctx, now: performance.now() };
    const script = full
      ? fullSyncScript({
          ...base,
          serviceCIDR: this.#options.serviceCIDR,
          recreateBaseChains: this.#recreateBaseChains,
          existing: await this.#nft.list(),
        })
      : partialSyncScript({ ...base, changed });
    if (script.length > 0) await this.#nft.run(script);
    this.#needFull = false;
    this.#recreateBaseChains = false;
    const stale = staleConntrackFilters(this.#udp, state, changed);
    rememberUDPServicePorts(this.#udp, state, changed);
    await this.#conntrack.clear(stale);
    this.#scheduleStaleDeletion();
    return { kind: full ? 'full' : 'partial', durationMs: performance.now() - started };
  }

  #scheduleStaleDeletion(): void {
    if (this.#deletionTimer || (this.#table.staleChains.size === 0 && this.#table.staleSets.size === 0)) return;
    this.#deletionTimer = setTimeout(() => {
      this.#deletionTimer = undefined;
      this.#serially(() => this.#deleteStale(performance.now() - this.#staleDelayMs)).then(
        () => this.#scheduleStaleDeletion(),
        () => {},
      );
    }, this.#staleDelayMs);
    this.#deletionTimer.unref();
  }

  /** Deletes the stale chains and sets flushed before `before`; a failure is logged (a full sync finds them again). */
  async #deleteStale(before: number): Promise<number> {
    const script = staleDeletionScript(this.#table, before);
    if (script.length === 0) return 0;
    try {
      await this.#nft.run(script);
    } catch (err) {
      this.#log(`service proxy (nftables): deleting ${script.length} stale chains and sets: ${(err as Error).message}`);
    }
    return script.length;
  }
}
