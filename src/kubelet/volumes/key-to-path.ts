/**
 * The payload of a ConfigMap or Secret volume (configmap.go / secret.go MakePayload): every key
 * as a file, or only the listed items at their paths; a per-item mode over the defaultMode; a
 * missing key fails unless the source is optional. The objects come through PodObjects, and a
 * missing object reads as upstream's cache manager words it: `configmap "x" not found`.
 */
import { asObj, objs, str, strMap, type Obj } from '../../api/core/access.js';
import type { FileProjection, Payload, VolumeContext } from './interface.js';
import { VolumeSetUpError } from './interface.js';

/** The API's default file mode of configMap, secret, downwardAPI and projected volumes (0644). */
export const DEFAULT_MODE = 0o644;

export type ApiDataKind = 'configmap' | 'secret';

export function modeOf(v: unknown, fallback: number): number {
  return typeof v === 'number' ? v : fallback;
}

/** The object's keys and their bytes: a ConfigMap's data and binaryData, a Secret's (base64) data. */
async function objectData(ctx: VolumeContext, kind: ApiDataKind, name: string): Promise<Map<string, Uint8Array> | undefined> {
  const namespace = ctx.pod.metadata.namespace ?? '';
  const obj = kind === 'configmap' ? await ctx.objects.configMap(namespace, name) : await ctx.objects.secret(namespace, name);
  if (!obj) return undefined;
  const data = new Map<string, Uint8Array>();
  // a ConfigMap's data is text and its binaryData base64; a Secret's data is base64
  const [text, base64] = kind === 'configmap' ? [obj['data'], obj['binaryData']] : [undefined, obj['data']];
  for (const [k, v] of Object.entries(strMap(text))) data.set(k, Buffer.from(v, 'utf8'));
  for (const [k, v] of Object.entries(strMap(base64))) data.set(k, Buffer.from(v, 'base64'));
  return data;
}

/** MakePayload of a configMap or secret source (also a projected volume's configMap/secret source). */
export async function apiDataPayload(ctx: VolumeContext, kind: ApiDataKind, source: Obj, defaultMode: number): Promise<Payload> {
  const name = str(source['name'] ?? source['secretName']);
  const optional = source['optional'] === true;
  const data = await objectData(ctx, kind, name);
  if (!data && !optional) throw new VolumeSetUpError(`${kind} "${name}" not found`);
  const payload: Payload = new Map<string, FileProjection>();
  const items = objs(source['items']);
  if (items.length === 0) {
    for (const [key, bytes] of data ?? []) payload.set(key, { data: bytes, mode: defaultMode });
    return payload;
  }
  for (const item of items) {
    const key = str(item['key']);
    const bytes = data?.get(key);
    if (!bytes) {
      if (optional) continue;
      const what = kind === 'configmap' ? 'config key' : 'secret key';
      throw new VolumeSetUpError(`${kind} references non-existent ${what}: ${key}`);
    }
    payload.set(str(item['path']), { data: bytes, mode: modeOf(item['mode'], defaultMode) });
  }
  return payload;
}

/** A volume's defaultMode (the source object's), else 0644. */
export function defaultModeOf(source: Obj | undefined): number {
  return modeOf(asObj(source)?.['defaultMode'], DEFAULT_MODE);
}
