/**
 * How objects are kept in storage: JSON without metadata.resourceVersion, which is the
 * storage revision and is filled in on the way out (as upstream's etcd3 store does).
 *
 * The stored JSON begins with apiVersion, kind and metadata, so the JSON a client is sent is
 * the stored text with the resourceVersion spliced into metadata (servedJson): a write's
 * response and its watch events reuse the text the write stored instead of serializing again.
 */
import type { KubeObject } from '../../machinery/object.js';

export function decodeStored(value: string, modRevision: number): KubeObject {
  const obj = JSON.parse(value) as KubeObject;
  obj.metadata ??= {};
  obj.metadata.resourceVersion = String(modRevision);
  return obj;
}

export function encodeForStorage(obj: KubeObject): string {
  const { apiVersion, kind, metadata, ...rest } = obj;
  const { resourceVersion: _, ...meta } = metadata ?? {};
  return JSON.stringify({ apiVersion, kind, metadata: meta, ...rest });
}

/**
 * The JSON of `obj` at `revision` made from its stored text `value`; undefined when the text is
 * not in encodeForStorage's form for this object. Key order may differ from JSON.stringify(obj).
 */
export function servedJson(value: string, obj: KubeObject, revision: number): string | undefined {
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return undefined;
  const prefix = `{"apiVersion":${JSON.stringify(obj.apiVersion)},"kind":${JSON.stringify(obj.kind)},"metadata":{`;
  if (!value.startsWith(prefix)) return undefined;
  const empty = value.charCodeAt(prefix.length) === 0x7d; // `}`: metadata had nothing but the resourceVersion
  return `${prefix}"resourceVersion":"${revision}"${empty ? '' : ','}${value.slice(prefix.length)}`;
}

/** Objects a write returned, with the JSON it stored for them (served form). */
const writtenJson = new WeakMap<KubeObject, string>();

/** Remembers the served JSON of an object a write just stored (see respondObject). */
export function rememberWrittenJson(obj: KubeObject, value: string, revision: number): void {
  const json = servedJson(value, obj, revision);
  if (json !== undefined) writtenJson.set(obj, json);
}

/** The JSON a write remembered for `obj`, once: the caller sends it and the object is not changed in between. */
export function takeWrittenJson(obj: KubeObject): string | undefined {
  const json = writtenJson.get(obj);
  if (json !== undefined) writtenJson.delete(obj);
  return json;
}
