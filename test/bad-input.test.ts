/**
 * Bad input gets upstream's Status errors, the server keeps serving, and nothing is stored.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from './support/server.js';
import { ApiClient } from './support/http.js';

let server: TestServer;
let api: ApiClient;
const CM = '/api/v1/namespaces/default/configmaps';

interface Status {
  kind: string;
  status: string;
  reason: string;
  code: number;
  message: string;
  details?: { causes?: { reason: string; field: string; message: string }[] };
}

before(async () => {
  server = await startServer();
  api = new ApiClient(server.kubeconfig);
});

after(async () => {
  api?.close();
  await server?.stop();
  await server?.cleanup();
});

/** What is stored: every ConfigMap in default with its resourceVersion. */
async function revision(): Promise<string> {
  const res = await api.request('GET', CM);
  const list = res.json<{ items: { metadata: { name: string; resourceVersion: string } }[] }>();
  return list.items.map((i) => `${i.metadata.name}@${i.metadata.resourceVersion}`).join(',');
}

async function expectStatus(
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
  code: number,
  reason: string,
  message?: RegExp,
): Promise<Status> {
  const before = await revision();
  const res = await api.request(method, path, body, headers);
  assert.equal(res.status, code, `want ${code}, got ${res.status}: ${res.body}`);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const status = res.json<Status>();
  assert.equal(status.kind, 'Status');
  assert.equal(status.status, 'Failure');
  assert.equal(status.reason, reason);
  assert.equal(status.code, code);
  if (message) assert.match(status.message, message);
  assert.equal(await revision(), before, 'nothing was stored');
  return status;
}

const json = { 'Content-Type': 'application/json' };

describe('bad input', () => {
  it('malformed JSON is 400', async () => {
    await expectStatus('POST', CM, '{"apiVersion":"v1",', json, 400, 'BadRequest');
  });
  it('malformed YAML is 400', async () => {
    await expectStatus(
      'POST',
      CM,
      'apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n',
      { 'Content-Type': 'application/yaml' },
      400,
      'BadRequest',
    );
  });
  it('malformed protobuf is 400', async () => {
    await expectStatus(
      'POST',
      CM,
      Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0xff, 0x01]),
      { 'Content-Type': 'application/vnd.kubernetes.protobuf' },
      400,
      'BadRequest',
    );
    await expectStatus(
      'POST',
      CM,
      Buffer.from('not protobuf at all'),
      { 'Content-Type': 'application/vnd.kubernetes.protobuf' },
      400,
      'BadRequest',
    );
  });
  it('an unknown content type is 415', async () => {
    await expectStatus('POST', CM, '<xml/>', { 'Content-Type': 'application/xml' }, 415, 'UnsupportedMediaType');
  });
  it('a body that is not an object is 400', async () => {
    await expectStatus('POST', CM, '[1,2]', json, 400, 'BadRequest');
    await expectStatus('POST', CM, '"text"', json, 400, 'BadRequest');
  });
  it('the wrong kind or apiVersion is 400', async () => {
    await expectStatus('POST', CM, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }, json, 400, 'BadRequest');
    await expectStatus(
      'POST',
      CM,
      { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } },
      json,
      400,
      'BadRequest',
      /does not match the expected API version/,
    );
  });
  it('an oversized body is 413', async () => {
    const big = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { x: 'a'.repeat(4 * 1024 * 1024) } };
    await expectStatus('POST', CM, big, json, 413, 'RequestEntityTooLarge');
  });
  it('invalid names and label values are 422 with field causes', async () => {
    const s = await expectStatus(
      'POST',
      CM,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name', labels: { ok: 'not ok!' } } },
      json,
      422,
      'Invalid',
      /ConfigMap "Bad_Name" is invalid/,
    );
    const fields = (s.details?.causes ?? []).map((c) => c.field).sort();
    assert.deepEqual(fields, ['metadata.labels', 'metadata.name']);
    assert.ok(s.details?.causes?.every((c) => c.reason === 'FieldValueInvalid'));
  });
  it('a missing name is 422', async () => {
    const s = await expectStatus('POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }, json, 422, 'Invalid');
    assert.equal(s.details?.causes?.[0]?.field, 'metadata.name');
    assert.equal(s.details?.causes?.[0]?.message, 'Required value: name or generateName is required');
  });
  it('unknown fields under Strict are 400, under Warn a warning', async () => {
    await expectStatus(
      'POST',
      `${CM}?fieldValidation=Strict`,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'strict' }, bogus: 1 },
      json,
      400,
      'BadRequest',
      /strict decoding error: unknown field "bogus"/,
    );
    const res = await api.request('POST', `${CM}?fieldValidation=Warn`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'warned' },
      bogus: 1,
    });
    assert.equal(res.status, 201);
    assert.equal(String(res.headers['warning']), '299 - "unknown field \\"bogus\\""');
    assert.equal(res.json<Record<string, unknown>>()['bogus'], undefined);
  });
  it('duplicate fields under Strict are 400, under Warn a warning, under Ignore the last one wins', async () => {
    const text = (name: string): string => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"data":{"a":"1","a":"2"}}`;
    await expectStatus(
      'POST',
      `${CM}?fieldValidation=Strict`,
      text('dup-strict'),
      json,
      400,
      'BadRequest',
      /^ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "data\.a"$/,
    );
    const warned = await api.request('POST', `${CM}?fieldValidation=Warn`, text('dup-warn'), json);
    assert.equal(warned.status, 201, warned.body);
    assert.equal(String(warned.headers['warning']), '299 - "duplicate field \\"data.a\\""');
    const ignored = await api.request('POST', `${CM}?fieldValidation=Ignore`, text('dup-ignore'), json);
    assert.equal(ignored.status, 201, ignored.body);
    assert.equal(ignored.headers['warning'], undefined);
    assert.deepEqual(ignored.json<{ data: Record<string, string> }>().data, { a: '2' });
  });
  it('dryRun=All stores nothing', async () => {
    const before = await revision();
    const res = await api.request('POST', `${CM}?dryRun=All`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' } });
    assert.equal(res.status, 201);
    assert.equal(await revision(), before);
    assert.equal((await api.request('GET', `${CM}/dry`)).status, 404);
  });
  it('a stale resourceVersion is 409 Conflict; a duplicate create is 409 AlreadyExists', async () => {
    const created = await api.request('POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cas' } });
    assert.equal(created.status, 201);
    const obj = created.json<{ metadata: { resourceVersion: string } }>();
    const ok = await api.request('PUT', `${CM}/cas`, { ...obj, data: { a: '1' } });
    assert.equal(ok.status, 200);
    await expectStatus('PUT', `${CM}/cas`, { ...obj, data: { a: '2' } }, json, 409, 'Conflict', /the object has been modified/);
    await expectStatus(
      'POST',
      CM,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cas' } },
      json,
      409,
      'AlreadyExists',
      /configmaps "cas" already exists/,
    );
  });
  it('unknown paths and objects are 404; a bad selector is 400', async () => {
    await expectStatus('GET', '/apis/nothing.example.com/v1/widgets', undefined, {}, 404, 'NotFound');
    await expectStatus('GET', `${CM}/missing`, undefined, {}, 404, 'NotFound', /configmaps "missing" not found/);
    await expectStatus('GET', `${CM}?labelSelector=${encodeURIComponent('a in (b')}`, undefined, {}, 400, 'BadRequest');
    await expectStatus(
      'GET',
      `${CM}?fieldSelector=spec.nodeName%3Dx`,
      undefined,
      {},
      400,
      'BadRequest',
      /field label not supported: spec.nodeName/,
    );
  });
  it("integer query parameters that do not parse are 400 with Go's strconv text, before anything happens", async () => {
    // upstream's handlers wrap the parameter codec's error: errors.NewBadRequest(err.Error())
    const created = await api.request('POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'numbers' } });
    assert.equal(created.status, 201, created.body);
    const cases: [string, string, string][] = [
      ['GET', `${CM}?limit=abc`, 'strconv.ParseInt: parsing "abc": invalid syntax'],
      ['GET', `${CM}?limit=`, 'strconv.ParseInt: parsing "": invalid syntax'],
      ['GET', `${CM}?limit=99999999999999999999`, 'strconv.ParseInt: parsing "99999999999999999999": value out of range'],
      ['GET', `${CM}?watch=true&timeoutSeconds=1.5`, 'strconv.ParseInt: parsing "1.5": invalid syntax'],
      ['DELETE', `${CM}/numbers?gracePeriodSeconds=soon`, 'strconv.ParseInt: parsing "soon": invalid syntax'],
      ['DELETE', `${CM}?limit=x`, 'strconv.ParseInt: parsing "x": invalid syntax'],
    ];
    for (const [method, path, message] of cases) {
      const status = await expectStatus(method, path, undefined, {}, 400, 'BadRequest');
      assert.equal(status.message, message, `${method} ${path}`);
    }
    assert.equal((await api.request('GET', `${CM}/numbers`)).status, 200, 'the configmap is still there');
  });
  it('anyone but system:masters is forbidden', async () => {
    const anon = new ApiClient(server.kubeconfig, { anonymous: true });
    try {
      const res = await anon.request('GET', CM);
      assert.equal(res.status, 403);
      assert.equal(res.json<Status>().reason, 'Forbidden');
      assert.equal((await anon.request('GET', '/version')).status, 200);
    } finally {
      anon.close();
    }
  });
  it('the server still serves', async () => {
    const res = await api.request('GET', '/readyz');
    assert.equal(res.status, 200);
  });
});
