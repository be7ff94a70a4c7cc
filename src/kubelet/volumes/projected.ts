/**
 * projected (pkg/volume/projected): several sources — secret, configMap, downwardAPI and
 * serviceAccountToken — merged into one directory on a tmpfs, written by the atomic writer and
 * set up again on resync and before a token's refresh time. Mounted read-only.
 */
import { asObj, objs, str, type Obj } from '../../api/core/access.js';
import { downwardAPIPayload } from './downward-api.js';
import { writeApiDataVolume } from './empty-dir.js';
import type { MountedVolume, Payload, VolumePlugin } from './interface.js';
import { VolumeSetUpError } from './interface.js';
import { apiDataPayload, defaultModeOf } from './key-to-path.js';
import { MEMORY } from './secret.js';
import { serviceAccountToken, tokenRefreshAt } from './service-account-token.js';

export const projectedPlugin: VolumePlugin = {
  name: 'kubernetes.io/projected',
  canSupport: (volume) => asObj(volume['projected']) !== undefined,
  async setUp(ctx, volume, dir): Promise<MountedVolume> {
    const projected: Obj = asObj(volume['projected']) ?? {};
    const defaultMode = defaultModeOf(projected);
    const payload: Payload = new Map();
    const errors: string[] = [];
    let refreshBy: number | undefined;
    for (const source of objs(projected['sources'])) {
      try {
        const secret = asObj(source['secret']);
        const configMap = asObj(source['configMap']);
        const downwardAPI = asObj(source['downwardAPI']);
        const token = asObj(source['serviceAccountToken']);
        let part: Payload = new Map();
        if (secret) part = await apiDataPayload(ctx, 'secret', secret, defaultMode);
        else if (configMap) part = await apiDataPayload(ctx, 'configmap', configMap, defaultMode);
        else if (downwardAPI) part = downwardAPIPayload(ctx, objs(downwardAPI['items']), defaultMode);
        else if (token) {
          const issued = await serviceAccountToken(ctx, token);
          // with an fsGroup the token is 0600 before SetVolumeOwnership makes it 0640
          part.set(str(token['path']), { data: Buffer.from(issued.token, 'utf8'), mode: ctx.fsGroup !== undefined ? 0o600 : defaultMode });
          const at = tokenRefreshAt(issued);
          refreshBy = refreshBy === undefined ? at : Math.min(refreshBy, at);
        }
        for (const [path, file] of part) payload.set(path, file);
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    if (errors.length === 1) throw new VolumeSetUpError(errors[0] as string);
    if (errors.length > 1) throw new VolumeSetUpError(`[${errors.join(', ')}]`);
    await writeApiDataVolume(ctx, MEMORY, dir, payload);
    return { hostPath: dir, readOnly: true, refreshes: true, ...(refreshBy !== undefined ? { refreshBy } : {}) };
  },
};
