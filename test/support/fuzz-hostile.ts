/**
 * Hostile request bodies: random bytes and truncated documents, as JSON, YAML and Kubernetes
 * protobuf. Each gets a Status (never a 5xx) and the server keeps answering.
 */
import fc from 'fast-check';
import { encodeMessage, encodeUnknown, PROTOBUF_MAGIC } from '../../src/machinery/protobuf/index.js';
import { arbitraryObject } from '../../src/machinery/schema/testing/arbitrary.js';
import { collectionPath, type FuzzTarget } from './fuzz-targets.js';
import {
  bodyOf,
  CONTENT_TYPES,
  encodeBody,
  expectAlive,
  expectClientError,
  expectNoServerError,
  type FuzzContext,
  placeIn,
  VALUE_OPTIONS,
} from './fuzz-properties.js';

export const { json: JSON_TYPE, yaml: YAML_TYPE, protobuf: PROTOBUF_TYPE } = CONTENT_TYPES;

async function post(ctx: FuzzContext, target: FuzzTarget, body: Buffer, contentType: string) {
  return ctx.api.request('POST', collectionPath(target, ctx.namespace), body, { 'Content-Type': contentType });
}

/** Bytes that look a little like JSON or YAML, to get past a parser's first character. */
const documentish = fc
  .array(
    fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      '"',
      ':',
      ',',
      ' ',
      '\n',
      '-',
      '1',
      '1e999',
      'true',
      'null',
      '\\u',
      '\\',
      'apiVersion',
      'kind: ',
      '&a',
      '*a',
      '!!binary',
      '#',
    ),
    { maxLength: 40 },
  )
  .map((parts) => Buffer.from(parts.join('')));

/** Random bytes (raw, document-like, or behind the protobuf magic) as JSON, YAML or protobuf: a 4xx Status. */
export function randomBytesAreClientErrors(ctx: FuzzContext, targets: readonly FuzzTarget[]) {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
    documentish,
    fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.concat([PROTOBUF_MAGIC, b])),
  );
  return fc.asyncProperty(
    fc.constantFrom(...targets),
    fc.constantFrom(JSON_TYPE, YAML_TYPE, PROTOBUF_TYPE),
    bytes,
    async (target, type, body) => {
      const where = `${target.label}: ${body.length} random bytes as ${type}`;
      expectClientError(await post(ctx, target, body, type), where);
      await expectAlive(ctx, where);
    },
  );
}

/**
 * A valid body cut short. A proper prefix of JSON, and of a protobuf envelope cut before its
 * object ends, is malformed: a 4xx Status. A prefix of YAML, or of the protobuf object inside an
 * intact envelope, may be a complete smaller document: then anything but a 5xx.
 */
export function truncatedBodiesAreRefused(ctx: FuzzContext, targets: readonly FuzzTarget[]) {
  const cases = fc.constantFrom(...targets).chain((target) =>
    fc.record({
      target: fc.constant(target),
      value: arbitraryObject(target.typeName, VALUE_OPTIONS).map(placeIn(target, ctx.namespace)),
      format: fc.constantFrom('json', 'yaml', 'protobuf', 'protobuf-object'),
      cut: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    }),
  );
  return fc.asyncProperty(cases, async ({ target, value, format, cut }) => {
    const body = bodyOf(target, value, ctx.name());
    let bytes: Buffer;
    let strict = true;
    if (format === 'protobuf-object') {
      const raw = encodeMessage(body, target.typeName);
      const inner = raw.subarray(0, Math.floor(cut * raw.length));
      bytes = encodeUnknown({ apiVersion: target.apiVersion, kind: target.resource.kind, raw: inner });
      strict = false;
    } else {
      const full = encodeBody(body, format).bytes;
      // a protobuf envelope ends with two empty strings (4 bytes) after the object
      const end = format === 'protobuf' ? full.length - 4 : full.length;
      bytes = full.subarray(0, Math.floor(cut * end));
      strict = format !== 'yaml';
    }
    const where = `${target.label}: ${format} cut to ${bytes.length} bytes`;
    const res = await post(ctx, target, bytes, format === 'protobuf-object' ? PROTOBUF_TYPE : CONTENT_TYPES[format]);
    if (strict) expectClientError(res, where);
    else expectNoServerError(res, where);
    await expectAlive(ctx, where);
  });
}
