/**
 * Nesting deeper than upstream's decoders allow (10,000 levels): arrays or objects in a string
 * field or a rawExtension, as JSON and YAML text, and in protobuf both as raw JSON inside a
 * RawExtension and as a recursive message (JSONSchemaProps.not inside .not …).
 */
import fc from 'fast-check';
import { encodeMessage, encodeUnknown } from '../../src/machinery/protobuf/index.js';
import { WireWriter } from '../../src/machinery/protobuf/wire.js';
import { lookupType } from '../../src/machinery/schema/dsl.js';
import { findTarget, type FuzzTarget, printedAs } from './fuzz-targets.js';
import { expectAlive, expectClientError, type FuzzContext } from './fuzz-properties.js';
import { JSON_TYPE, PROTOBUF_TYPE, YAML_TYPE } from './fuzz-hostile.js';
import { container, meta, type Place, place, podTemplate, post, TOKEN, withRaw } from './fuzz-extremes.js';

export function nestingPlaces(targets: readonly FuzzTarget[]): Place[] {
  return [
    place(targets, '', 'configmaps', { at: 'data["k"]', body: (t, name) => meta(t, { metadata: { name }, data: { k: TOKEN } }) }),
    place(targets, '', 'configmaps', {
      at: 'metadata.annotations["a"]',
      body: (t, name) => meta(t, { metadata: { name, annotations: { a: TOKEN } } }),
    }),
    place(targets, '', 'pods', {
      at: 'metadata.annotations["a"]',
      body: (t, name) => meta(t, { metadata: { name, annotations: { a: TOKEN } }, spec: { containers: [container()] } }),
    }),
    place(targets, 'apps', 'deployments', {
      at: 'spec.template.metadata.annotations["a"]',
      body: (t, name) =>
        meta(t, { metadata: { name }, spec: { selector: { matchLabels: { app: 'fuzz' } }, template: podTemplate({ a: TOKEN }) } }),
    }),
    place(targets, 'scheduling.k8s.io', 'priorityclasses', {
      at: 'metadata.annotations["a"]',
      body: (t, name) => meta(t, { metadata: { name, annotations: { a: TOKEN } }, value: 1 }),
    }),
    place(targets, 'apps', 'controllerrevisions', {
      at: 'data (rawExtension)',
      body: (t, name) => meta(t, { metadata: { name }, revision: 1, data: { a: TOKEN } }),
    }),
  ];
}

type Shape = 'array' | 'object';

function nestedText(shape: Shape, depth: number): string {
  return shape === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

function protoNumber(typeName: string, field: string): number {
  const n = lookupType(typeName)?.fields[field]?.proto;
  if (n === undefined) throw new Error(`${typeName}.${field} has no proto number`);
  return n;
}

function messageField(field: number, payload: Uint8Array): Buffer {
  return new WireWriter().bytesField(field, payload).finish();
}

/** `depth` JSONSchemaProps each holding the next in `not`, built in linear time. */
function nestedSchemas(depth: number): Buffer {
  const not = protoNumber('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps', 'not');
  const headers: Buffer[] = [];
  let length = 0;
  for (let i = 0; i < depth; i++) {
    const header = new WireWriter().tag(not, 2).varint(length).finish();
    headers.push(header);
    length += header.length;
  }
  return Buffer.concat(headers.reverse());
}

/** A CRD whose schema is `depth` levels of `not` (fields appended to a message merge into it). */
function deepCrd(target: FuzzTarget, name: string, depth: number): Buffer {
  const A = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
  const validation = messageField(protoNumber(`${A}.CustomResourceValidation`, 'openAPIV3Schema'), nestedSchemas(depth));
  const version = Buffer.concat([
    encodeMessage({ name: 'v1', served: true, storage: true }, `${A}.CustomResourceDefinitionVersion`),
    messageField(protoNumber(`${A}.CustomResourceDefinitionVersion`, 'schema'), validation),
  ]);
  const spec = Buffer.concat([
    encodeMessage(
      { group: 'fuzz.example.com', names: { plural: 'fuzzes', kind: 'Fuzz' }, scope: 'Namespaced' },
      `${A}.CustomResourceDefinitionSpec`,
    ),
    messageField(protoNumber(`${A}.CustomResourceDefinitionSpec`, 'versions'), version),
  ]);
  const raw = Buffer.concat([
    encodeMessage({ metadata: { name } }, target.typeName),
    messageField(protoNumber(target.typeName, 'spec'), spec),
  ]);
  return encodeUnknown({ apiVersion: target.apiVersion, kind: target.resource.kind, raw });
}

/** A ControllerRevision whose data (a RawExtension: raw=1) is deeply nested JSON. */
function deepRawExtension(target: FuzzTarget, name: string, shape: Shape, depth: number): Buffer {
  const json = Buffer.from(`{"a":${nestedText(shape, depth)}}`);
  const raw = Buffer.concat([
    encodeMessage({ metadata: { name }, revision: 1 }, target.typeName),
    messageField(protoNumber(target.typeName, 'data'), messageField(1, json)),
  ]);
  return encodeUnknown({ apiVersion: target.apiVersion, kind: target.resource.kind, raw });
}

interface NestingCase {
  /** What the case posts, for messages. */
  readonly label: string;
  readonly target: FuzzTarget;
  readonly contentType: string;
  body(name: string): Buffer;
}

function nestingCase(label: string, target: FuzzTarget, contentType: string, body: (name: string) => Buffer): NestingCase {
  return printedAs({ label, target, contentType, body }, label);
}

function nestingCases(targets: readonly FuzzTarget[]): fc.Arbitrary<NestingCase> {
  const depth = fc.oneof(fc.constant(100_000), fc.integer({ min: 10_001, max: 100_000 }));
  const shape = fc.constantFrom<Shape>('array', 'object');
  const text = fc
    .tuple(fc.constantFrom(...nestingPlaces(targets)), shape, depth, fc.constantFrom(JSON_TYPE, YAML_TYPE))
    .map(([p, s, d, type]) =>
      nestingCase(`${p.target.label} ${p.at}: ${d} nested ${s}s as ${type}`, p.target, type, (name) =>
        withRaw(p.body(p.target, name), nestedText(s, d)),
      ),
    );
  const revisions = findTarget(targets, 'apps', 'controllerrevisions');
  const crds = findTarget(targets, 'apiextensions.k8s.io', 'customresourcedefinitions');
  const protobuf = fc.oneof(
    fc
      .tuple(shape, depth)
      .map(([s, d]) =>
        nestingCase(`${revisions.label} data: ${d} nested ${s}s in a protobuf RawExtension`, revisions, PROTOBUF_TYPE, (name) =>
          deepRawExtension(revisions, name, s, d),
        ),
      ),
    depth.map((d) =>
      nestingCase(`${crds.label}: ${d} nested JSONSchemaProps.not in protobuf`, crds, PROTOBUF_TYPE, (name) => deepCrd(crds, name, d)),
    ),
  );
  return fc.oneof({ weight: 3, arbitrary: text }, { weight: 1, arbitrary: protobuf });
}

/** Nesting beyond 10,000 levels: a 4xx Status, and the server keeps answering. */
export function deepNestingIsRefused(ctx: FuzzContext, targets: readonly FuzzTarget[]) {
  return fc.asyncProperty(nestingCases(targets), async (c) => {
    expectClientError(await post(ctx, c.target, c.body(ctx.name()), c.contentType), c.label);
    await expectAlive(ctx, c.label);
  });
}
