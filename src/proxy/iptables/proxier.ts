/**
 * The iptables proxier (upstream kube-proxy's iptables mode): each sync is one
 * `iptables-restore --noflush` (restore-input.ts; a full sync of many service ports writes their
 * chains in chunks first). A full sync first reads the tables
 * (iptables-save) to find the hook jumps that are missing and the per-service chains that are
 * there but no longer wanted (left by an earlier run); a partial sync rewrites only the changed
 * service ports' chains (and the shared chains whose rules changed) and trusts what the previous
 * syncs wrote. NodePorts answer on 127.0.0.1
 * too, as upstream's do, with net.ipv4.conf.all.route_localnet=1. After each sync the stale UDP
 * conntrack entries of the changed service ports are deleted (conntrack.ts).
 */
import { writeFile } from 'node:fs/promises';
import type { Proxier, ProxyState, SyncOptions, SyncResult } from '../interface.js';
import type { ProxierOptions } from '../proxier-factory.js';
import { ChainNames, SERVICE_CHAIN_PREFIXES } from './chain-names.js';
import { removeProxyRules } from './cleanup.js';
import { Conntrack, rememberUDPServicePorts, staleConntrackFilters, type UDPServicePortSnapshot } from './conntrack.js';
import { hostIptables, type Iptables, savedChains, savedRules } from './iptables.js';
import { HOOK_JUMPS, type HookJump, newRulesCache, restoreInput } from './restore-input.js';

export interface IptablesProxierOptions extends ProxierOptions {
  /** Default: the machine's iptables-save and iptables-restore. */
  iptables?: Iptables;
  /** Sets net.ipv4.conf.all.route_localnet (default: writes /proc/sys; tests pass a no-op). */
  enableRouteLocalnet?: () => Promise<void>;
  /** Runs `conntrack ARGS` (default: the machine's conntrack tool). */
  conntrack?: (args: string[]) => Promise<void>;
}

const ROUTE_LOCALNET = '/proc/sys/net/ipv4/conf/all/route_localnet';

export class IptablesProxier implements Proxier {
  readonly mode = 'iptables' as const;
  readonly #options: IptablesProxierOptions;
  readonly #iptables: Iptables;
  readonly #names = new ChainNames();
  readonly #cache = newRulesCache();
  /** The per-service-port chains after the last successful sync. */
  #chains = new Set<string>();
  #routeLocalnet = false;
  readonly #conntrack: Conntrack;
  /** The UDP service ports as the last successful sync saw them (for the conntrack cleanup). */
  readonly #udp = new Map<string, UDPServicePortSnapshot>();

  constructor(options: IptablesProxierOptions) {
    this.#options = options;
    this.#iptables = options.iptables ?? hostIptables;
    this.#conntrack = new Conntrack({
      ...(options.conntrack ? { run: options.conntrack } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  async sync(state: ProxyState, changed: ReadonlySet<string>, options: SyncOptions = {}): Promise<SyncResult> {
    const started = performance.now();
    const full = options.full === true;
    if (!this.#routeLocalnet) {
      await (this.#options.enableRouteLocalnet ?? (() => writeFile(ROUTE_LOCALNET, '1')))();
      this.#routeLocalnet = true;
    }
    let existing: ReadonlySet<string> = this.#chains;
    let missingJumps: HookJump[] = [];
    if (full) {
      const saved = { filter: await this.#iptables.save('filter'), nat: await this.#iptables.save('nat') };
      const found = savedChains(saved.nat).filter((c) => SERVICE_CHAIN_PREFIXES.some((p) => c.startsWith(p)));
      existing = new Set([...this.#chains, ...found]);
      missingJumps = HOOK_JUMPS.filter((j) => !hasJump(saved[j.table], j));
    }
    // a changed service port's endpoints may have gone: its names are made afresh
    for (const key of changed) this.#names.forget(key);
    const input = restoreInput({
      state,
      changed,
      full,
      names: this.#names,
      serviceCIDR: this.#options.serviceCIDR,
      nodeIPs: this.#options.nodeIPs,
      ...(this.#options.clusterCIDR ? { clusterCIDR: this.#options.clusterCIDR } : {}),
      existingChains: existing,
      missingJumps,
      cache: this.#cache,
    });
    for (const chunk of input.chunks) await this.#iptables.restore(chunk);
    await this.#iptables.restore(input.text);
    this.#chains = input.activeChains;
    this.#cache.shared = input.shared;
    const stale = staleConntrackFilters(this.#udp, state, changed);
    rememberUDPServicePorts(this.#udp, state, changed);
    await this.#conntrack.clear(stale);
    return { kind: full ? 'full' : 'partial', durationMs: performance.now() - started };
  }

  async cleanup(): Promise<void> {
    await removeProxyRules({ iptables: this.#iptables });
    this.#chains = new Set();
    this.#cache.ports.clear();
    this.#cache.shared.clear();
    this.#udp.clear();
  }
}

/** Whether a built-in chain already jumps to the hook's target. */
function hasJump(saved: string, jump: HookJump): boolean {
  return savedRules(saved).some((rule) => rule.startsWith(`-A ${jump.chain} `) && rule.endsWith(` -j ${jump.target}`));
}
