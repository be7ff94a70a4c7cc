/**
 * A busybox image made from the host's static busybox (Debian's busybox-static), so tests and
 * users have a shell image without a registry: /bin/busybox, a symlink per applet, /etc/passwd
 * and /etc/group with root and nobody (65534), /tmp.
 *
 *   BUSYBOX_IMAGE = 'docker.io/library/busybox:k8ts'
 *   busyboxBinaryEntry(binary?: string): Promise<ImageEntry>     // /bin/busybox alone
 *   busyboxEntries(binary?: string): Promise<ImageEntry[]>
 *   busyboxImageSpec(options?: BusyboxImageOptions): Promise<OciImageSpec>
 *   writeBusyboxImage(file: string, options?: BusyboxImageOptions): Promise<OciImage>
 */
import { readFile } from 'node:fs/promises';
import { runCommand } from '../command.js';
import { type ImageConfig, type ImageEntry, type OciImage, type OciImageSpec, writeOciArchive } from './oci-archive.js';

export const BUSYBOX_IMAGE = 'docker.io/library/busybox:k8ts';
/** Where Debian's busybox-static installs its binary. */
export const BUSYBOX_BINARY = '/usr/bin/busybox';
const IMAGE_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface BusyboxImageOptions {
  /** The image reference (default BUSYBOX_IMAGE). */
  name?: string;
  /** The static busybox binary to copy in (default BUSYBOX_BINARY). */
  binary?: string;
  /** Overrides the default config (Cmd ["sh"], PATH). */
  config?: ImageConfig;
}

/** The busybox binary at /bin/busybox: the one file every image made here starts from. */
export async function busyboxBinaryEntry(binary = BUSYBOX_BINARY): Promise<ImageEntry> {
  return { type: 'file', path: '/bin/busybox', content: await readFile(binary), mode: 0o755 };
}

/** The root filesystem of the busybox image. */
export async function busyboxEntries(binary = BUSYBOX_BINARY): Promise<ImageEntry[]> {
  const { stdout } = await runCommand(binary, ['--list']);
  const applets = stdout.split('\n').filter((a) => a && a !== 'busybox' && !a.includes('/'));
  return [
    await busyboxBinaryEntry(binary),
    ...applets.map((a): ImageEntry => ({ type: 'symlink', path: `/bin/${a}`, target: 'busybox' })),
    { type: 'file', path: '/etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' },
    { type: 'file', path: '/etc/group', content: 'root:x:0:\nnobody:x:65534:\n' },
    { type: 'directory', path: '/root', mode: 0o700 },
    { type: 'directory', path: '/home' },
    { type: 'directory', path: '/tmp', mode: 0o1777 },
  ];
}

export async function busyboxImageSpec(options: BusyboxImageOptions = {}): Promise<OciImageSpec> {
  return {
    name: options.name ?? BUSYBOX_IMAGE,
    entries: await busyboxEntries(options.binary),
    config: options.config ?? { Cmd: ['sh'], Env: [IMAGE_PATH_ENV] },
  };
}

export async function writeBusyboxImage(file: string, options: BusyboxImageOptions = {}): Promise<OciImage> {
  return writeOciArchive(file, await busyboxImageSpec(options));
}
