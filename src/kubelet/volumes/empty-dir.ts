/**
 * emptyDir (pkg/volume/emptydir): a directory that lives as long as the pod. Medium "" is a
 * directory on the node's disk (mode 0777); its sizeLimit is enforced by the eviction manager,
 * which evicts a pod whose emptyDir outgrows it (eviction/local-storage.ts). Medium Memory is a
 * tmpfs, sized by sizeLimit when set.
 */
import { asObj, type Obj } from '../../api/core/access.js';
import { parseQuantity } from '../../machinery/quantity.js';
import type { MountedVolume, Payload, VolumeContext, VolumePlugin } from './interface.js';
import { VolumeSetUpError } from './interface.js';

/** An emptyDir's sizeLimit in bytes, undefined when unset. */
export function sizeLimitBytes(source: Obj): number | undefined {
  const limit = source['sizeLimit'];
  return limit === undefined || limit === null ? undefined : parseQuantity(String(limit)).value();
}

/**
 * Sets up an emptyDir source in `dir` (also the wrapper of configMap, secret, downwardAPI and
 * projected volumes); resolves whether it is new (created or mounted now).
 */
export async function setUpEmptyDir(ctx: VolumeContext, source: Obj, dir: string): Promise<boolean> {
  const medium = String(source['medium'] ?? '');
  if (medium === 'Memory') return ctx.fs.mountTmpfs(dir, sizeLimitBytes(source));
  if (medium !== '') throw new VolumeSetUpError(`unknown storage medium "${medium}"`);
  return ctx.fs.makeDir(dir, 0o777);
}

/** Writes an API-data volume's payload, then gives a changed volume to the pod's fsGroup. */
export async function writeApiDataVolume(ctx: VolumeContext, wrapper: Obj, dir: string, payload: Payload): Promise<void> {
  await setUpEmptyDir(ctx, wrapper, dir);
  const changed = await ctx.fs.writePayload(dir, payload);
  if (changed && ctx.fsGroup !== undefined) await ctx.fs.setOwnership(dir, ctx.fsGroup, true);
}

export const emptyDirPlugin: VolumePlugin = {
  name: 'kubernetes.io/empty-dir',
  canSupport: (volume) => asObj(volume['emptyDir']) !== undefined,
  async setUp(ctx, volume, dir): Promise<MountedVolume> {
    const fresh = await setUpEmptyDir(ctx, asObj(volume['emptyDir']) ?? {}, dir);
    if (fresh && ctx.fsGroup !== undefined) await ctx.fs.setOwnership(dir, ctx.fsGroup, false);
    return { hostPath: dir, readOnly: false, refreshes: false };
  },
};
