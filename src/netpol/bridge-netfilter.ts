/**
 * Pods on one node talk over the CNI bridge: their packets reach iptables' FORWARD chain only
 * while br_netfilter is loaded and net.bridge.bridge-nf-call-iptables is 1 (upstream's network
 * plugin requirement; kube-router and flannel need it too). Run once when the controller starts,
 * in the node's network namespace (the sysctl is per namespace): loads the module when the
 * sysctl is missing, sets it when 0, and says what it found.
 *
 *   ensureBridgeNetfilter(options?): Promise<string>
 */
import { readFile, writeFile } from 'node:fs/promises';
import { runCommand } from '../kubelet/command.js';

export const BRIDGE_NF_CALL_IPTABLES = '/proc/sys/net/bridge/bridge-nf-call-iptables';

export interface EnsureBridgeNetfilterOptions {
  /** The sysctl's file (tests point it elsewhere). */
  path?: string;
  /** Loads br_netfilter (default `modprobe br_netfilter`). */
  loadModule?: () => Promise<void>;
}

const read = (path: string): Promise<string | undefined> =>
  readFile(path, 'utf8').then(
    (v) => v.trim(),
    () => undefined,
  );

/** Returns a line for the log; throws when same-bridge traffic cannot be made to pass iptables. */
export async function ensureBridgeNetfilter(options: EnsureBridgeNetfilterOptions = {}): Promise<string> {
  const path = options.path ?? BRIDGE_NF_CALL_IPTABLES;
  const loadModule = options.loadModule ?? (async () => void (await runCommand('modprobe', ['br_netfilter'])));
  let value = await read(path);
  let found = `${path} was ${value}`;
  if (value === undefined) {
    await loadModule().catch((err: Error) => {
      throw new Error(
        `br_netfilter is not loaded and could not be (${err.message}): policies cannot see traffic between pods on one bridge`,
      );
    });
    value = await read(path);
    if (value === undefined) throw new Error(`${path} is missing after loading br_netfilter`);
    found = `loaded br_netfilter; ${path} was ${value}`;
  }
  if (value !== '1') {
    await writeFile(path, '1\n');
    return `${found}, set to 1`;
  }
  return found;
}
