/**
 * How objects are kept in storage: JSON without metadata.resourceVersion, which is the
 * storage revision and is filled in on the way out (as upstream's etcd3 store does).
 */
import type { KubeObject } from '../../machinery/object.js';

export function decodeStored(value: string, modRevision: number): KubeObject {
  const obj = JSON.parse(value) as KubeObject;
  obj.metadata ??= {};
  obj.metadata.resourceVersion = String(modRevision);
  return obj;
}

export function encodeForStorage(obj: KubeObject): string {
  const rv = obj.metadata.resourceVersion;
  if (rv === undefined) return JSON.stringify(obj);
  delete obj.metadata.resourceVersion;
  try {
    return JSON.stringify(obj);
  } finally {
    obj.metadata.resourceVersion = rv;
  }
}
