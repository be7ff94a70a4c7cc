/**
 * The sandbox ("pause") image, built on the node from the static busybox, so no pod ever waits
 * for a registry. Its PID 1 is busybox sh sleeping forever that exits 0 on SIGTERM or SIGINT
 * (containerd stops sandboxes with SIGKILL anyway). It runs as nobody, as upstream's pause runs
 * as 65535. The tag does not exist in any registry, so a pull can never replace it.
 *
 *   PAUSE_IMAGE = 'registry.k8s.io/pause:3.9-k8ts'
 *   pauseImageSpec(options?: PauseImageOptions): Promise<OciImageSpec>
 *   writePauseImage(file: string, options?: PauseImageOptions): Promise<OciImage>
 */
import { busyboxBinaryEntry } from './busybox-image.js';
import { type OciImage, type OciImageSpec, writeOciArchive } from './oci-archive.js';

export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.9-k8ts';

export interface PauseImageOptions {
  /** The image reference (default PAUSE_IMAGE). */
  name?: string;
  /** The static busybox binary to copy in (default BUSYBOX_BINARY). */
  binary?: string;
}

const PAUSE_SCRIPT = "trap 'exit 0' TERM INT; /bin/busybox sleep 2147483647 & wait";

export async function pauseImageSpec(options: PauseImageOptions = {}): Promise<OciImageSpec> {
  return {
    name: options.name ?? PAUSE_IMAGE,
    entries: [await busyboxBinaryEntry(options.binary)],
    config: { Entrypoint: ['/bin/busybox', 'sh', '-c', PAUSE_SCRIPT], User: '65534:65534', WorkingDir: '/' },
  };
}

export async function writePauseImage(file: string, options: PauseImageOptions = {}): Promise<OciImage> {
  return writeOciArchive(file, await pauseImageSpec(options));
}
