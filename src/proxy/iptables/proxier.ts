/**
 * The iptables proxier (upstream kube-proxy's iptables mode). Being built: the rule generation
 * and iptables-restore follow in this folder.
 */
import type { Proxier, ProxyState, SyncResult } from '../interface.js';
import type { ProxierOptions } from '../proxier-factory.js';

export class IptablesProxier implements Proxier {
  readonly mode = 'iptables' as const;
  readonly #options: ProxierOptions;

  constructor(options: ProxierOptions) {
    this.#options = options;
  }

  async sync(_state: ProxyState, _changed: ReadonlySet<string>): Promise<SyncResult> {
    throw new Error(`iptables proxier on ${this.#options.nodeName}: not built yet`);
  }

  async cleanup(): Promise<void> {}
}
