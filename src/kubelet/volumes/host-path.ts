/**
 * hostPath (pkg/volume/hostpath): a path of the node itself, checked against its type
 * (DirectoryOrCreate and FileOrCreate create it) with upstream's messages, e.g.
 * `hostPath type check failed: /x is not a directory`.
 */
import { asObj, str } from '../../api/core/access.js';
import type { HostPathType, MountedVolume, VolumePlugin } from './interface.js';

export const hostPathPlugin: VolumePlugin = {
  name: 'kubernetes.io/host-path',
  canSupport: (volume) => asObj(volume['hostPath']) !== undefined,
  async setUp(ctx, volume): Promise<MountedVolume> {
    const source = asObj(volume['hostPath']) ?? {};
    const path = str(source['path']);
    await ctx.fs.checkHostPath(path, str(source['type']) as HostPathType);
    return { hostPath: path, readOnly: false, refreshes: false };
  },
};
