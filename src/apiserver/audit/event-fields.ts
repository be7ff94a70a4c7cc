/**
 * The parts of an audit Event taken from the request: microsecond timestamps, the user, the
 * source IPs, the objectRef, a Status cut to the fields upstream keeps, and request and response
 * bodies decoded for the Request and RequestResponse levels (managedFields left out on demand).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { UserInfo } from '../registry/context.js';
import type { RequestInfo } from '../request-info.js';
import { mediaType } from '../http/body.js';
import type { Status } from '../../machinery/errors.js';
import type { AuditEvent, EventUser, ObjectReference, ResponseStatus } from './interface.js';

/** metav1.MicroTime: 2006-01-02T15:04:05.000000Z. */
export function microTime(): string {
  const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const iso = new Date(Math.floor(us / 1000)).toISOString();
  return `${iso.slice(0, 19)}.${String(us % 1_000_000).padStart(6, '0')}Z`;
}

export function eventUser(user: UserInfo): EventUser {
  return {
    username: user.name,
    ...(user.uid ? { uid: user.uid } : {}),
    groups: user.groups,
    ...(user.extra && Object.keys(user.extra).length > 0 ? { extra: user.extra } : {}),
  };
}

/** upstream utilnet.SourceIPs: X-Forwarded-For, X-Real-Ip, then the peer. */
export function sourceIPs(req: IncomingMessage): string[] {
  const ips: string[] = [];
  const forwarded = req.headers['x-forwarded-for'];
  if (typeof forwarded === 'string')
    ips.push(
      ...forwarded
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    );
  const real = req.headers['x-real-ip'];
  if (typeof real === 'string' && real.trim() !== '' && !ips.includes(real.trim())) ips.push(real.trim());
  const peer = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  if (peer && !ips.includes(peer)) ips.push(peer);
  return ips;
}

export function objectRefOf(info: RequestInfo): ObjectReference | undefined {
  if (!info.isResourceRequest) return undefined;
  const ref: ObjectReference = { resource: info.resource };
  if (info.namespace) ref.namespace = info.namespace;
  if (info.name) ref.name = info.name;
  if (info.group) ref.apiGroup = info.group;
  ref.apiVersion = info.version;
  if (info.subresource) ref.subresource = info.subresource;
  return ref;
}

export function responseStatusOf(status: Partial<Status>, code: number): ResponseStatus {
  return {
    metadata: {},
    ...(status.status ? { status: status.status } : {}),
    ...(status.message ? { message: status.message } : {}),
    ...(status.reason ? { reason: status.reason } : {}),
    ...(status.details ? { details: status.details } : {}),
    code: status.code ?? code,
  };
}

/** A body as an object, or undefined when it is not one this server reads. */
export async function decodeBody(buf: Buffer, contentType: string | undefined): Promise<unknown> {
  if (buf.length === 0) return undefined;
  const type = mediaType(contentType);
  try {
    if (type === 'application/vnd.kubernetes.protobuf') {
      const { decodeProtobufObject } = await import('../../machinery/protobuf/index.js');
      return decodeProtobufObject(buf);
    }
    if (type.includes('yaml')) return parseYaml(buf.toString('utf8'));
    return JSON.parse(buf.toString('utf8'));
  } catch {
    return undefined;
  }
}

function withoutManagedFields(obj: Record<string, unknown>): Record<string, unknown> {
  const meta = obj.metadata as Record<string, unknown> | undefined;
  if (!meta || typeof meta !== 'object' || !('managedFields' in meta)) return obj;
  const { managedFields: _, ...rest } = meta;
  return { ...obj, metadata: rest };
}

/** omitManagedFields: an object's, and a list's items'. */
export function omitManagedFields(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const obj = withoutManagedFields(value as Record<string, unknown>);
  if (Array.isArray(obj.items)) return { ...obj, items: obj.items.map((i) => omitManagedFields(i)) };
  return obj;
}

/** Upstream's field order, so lines read like kube-apiserver's. */
const EVENT_FIELDS: readonly (keyof AuditEvent)[] = [
  'kind',
  'apiVersion',
  'level',
  'auditID',
  'stage',
  'requestURI',
  'verb',
  'user',
  'impersonatedUser',
  'sourceIPs',
  'userAgent',
  'objectRef',
  'responseStatus',
  'requestObject',
  'responseObject',
  'requestReceivedTimestamp',
  'stageTimestamp',
  'annotations',
];

export function inUpstreamOrder(event: AuditEvent): AuditEvent {
  const out: Record<string, unknown> = {};
  for (const key of EVENT_FIELDS) if (event[key] !== undefined) out[key] = event[key];
  return out as unknown as AuditEvent;
}

/**
 * A JSON response body kept as the text that was written, so the event line embeds it without
 * parsing it again; anything else that serializes it gets the parsed value.
 */
export class RawJSON {
  constructor(readonly text: string) {}
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

const RAW_MARK = `\u0000${randomUUID()}\u0000`;

/** One event as a JSON line, a RawJSON responseObject spliced in as it is. */
export function eventLine(event: AuditEvent): string {
  const raw = event.responseObject;
  if (!(raw instanceof RawJSON)) return `${JSON.stringify(event)}\n`;
  const line = JSON.stringify({ ...event, responseObject: RAW_MARK });
  const mark = JSON.stringify(RAW_MARK);
  const at = line.indexOf(`"responseObject":${mark}`) + '"responseObject":'.length;
  return `${line.slice(0, at)}${raw.text}${line.slice(at + mark.length)}\n`;
}
