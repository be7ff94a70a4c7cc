/**
 * secret (pkg/volume/secret): the Secret's keys as files on a tmpfs (medium Memory), so secret
 * data never reaches the node's disk; written by the atomic writer, refreshed on resync, mounted
 * read-only.
 */
import { asObj, type Obj } from '../../api/core/access.js';
import { writeApiDataVolume } from './empty-dir.js';
import type { MountedVolume, VolumePlugin } from './interface.js';
import { apiDataPayload, defaultModeOf } from './key-to-path.js';

export const MEMORY: Obj = { medium: 'Memory' };

export const secretPlugin: VolumePlugin = {
  name: 'kubernetes.io/secret',
  canSupport: (volume) => asObj(volume['secret']) !== undefined,
  async setUp(ctx, volume, dir): Promise<MountedVolume> {
    const source: Obj = asObj(volume['secret']) ?? {};
    const payload = await apiDataPayload(ctx, 'secret', source, defaultModeOf(source));
    await writeApiDataVolume(ctx, MEMORY, dir, payload);
    return { hostPath: dir, readOnly: true, refreshes: true };
  },
};
