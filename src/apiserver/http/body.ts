/**
 * Request bodies: read with a size limit (413 beyond it, like upstream's 3 MiB cap) and decoded
 * by Content-Type: JSON, YAML or Kubernetes protobuf (`k8s\0` envelope).
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { newBadRequest, newTooLarge, newUnsupportedMediaType } from '../../machinery/errors.js';
import { nestingDepthError, yamlNestingDepthError } from '../../machinery/nesting-depth.js';
import { requestBodyRead } from '../audit/request-audit.js';

export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_REQUEST_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      req.resume();
      reject(newTooLarge('the request is too large'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(newTooLarge('the request is too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requestBodyRead(req, body);
      resolve(body);
    });
    req.on('error', reject);
  });
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Parses a body as JSON or YAML (YAML is a superset, but JSON errors read like upstream's). */
export function parseDocument(buf: Buffer, type: 'json' | 'yaml'): unknown {
  const text = buf.toString('utf8');
  let value: unknown;
  if (type === 'json') {
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw newBadRequest(`json: ${(err as Error).message}`);
    }
  } else {
    const tooDeep = yamlNestingDepthError(text);
    if (tooDeep) throw newBadRequest(`error converting YAML to JSON: ${tooDeep}`);
    try {
      value = parseYaml(text, { uniqueKeys: true });
    } catch (err) {
      throw newBadRequest(`error converting YAML to JSON: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  const tooDeep = nestingDepthError(value);
  if (tooDeep) throw newBadRequest(type === 'json' ? `json: ${tooDeep}` : `error converting YAML to JSON: ${tooDeep}`);
  return value;
}

/** Decodes an object body (create, update) by its Content-Type. */
export async function decodeObjectBody(buf: Buffer, contentType: string | undefined): Promise<Record<string, unknown>> {
  const type = mediaType(contentType);
  let obj: unknown;
  if (buf.length === 0) throw newBadRequest('the body of the request was empty');
  if (type === 'application/json' || type === '') obj = parseDocument(buf, 'json');
  else if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') obj = parseDocument(buf, 'yaml');
  else if (type === 'application/vnd.kubernetes.protobuf') {
    // loaded on first use: only kubectl 1.32+ generator commands send protobuf
    const { decodeProtobufObject } = await import('../../machinery/protobuf/index.js');
    obj = decodeProtobufObject(buf);
    // a RawExtension or JSON field carries JSON of its own
    const tooDeep = nestingDepthError(obj);
    if (tooDeep) throw newBadRequest(tooDeep);
  } else throw newUnsupportedMediaType(type);
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw newBadRequest("Object 'Kind' is missing in '" + buf.toString('utf8').slice(0, 200) + "'");
  }
  return obj as Record<string, unknown>;
}
