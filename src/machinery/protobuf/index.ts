/**
 * Kubernetes protobuf bodies (`application/vnd.kubernetes.protobuf`), decoded and encoded from
 * our schema registry: the `k8s\0` + runtime.Unknown envelope around an object in upstream's
 * generated.proto encoding.
 */
import { typeForKind } from '../schema/dsl.js';
import { newBadRequest } from '../errors.js';
import { decodeMessage, mustLookup } from './decode.js';
import { encodeMessage } from './encode.js';
import { decodeUnknown, encodeUnknown, PROTOBUF_MAGIC, type UnknownEnvelope } from './envelope.js';
import { ProtobufWireError } from './wire.js';

export { decodeMessage } from './decode.js';
export { encodeMessage } from './encode.js';
export { decodeUnknown, encodeUnknown, hasProtobufMagic, PROTOBUF_MAGIC, PROTOBUF_MEDIA_TYPE } from './envelope.js';
export type { UnknownEnvelope } from './envelope.js';
export { ProtobufWireError } from './wire.js';
export { formatGoDuration, parseGoDuration } from './go-duration.js';

/** The scheme name upstream's kube-apiserver puts in "no kind is registered" errors. */
const SCHEME = 'pkg/api/legacyscheme/scheme.go:30';

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function typeMetaText(u: UnknownEnvelope): string {
  return `runtime.TypeMeta{APIVersion:${JSON.stringify(u.apiVersion)}, Kind:${JSON.stringify(u.kind)}}`;
}

/**
 * Decodes a protobuf request body into the JSON object the API works with, apiVersion and kind
 * set. Every malformed body (wrong magic, truncated or invalid protobuf, unknown kind) is a
 * 400 BadRequest StatusError, as upstream answers.
 */
export function decodeProtobufObject(buf: Buffer): Record<string, unknown> {
  if (buf.length === 0) throw newBadRequest('empty data');
  if (buf.length < PROTOBUF_MAGIC.length || !PROTOBUF_MAGIC.every((b, i) => buf[i] === b)) {
    throw newBadRequest(`provided data does not appear to be a protobuf message, expected prefix [${PROTOBUF_MAGIC.join(' ')}]`);
  }
  if (buf.length === PROTOBUF_MAGIC.length) throw newBadRequest('empty body');
  try {
    const unknown = decodeUnknown(buf.subarray(PROTOBUF_MAGIC.length));
    if (unknown.kind === '') throw newBadRequest(`Object 'Kind' is missing in '${typeMetaText(unknown)}'`);
    if (unknown.apiVersion === '') throw newBadRequest(`Object 'apiVersion' is missing in '${typeMetaText(unknown)}'`);
    const { group, version } = splitApiVersion(unknown.apiVersion);
    const def = typeForKind(group, version, unknown.kind);
    if (!def) {
      throw newBadRequest(
        `no kind ${JSON.stringify(unknown.kind)} is registered for version ${JSON.stringify(unknown.apiVersion)} in scheme ${JSON.stringify(SCHEME)}`,
      );
    }
    if (unknown.contentEncoding !== '') throw newBadRequest(`unsupported content encoding ${JSON.stringify(unknown.contentEncoding)}`);
    const obj = decodeMessage(unknown.raw, def.name);
    return { apiVersion: unknown.apiVersion, kind: unknown.kind, ...obj };
  } catch (err) {
    if (err instanceof ProtobufWireError) throw newBadRequest(err.message);
    throw err;
  }
}

/**
 * Encodes an object (with apiVersion and kind) as a protobuf body. `typeName` picks the
 * definition when the object's kind alone does not (e.g. a List); otherwise it comes from
 * apiVersion/kind. Throws a TypeError for an object our schema cannot describe.
 */
export function encodeProtobufObject(obj: Record<string, unknown>, typeName?: string): Buffer {
  const apiVersion = typeof obj['apiVersion'] === 'string' ? obj['apiVersion'] : '';
  const kind = typeof obj['kind'] === 'string' ? obj['kind'] : '';
  let name = typeName;
  if (name === undefined) {
    const { group, version } = splitApiVersion(apiVersion);
    const def = typeForKind(group, version, kind);
    if (!def) throw new TypeError(`protobuf: no type declared for ${apiVersion || '<no apiVersion>'} ${kind || '<no kind>'}`);
    name = def.name;
  } else {
    mustLookup(name);
  }
  return encodeUnknown({ apiVersion, kind, raw: encodeMessage(obj, name) });
}
