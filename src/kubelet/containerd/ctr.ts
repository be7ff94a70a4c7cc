/**
 * containerd's own command line client, for what CRI has no verb for (importing archives,
 * listing namespaces and tasks, checking that the daemon answers).
 *
 *   CRI_NAMESPACE = 'k8s.io'
 *   ctr(args: string[], options: CtrOptions): Promise<string>   // stdout; CommandError on failure
 */
import { runCommand } from '../command.js';

/** The containerd namespace the CRI plugin keeps its images, sandboxes and containers in. */
export const CRI_NAMESPACE = 'k8s.io';

export interface CtrOptions {
  /** containerd's gRPC socket. */
  address: string;
  /** The containerd namespace (default CRI_NAMESPACE). */
  namespace?: string;
  /** The ctr binary (default `ctr` on PATH). */
  ctr?: string;
  signal?: AbortSignal;
}

export async function ctr(args: string[], options: CtrOptions): Promise<string> {
  const global = ['--address', options.address, '--namespace', options.namespace ?? CRI_NAMESPACE];
  const { stdout } = await runCommand(options.ctr ?? 'ctr', [...global, ...args], { signal: options.signal });
  return stdout;
}
