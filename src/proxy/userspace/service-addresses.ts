/**
 * How traffic reaches the userspace proxier without iptables: every cluster IP and external IP
 * is a /32 (/128) on a device the proxier owns, `k8ts-svc0` (as IPVS mode's kube-ipvs0), so the
 * node takes it as its own and the proxier listens on it. The rest of each service CIDR is made
 * local too (a `local` route in the local table, on the device): an address there that no Service
 * owns, or a port nobody listens on, is refused by the node itself (a TCP reset, an ICMP port
 * unreachable) instead of leaving the machine — what the iptables mode's catch-all REJECT does.
 * The device is a dummy; on a kernel without the dummy driver, an empty bridge does the same.
 */
import { isIPv6 } from 'node:net';
import { type CommandOutput, runCommand } from '../../kubelet/command.js';

export const SERVICE_DEVICE = 'k8ts-svc0';

/** The node-local service addresses a proxier keeps. */
export interface ServiceAddresses {
  /** Makes `addresses` exactly the service addresses on the node (creates the device and routes first). */
  ensure(addresses: ReadonlySet<string>): Promise<void>;
  /** Removes the device, its addresses and the routes. */
  cleanup(): Promise<void>;
}

export interface ServiceDeviceOptions {
  /** --service-cidr: comma-separated, one per family. */
  serviceCIDRs: readonly string[];
  device?: string;
  /** Runs `ip` (runCommand by default; tests run it inside a network namespace). */
  run?: (file: string, args: string[], options?: { input?: string }) => Promise<CommandOutput>;
  log?: (message: string) => void;
}

export class ServiceDevice implements ServiceAddresses {
  readonly #device: string;
  readonly #cidrs: readonly string[];
  readonly #run: (file: string, args: string[], options?: { input?: string }) => Promise<CommandOutput>;
  readonly #log: (message: string) => void;
  /** What is on the device, once read. */
  #present: Set<string> | undefined;

  constructor(options: ServiceDeviceOptions) {
    this.#device = options.device ?? SERVICE_DEVICE;
    this.#cidrs = options.serviceCIDRs;
    this.#run = options.run ?? ((file, args, runOptions) => runCommand(file, args, runOptions));
    this.#log = options.log ?? (() => {});
  }

  async ensure(addresses: ReadonlySet<string>): Promise<void> {
    const present = this.#present ?? (await this.#setUp());
    const added = [...addresses].filter((ip) => !present.has(ip));
    const removed = [...present].filter((ip) => !addresses.has(ip));
    if (added.length === 0 && removed.length === 0) return;
    // one `ip` for the whole change; -force goes on past a line that fails (and says which)
    const lines = [
      // no duplicate address detection for IPv6: the address is usable (bindable) at once
      ...added.map((ip) => `addr replace ${prefixOf(ip)} dev ${this.#device}${isIPv6(ip) ? ' nodad' : ''}`),
      ...removed.map((ip) => `addr del ${prefixOf(ip)} dev ${this.#device}`),
    ];
    try {
      await this.#run('ip', ['-force', '-batch', '-'], { input: `${lines.join('\n')}\n` });
    } catch (err) {
      // what is on the device now is known again at the next sync
      this.#present = undefined;
      throw err;
    }
    for (const ip of added) present.add(ip);
    for (const ip of removed) present.delete(ip);
  }

  async cleanup(): Promise<void> {
    this.#present = undefined;
    await removeServiceDevice({ device: this.#device, run: this.#run });
  }

  /** Creates the device (or takes the one a previous run left) and the local routes; reads its addresses. */
  async #setUp(): Promise<Set<string>> {
    const exists = await this.#ip(['link', 'show', this.#device]).then(
      () => true,
      () => false,
    );
    if (!exists) {
      try {
        await this.#ip(['link', 'add', this.#device, 'type', 'dummy']);
      } catch (err) {
        this.#log(`${this.#device}: no dummy device (${(err as Error).message}): an empty bridge holds the service addresses`);
        await this.#ip(['link', 'add', this.#device, 'type', 'bridge']);
      }
      await this.#ip(['link', 'set', this.#device, 'addrgenmode', 'none']).catch(() => undefined);
    }
    await this.#ip(['link', 'set', this.#device, 'up']);
    for (const cidr of this.#cidrs) await this.#ip([...familyFlag(cidr), 'route', 'replace', ...this.#localRoute(cidr)]);
    const present = new Set<string>();
    const { stdout } = await this.#ip(['-o', 'addr', 'show', 'dev', this.#device]);
    for (const m of stdout.matchAll(/\binet6? ([0-9a-f.:]+)\/(?:32|128)\b/g)) present.add(m[1] as string);
    this.#present = present;
    return present;
  }

  /** The route that makes a whole service CIDR the node's own. */
  #localRoute(cidr: string): string[] {
    return ['local', cidr, 'dev', this.#device, 'table', 'local'];
  }

  #ip(args: string[]): Promise<CommandOutput> {
    return this.#run('ip', args);
  }
}

/** Deletes the service device (`k8ts killall`, ServiceDevice.cleanup); its addresses and local routes go with it. */
export async function removeServiceDevice(
  options: { device?: string; run?: ServiceDeviceOptions['run']; report?: (line: string) => void } = {},
): Promise<void> {
  const device = options.device ?? SERVICE_DEVICE;
  const run = options.run ?? runCommand;
  const exists = await run('ip', ['link', 'show', device]).then(
    () => true,
    () => false,
  );
  if (!exists) return;
  await run('ip', ['link', 'del', device]);
  options.report?.(`removed the service proxy's device ${device}`);
}

function prefixOf(ip: string): string {
  return isIPv6(ip) ? `${ip}/128` : `${ip}/32`;
}

function familyFlag(cidr: string): string[] {
  return cidr.includes(':') ? ['-6'] : [];
}
