/**
 * Properties of typed decoding, run against a real server by test/typed-decoding-fuzz.test.ts
 * and, longer, by bench/fuzz.ts: a body with one value of a wrong JSON type is a 400 BadRequest
 * and stores nothing; a type-valid body never gets a 5xx.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import { encodeProtobufObject } from '../../src/machinery/protobuf/index.js';
import { arbitraryMutatedObject, arbitraryObject, type Mutation, type ValueOptions } from '../../src/machinery/schema/testing/arbitrary.js';
import type { ApiClient, Response } from './http.js';
import { collectionPath, type FuzzTarget } from './fuzz-targets.js';

export interface FuzzContext {
  readonly api: ApiClient;
  /** Where namespaced targets are posted. */
  readonly namespace: string;
  /** A fresh object name, valid for every name format. */
  name(): string;
}

/** Options of the generated objects: small enough that thousands of cases take seconds. */
export const VALUE_OPTIONS: ValueOptions = { maxDepth: 4, maxItems: 2 };

/** The metadata.name generated values carry until a case replaces it with a fresh name. */
const PLACEHOLDER = 'fuzz-placeholder';

interface Status {
  kind?: string;
  status?: string;
  reason?: string;
  code?: number;
  message?: string;
}

/** Sets metadata.name (a placeholder) and metadata.namespace so a body is posted where it belongs. */
export function placeIn(target: FuzzTarget, namespace: string): (obj: Record<string, unknown>) => Record<string, unknown> {
  return (obj) => {
    const metadata: Record<string, unknown> = { ...(obj['metadata'] as Record<string, unknown> | undefined), name: PLACEHOLDER };
    if (target.resource.namespaced) metadata['namespace'] = namespace;
    else delete metadata['namespace'];
    return { ...obj, metadata };
  };
}

/** The body of a case: apiVersion and kind first, the placeholder name replaced by `name`. */
export function bodyOf(target: FuzzTarget, value: Record<string, unknown>, name: string): Record<string, unknown> {
  const body: Record<string, unknown> = { apiVersion: target.apiVersion, kind: target.resource.kind, ...structuredClone(value) };
  const metadata = body['metadata'];
  if (typeof metadata === 'object' && metadata !== null && (metadata as Record<string, unknown>)['name'] === PLACEHOLDER) {
    (metadata as Record<string, unknown>)['name'] = name;
  }
  return body;
}

export function describeResponse(res: Response): string {
  return `${res.status} ${res.body.length > 400 ? `${res.body.slice(0, 400)}…` : res.body}`;
}

/** A metav1.Status with a 4xx code matching the HTTP status. */
export function expectClientError(res: Response, where: string): Status {
  assert.ok(res.status >= 400 && res.status < 500, `${where}: want a 4xx, got ${describeResponse(res)}`);
  assert.match(String(res.headers['content-type']), /^application\/json/, `${where}: a Status is JSON`);
  const status = res.json<Status>();
  assert.equal(status.kind, 'Status', `${where}: ${describeResponse(res)}`);
  assert.equal(status.status, 'Failure', `${where}: ${describeResponse(res)}`);
  assert.equal(status.code, res.status, `${where}: ${describeResponse(res)}`);
  return status;
}

/** Any answer but a 5xx; errors as a Status. */
export function expectNoServerError(res: Response, where: string): void {
  assert.ok(res.status < 500, `${where}: want no 5xx, got ${describeResponse(res)}`);
  if (res.status >= 300) expectClientError(res, where);
}

/** The server still serves: a GET of the fuzz namespace answers 200. */
export async function expectAlive(ctx: FuzzContext, where: string): Promise<void> {
  const res = await ctx.api.request('GET', `/api/v1/namespaces/${ctx.namespace}`);
  assert.equal(res.status, 200, `${where}: the server answers afterwards; got ${describeResponse(res)}`);
}

/** Names and resourceVersions of the objects in a collection. */
async function listing(ctx: FuzzContext, path: string): Promise<string> {
  const res = await ctx.api.request('GET', path);
  assert.equal(res.status, 200, `list ${path}: ${describeResponse(res)}`);
  const list = res.json<{ items: { metadata: { name: string; resourceVersion: string } }[] }>();
  return list.items
    .map((i) => `${i.metadata.name}@${i.metadata.resourceVersion}`)
    .sort()
    .join(',');
}

function describeMutation(target: FuzzTarget, m: Mutation): string {
  const value = JSON.stringify(m.value);
  return `${target.label}: ${m.path} (${m.declared}) = ${value.length > 80 ? `${value.slice(0, 80)}…` : value}`;
}

/** A mutation that leaves the object without its name: only a listing shows whether it was stored. */
function hidesName(m: Mutation): boolean {
  return m.path === 'metadata' || m.path === 'metadata.name';
}

/**
 * A type-valid object with one value of a wrong JSON type is 400 BadRequest "… cannot be
 * handled as a <Kind>: …" and nothing is stored.
 */
export function wrongTypeIsBadRequest(ctx: FuzzContext, target: FuzzTarget, options: ValueOptions = VALUE_OPTIONS) {
  const path = collectionPath(target, ctx.namespace);
  return fc.asyncProperty(arbitraryMutatedObject(target.typeName, options, placeIn(target, ctx.namespace)), async ({ value, mutation }) => {
    const name = ctx.name();
    const where = describeMutation(target, mutation);
    const before = target.stored && hidesName(mutation) ? await listing(ctx, path) : undefined;
    const res = await ctx.api.request('POST', path, JSON.stringify(bodyOf(target, value, name)));
    const status = expectClientError(res, where);
    assert.equal(res.status, 400, `${where}: want 400, got ${describeResponse(res)}`);
    assert.equal(status.reason, 'BadRequest', `${where}: ${describeResponse(res)}`);
    assert.ok(status.message?.includes('cannot be handled as a'), `${where}: message ${JSON.stringify(status.message)}`);
    if (target.stored) {
      const got = await ctx.api.request('GET', `${path}/${name}`);
      assert.equal(got.status, 404, `${where}: nothing stored under ${name}; GET answered ${describeResponse(got)}`);
    }
    if (before !== undefined) assert.equal(await listing(ctx, path), before, `${where}: nothing stored`);
  });
}

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

/** How a body is sent: JSON mostly, sometimes YAML or Kubernetes protobuf. */
export const BODY_FORMATS = fc.oneof(
  { weight: 2, arbitrary: fc.constant('json' as const) },
  { weight: 1, arbitrary: fc.constantFrom('yaml' as const, 'protobuf' as const) },
);

export const CONTENT_TYPES = {
  json: 'application/json',
  yaml: 'application/yaml',
  protobuf: 'application/vnd.kubernetes.protobuf',
} as const;

/** A body in one of the formats a client may send. */
export function encodeBody(body: Record<string, unknown>, format: keyof typeof CONTENT_TYPES): { bytes: Buffer; contentType: string } {
  const bytes =
    format === 'json' ? Buffer.from(JSON.stringify(body)) : format === 'yaml' ? Buffer.from(toYaml(body)) : encodeProtobufObject(body);
  return { bytes, contentType: CONTENT_TYPES[format] };
}

/**
 * A type-valid object (not necessarily a valid one), as JSON, YAML or protobuf, never gets a
 * 5xx: created or refused with a Status. What was created reads back as JSON, as a Table and
 * as YAML.
 */
export function typeValidIsNeverServerError(ctx: FuzzContext, target: FuzzTarget, options: ValueOptions = VALUE_OPTIONS) {
  const path = collectionPath(target, ctx.namespace);
  // half the objects keep only name and namespace of their generated metadata, so that more of
  // them get past metadata validation to the kind's own validation and strategy
  const objects = fc
    .tuple(arbitraryObject(target.typeName, options), fc.boolean())
    .map(([obj, plainMetadata]) => (plainMetadata ? { ...obj, metadata: {} } : obj))
    .map(placeIn(target, ctx.namespace));
  return fc.asyncProperty(objects, BODY_FORMATS, async (value, format) => {
    const name = ctx.name();
    const { bytes, contentType } = encodeBody(bodyOf(target, value, name), format);
    const res = await ctx.api.request('POST', path, bytes, { 'Content-Type': contentType });
    expectNoServerError(res, `${target.label}: POST as ${format}`);
    if (res.status !== 201 || !target.stored) return;
    for (const accept of ['application/json', TABLE, 'application/yaml']) {
      const got = await ctx.api.request('GET', `${path}/${name}`, undefined, { Accept: accept });
      assert.equal(got.status, 200, `${target.label}: GET ${name} as ${accept}: ${describeResponse(got)}`);
    }
  });
}
