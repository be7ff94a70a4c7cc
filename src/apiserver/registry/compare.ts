/** Comparisons the registry makes between an object and its previous state. */
import type { KubeObject } from '../../machinery/object.js';
import { isDeepStrictEqual } from 'node:util';

/** True when anything outside metadata and status differs: the generation then moves on. */
export function hasSpecChange(next: KubeObject, old: KubeObject): boolean {
  const keys = new Set([...Object.keys(next), ...Object.keys(old)]);
  for (const k of keys) {
    if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue;
    if (!isDeepStrictEqual(next[k], old[k])) return true;
  }
  return false;
}

/** True when an update would store nothing new (managedFields timestamps aside). */
export function sameObject(next: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject): KubeObject => {
    const meta = { ...o.metadata };
    delete meta.resourceVersion;
    if (meta.managedFields) meta.managedFields = meta.managedFields.map((e) => ({ ...e, time: undefined }));
    return { ...o, metadata: meta };
  };
  return isDeepStrictEqual(JSON.parse(JSON.stringify(strip(next))), JSON.parse(JSON.stringify(strip(old))));
}
