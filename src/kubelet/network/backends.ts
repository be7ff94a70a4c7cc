/**
 * The backends by the name `--flannel-backend` gives, and the command runner they use by default
 * (the programs run on this host, in the agent's network namespace).
 *
 *   createBackend(type, run?): PodNetworkBackend
 */
import { runCommand } from '../command.js';
import { HostGwBackend } from './host-gw.js';
import type { FlannelBackendType, NetworkCommandRunner, PodNetworkBackend } from './interface.js';
import { VxlanBackend } from './vxlan.js';

export const hostCommandRunner: NetworkCommandRunner = async (file, args) => (await runCommand(file, args)).stdout;

export function createBackend(type: FlannelBackendType, run: NetworkCommandRunner = hostCommandRunner): PodNetworkBackend {
  return type === 'host-gw' ? new HostGwBackend({ run }) : new VxlanBackend({ run });
}
