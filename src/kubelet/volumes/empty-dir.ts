/**
 * emptyDir (pkg/volume/emptydir): a directory that lives as long as the pod. Medium "" is a
 * directory on the node's disk (mode 0777); its sizeLimit is enforced upstream by the eviction
 * manager, which k8ts does not have yet, so on disk the limit is not enforced. Medium Memory is a
 * tmpfs, sized by sizeLimit when set.
 */
import { asObj, type Obj } from '../../api/core/access.js';
import { parseQuantity } from '../../machinery/quantity.js';
import type { MountedVolume, VolumeContext, VolumePlugin } from './interface.js';
import { VolumeSetUpError } from './interface.js';

/** An emptyDir's sizeLimit in bytes, undefined when unset. */
export function sizeLimitBytes(source: Obj): number | undefined {
  const limit = source['sizeLimit'];
  return limit === undefined || limit === null ? undefined : parseQuantity(String(limit)).value();
}

/** Sets up an emptyDir source in `dir` (also the wrapper of configMap, secret, downwardAPI and projected volumes). */
export async function setUpEmptyDir(ctx: VolumeContext, source: Obj, dir: string): Promise<void> {
  const medium = String(source['medium'] ?? '');
  if (medium === 'Memory') return ctx.fs.mountTmpfs(dir, sizeLimitBytes(source));
  if (medium !== '') throw new VolumeSetUpError(`unknown storage medium "${medium}"`);
  await ctx.fs.makeDir(dir, 0o777);
}

export const emptyDirPlugin: VolumePlugin = {
  name: 'kubernetes.io/empty-dir',
  canSupport: (volume) => asObj(volume['emptyDir']) !== undefined,
  async setUp(ctx, volume, dir): Promise<MountedVolume> {
    await setUpEmptyDir(ctx, asObj(volume['emptyDir']) ?? {}, dir);
    return { hostPath: dir, readOnly: false, refreshes: false };
  },
};
