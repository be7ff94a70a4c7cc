/**
 * nfs volumes (pkg/volume/nfs): the export `server:path` mounted with `mount -t nfs` on the
 * volume's directory (read-only when asked), for pods' inline nfs volumes and NFS PVs. On a
 * simulated node nothing is mounted.
 */
import { asObj, str } from '../../api/core/access.js';
import type { MountedVolume, VolumeContext, VolumePlugin } from './interface.js';
import { VolumeSetUpError } from './interface.js';

/** Mounts an nfs source ({server, path, readOnly}) on `dir`. */
export async function mountNfsSource(
  ctx: VolumeContext,
  source: Record<string, unknown>,
  dir: string,
  readOnly: boolean,
  options?: readonly string[],
): Promise<MountedVolume> {
  const server = str(source['server']);
  const path = str(source['path']);
  try {
    await ctx.fs.mountNfs(dir, { server, path, readOnly, ...(options ? { options } : {}) });
  } catch (err) {
    throw new VolumeSetUpError(`mount failed: ${(err as Error).message}`);
  }
  return { hostPath: dir, readOnly, refreshes: false };
}

export const nfsPlugin: VolumePlugin = {
  name: 'kubernetes.io/nfs',
  canSupport: (volume) => asObj(volume['nfs']) !== undefined,
  setUp(ctx, volume, dir): Promise<MountedVolume> {
    const source = asObj(volume['nfs']) ?? {};
    return mountNfsSource(ctx, source, dir, source['readOnly'] === true);
  },
};
