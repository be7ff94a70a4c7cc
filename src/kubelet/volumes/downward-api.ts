/**
 * downwardAPI (pkg/volume/downwardapi): the pod's own metadata (name, namespace, uid, labels,
 * annotations) and its containers' resources as files on a tmpfs, rewritten when they change.
 * Mounted read-only.
 */
import { asObj, objs, str, type Obj } from '../../api/core/access.js';
import { podContainerResourceValue, podMetadataField } from '../downward-api.js';
import { writeApiDataVolume } from './empty-dir.js';
import type { MountedVolume, Payload, VolumeContext, VolumePlugin } from './interface.js';
import { VolumeSetUpError } from './interface.js';
import { defaultModeOf, modeOf } from './key-to-path.js';
import { MEMORY } from './secret.js';

/** CollectData: one file per item; every failing item is reported, as upstream aggregates them. */
export function downwardAPIPayload(ctx: VolumeContext, items: Obj[], defaultMode: number): Payload {
  const payload: Payload = new Map();
  const errors: string[] = [];
  for (const item of items) {
    const fieldRef = asObj(item['fieldRef']);
    const resourceRef = asObj(item['resourceFieldRef']);
    try {
      const value = fieldRef
        ? podMetadataField(ctx.pod, str(fieldRef['fieldPath']))
        : resourceRef
          ? podContainerResourceValue(ctx.pod, resourceRef, ctx.allocatable)
          : '';
      payload.set(str(item['path']), { data: Buffer.from(value, 'utf8'), mode: modeOf(item['mode'], defaultMode) });
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (errors.length === 1) throw new VolumeSetUpError(errors[0] as string);
  if (errors.length > 1) throw new VolumeSetUpError(`[${errors.join(', ')}]`);
  return payload;
}

export const downwardAPIPlugin: VolumePlugin = {
  name: 'kubernetes.io/downward-api',
  canSupport: (volume) => asObj(volume['downwardAPI']) !== undefined,
  async setUp(ctx, volume, dir): Promise<MountedVolume> {
    const source = asObj(volume['downwardAPI']) ?? {};
    const payload = downwardAPIPayload(ctx, objs(source['items']), defaultModeOf(source));
    await writeApiDataVolume(ctx, MEMORY, dir, payload);
    return { hostPath: dir, readOnly: true, refreshes: true };
  },
};
