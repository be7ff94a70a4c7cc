/**
 * configMap (pkg/volume/configmap): the ConfigMap's keys as files in a directory on disk, written
 * by the atomic writer and set up again on every resync so changes reach running containers.
 * Mounted read-only.
 */
import { asObj, type Obj } from '../../api/core/access.js';
import { writeApiDataVolume } from './empty-dir.js';
import type { MountedVolume, VolumePlugin } from './interface.js';
import { apiDataPayload, defaultModeOf } from './key-to-path.js';

export const configMapPlugin: VolumePlugin = {
  name: 'kubernetes.io/configmap',
  canSupport: (volume) => asObj(volume['configMap']) !== undefined,
  async setUp(ctx, volume, dir): Promise<MountedVolume> {
    const source: Obj = asObj(volume['configMap']) ?? {};
    const payload = await apiDataPayload(ctx, 'configmap', source, defaultModeOf(source));
    await writeApiDataVolume(ctx, {}, dir, payload);
    return { hostPath: dir, readOnly: true, refreshes: true };
  },
};
