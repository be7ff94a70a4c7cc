/**
 * Extreme values inside otherwise valid bodies: numbers beyond every integer and float type,
 * invalid UTF-8 inside strings (deep nesting is in fuzz-nesting.ts).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import { encodeProtobufObject } from '../../src/machinery/protobuf/index.js';
import { collectionPath, findTarget, type FuzzTarget, printedAs } from './fuzz-targets.js';
import { describeResponse, expectAlive, expectClientError, expectNoServerError, type FuzzContext } from './fuzz-properties.js';
import { JSON_TYPE, PROTOBUF_TYPE, YAML_TYPE } from './fuzz-hostile.js';

/** A string value in a body that a case replaces with its extreme value. */
export const TOKEN = 'FUZZTOKEN0000000';

/** A place for an extreme value: a minimal valid body of a kind with TOKEN there. */
export interface Place {
  readonly target: FuzzTarget;
  /** Where the value goes, for messages. */
  readonly at: string;
  /** Whether the declared type there is a number (double) rather than an integer; for huge numbers. */
  readonly double?: boolean;
  /** Whether any value there is refused (metadata.name): a 4xx, where elsewhere a 2xx may be right. */
  readonly refused?: boolean;
  body(target: FuzzTarget, name: string): Record<string, unknown>;
}

export function place(targets: readonly FuzzTarget[], group: string, plural: string, rest: Omit<Place, 'target'>): Place {
  const target = findTarget(targets, group, plural);
  return printedAs({ target, ...rest }, `${target.label} ${rest.at}`);
}

export const meta = (t: FuzzTarget, extra: Record<string, unknown> = {}) => ({ apiVersion: t.apiVersion, kind: t.resource.kind, ...extra });
export const container = (extra: Record<string, unknown> = {}) => ({ name: 'c', image: 'busybox', ...extra });
export const podTemplate = (annotations: Record<string, unknown> = {}) => ({
  metadata: { labels: { app: 'fuzz' }, annotations },
  spec: { containers: [container()] },
});

export async function post(ctx: FuzzContext, target: FuzzTarget, body: Buffer, contentType: string) {
  return ctx.api.request('POST', collectionPath(target, ctx.namespace), body, { 'Content-Type': contentType });
}

/** The body's JSON text with the token string replaced by raw JSON text. */
export function withRaw(body: Record<string, unknown>, raw: string): Buffer {
  const text = JSON.stringify(body);
  assert.ok(text.includes(`"${TOKEN}"`));
  return Buffer.from(text.replace(`"${TOKEN}"`, raw));
}

// ---- huge numbers ----

export interface HugeNumberCase {
  readonly place: Place;
  readonly number: string;
  /** A 4xx (the number fits no value of the declared type), or anything but a 5xx. */
  readonly refused: boolean;
}

export function hugeNumberCases(targets: readonly FuzzTarget[]): HugeNumberCase[] {
  const places: Place[] = [
    place(targets, '', 'configmaps', {
      at: 'metadata.generation (int64)',
      body: (t, name) => meta(t, { metadata: { name, generation: TOKEN } }),
    }),
    place(targets, '', 'pods', {
      at: 'spec.activeDeadlineSeconds (int64)',
      body: (t, name) => meta(t, { metadata: { name }, spec: { activeDeadlineSeconds: TOKEN, containers: [container()] } }),
    }),
    place(targets, '', 'pods', {
      at: 'spec.containers[0].ports[0].containerPort (int32)',
      body: (t, name) => meta(t, { metadata: { name }, spec: { containers: [container({ ports: [{ containerPort: TOKEN }] })] } }),
    }),
    place(targets, 'apps', 'deployments', {
      at: 'spec.replicas (int32)',
      body: (t, name) =>
        meta(t, { metadata: { name }, spec: { replicas: TOKEN, selector: { matchLabels: { app: 'fuzz' } }, template: podTemplate() } }),
    }),
    place(targets, 'scheduling.k8s.io', 'priorityclasses', {
      at: 'value (int32)',
      body: (t, name) => meta(t, { metadata: { name }, value: TOKEN }),
    }),
    place(targets, 'apiextensions.k8s.io', 'customresourcedefinitions', {
      at: 'spec.versions[0].schema.openAPIV3Schema.maximum (double)',
      double: true,
      body: (t, name) => meta(t, { metadata: { name }, spec: crdSpec(TOKEN) }),
    }),
  ];
  const overflowing = ['1e400', '-1e400', '1e309'];
  const beyondIntegers = ['123456789012345678901234567890', '-123456789012345678901234567890', '18446744073709551616'];
  return places.flatMap((p) => [
    ...overflowing.map((number) => ({ place: p, number, refused: true })),
    // finite doubles, however large, are valid for a double
    ...beyondIntegers.map((number) => ({ place: p, number, refused: !p.double })),
    ...(p.at.endsWith('(int32)') ? ['2147483648', '-2147483649'].map((number) => ({ place: p, number, refused: true })) : []),
  ]);
}

/** A CRD spec whose one version's schema has `maximum` set (its name does not match: it is never stored). */
function crdSpec(maximum: unknown): Record<string, unknown> {
  return {
    group: 'fuzz.example.com',
    names: { plural: 'fuzzes', singular: 'fuzz', kind: 'Fuzz' },
    scope: 'Namespaced',
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', maximum } } }],
  };
}

/** POSTs a huge number as JSON and as YAML text; checks the answer and that the server answers after. */
export async function checkHugeNumber(ctx: FuzzContext, c: HugeNumberCase): Promise<void> {
  for (const type of [JSON_TYPE, YAML_TYPE]) {
    const where = `${c.place.target.label}: ${c.place.at} = ${c.number} as ${type}`;
    const res = await post(ctx, c.place.target, withRaw(c.place.body(c.place.target, ctx.name()), c.number), type);
    if (c.refused) expectClientError(res, where);
    else expectNoServerError(res, where);
    await expectAlive(ctx, where);
  }
}

// ---- invalid UTF-8 ----

export function utf8Places(targets: readonly FuzzTarget[]): Place[] {
  return [
    place(targets, '', 'configmaps', { at: 'data["k"]', body: (t, name) => meta(t, { metadata: { name }, data: { k: TOKEN } }) }),
    place(targets, '', 'configmaps', { at: 'metadata.name', refused: true, body: (t) => meta(t, { metadata: { name: TOKEN } }) }),
    place(targets, '', 'pods', {
      at: 'spec.containers[0].image',
      body: (t, name) => meta(t, { metadata: { name }, spec: { containers: [container({ image: TOKEN })] } }),
    }),
    place(targets, 'apps', 'deployments', {
      at: 'spec.template.metadata.annotations["a"]',
      body: (t, name) =>
        meta(t, { metadata: { name }, spec: { selector: { matchLabels: { app: 'fuzz' } }, template: podTemplate({ a: TOKEN }) } }),
    }),
    place(targets, 'scheduling.k8s.io', 'priorityclasses', {
      at: 'description',
      body: (t, name) => meta(t, { metadata: { name }, value: 1, description: TOKEN }),
    }),
    place(targets, 'scheduling.k8s.io', 'priorityclasses', {
      at: 'metadata.name',
      refused: true,
      body: (t) => meta(t, { metadata: { name: TOKEN }, value: 1 }),
    }),
  ];
}

/** Byte sequences that are not UTF-8: stray continuation, overlong, surrogate, beyond U+10FFFF, cut short. */
const INVALID_UTF8 = [
  [0x80],
  [0xff],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];

/**
 * Invalid UTF-8 inside a string, in JSON, YAML and protobuf. Upstream decodes it (Go's decoders
 * substitute U+FFFD), so a free-text field may be stored: anything but a 5xx, and what was
 * stored reads back; a name is refused with a 4xx.
 */
export function invalidUtf8IsHandled(ctx: FuzzContext, places: readonly Place[]) {
  return fc.asyncProperty(
    fc.constantFrom(...places),
    fc.constantFrom(...INVALID_UTF8),
    fc.integer({ min: 0, max: 6 }),
    fc.constantFrom('json' as const, 'yaml' as const, 'protobuf' as const),
    async (p, bad, offset, format) => {
      const name = ctx.name();
      const body = p.body(p.target, name);
      const encoded =
        format === 'json' ? Buffer.from(JSON.stringify(body)) : format === 'yaml' ? Buffer.from(toYaml(body)) : encodeProtobufObject(body);
      const at = encoded.indexOf(TOKEN);
      assert.ok(at >= 0);
      // same length as the token, so protobuf lengths stay right
      const value = Buffer.concat([Buffer.from('a'.repeat(offset)), Buffer.from(bad), Buffer.from('z'.repeat(TOKEN.length))]).subarray(
        0,
        TOKEN.length,
      );
      value.copy(encoded, at);
      const where = `${p.target.label}: ${p.at} with bytes ${Buffer.from(bad).toString('hex')} as ${format}`;
      const type = format === 'json' ? JSON_TYPE : format === 'yaml' ? YAML_TYPE : PROTOBUF_TYPE;
      const res = await post(ctx, p.target, encoded, type);
      if (p.refused) expectClientError(res, where);
      else expectNoServerError(res, where);
      if (res.status === 201) {
        const got = await ctx.api.request('GET', `${collectionPath(p.target, ctx.namespace)}/${name}`);
        assert.equal(got.status, 200, `${where}: reads back: ${describeResponse(got)}`);
        got.json();
      }
      await expectAlive(ctx, where);
    },
  );
}
