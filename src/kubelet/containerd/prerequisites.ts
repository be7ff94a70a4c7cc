/**
 * What a real node needs from the machine, and a one-line reason when something is missing:
 * root, Linux, containerd with its runc shim and ctr, runc, the CNI plugins and the static
 * busybox the pause image is built from (Debian's packages). conntrack is advised but optional: the
 * service proxy without it skips its UDP conntrack cleanup (src/proxy/iptables/conntrack.ts).
 *
 *   NODE_PACKAGES = 'containerd runc containernetworking-plugins iptables iproute2 busybox-static conntrack'
 *   onPath(name: string): Promise<boolean>
 *   missingOf(programs: string[], files: string[]): Promise<string[]>
 *   realNodeUnavailable(): Promise<string | undefined>
 *   realNodeAdvice(unavailable: string): string
 */
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { BUSYBOX_BINARY } from '../images/busybox-image.js';
import { CNI_BIN_DIR } from './config.js';

export const NODE_PACKAGES = 'containerd runc containernetworking-plugins iptables iproute2 busybox-static conntrack';
export const NODE_PROGRAMS = ['containerd', 'containerd-shim-runc-v2', 'runc', 'ctr', 'ip'];
export const NODE_FILES = [...['bridge', 'host-local', 'portmap', 'loopback'].map((p) => join(CNI_BIN_DIR, p)), BUSYBOX_BINARY];

const executable = (path: string): Promise<boolean> =>
  access(path, constants.X_OK).then(
    () => true,
    () => false,
  );

export async function onPath(name: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (await executable(join(dir, name))) return true;
  return false;
}

/** The programs not on PATH and the files not executable, in the order given. */
export async function missingOf(programs: string[], files: string[]): Promise<string[]> {
  const absent = await Promise.all([
    ...programs.map(async (p) => ((await onPath(p)) ? undefined : p)),
    ...files.map(async (f) => ((await executable(f)) ? undefined : f)),
  ]);
  return absent.filter((a): a is string => a !== undefined);
}

/** Why this machine cannot run a real node (undefined when it can). */
export async function realNodeUnavailable(): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'real containers need Linux';
  if (process.getuid?.() !== 0) return 'real containers need root';
  const absent = await missingOf(NODE_PROGRAMS, NODE_FILES);
  return absent.length > 0 ? `missing ${absent.join(', ')} (apt-get install ${NODE_PACKAGES})` : undefined;
}

/** The one line printed when a node cannot start: the reason and what to do. */
export function realNodeAdvice(unavailable: string): string {
  return `${unavailable}; run as root with those packages`;
}
