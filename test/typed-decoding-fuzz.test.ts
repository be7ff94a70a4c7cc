/**
 * Property-based fuzzing of request bodies against one real `k8ts server`, from the type
 * declarations (src/machinery/schema/testing/arbitrary.ts):
 *  - for every built-in kind served with `create`: a generated object with one value of a wrong
 *    JSON type is 400 BadRequest "… cannot be handled as a <Kind>: …" and nothing is stored;
 *    type-valid objects never get a 5xx;
 *  - hostile bodies (random bytes, truncated JSON/YAML/protobuf, deep nesting, huge numbers,
 *    invalid UTF-8) to a few endpoints get a Status, never a 5xx, and the server keeps answering.
 *
 * Every kind with `create` is posted to; none is skipped. Binding and the review kinds are posted
 * too, but their creates are not stored objects (a Binding binds the pod it names, a review is
 * answered), so for them only the answer is checked, not a read-back by name.
 *
 * Deterministic: K8TS_FUZZ_SEED (default 20250611) seeds every property; K8TS_FUZZ_RUNS
 * (default 60) is the number of mutated objects per kind, and the other properties scale with it.
 * On a failure fast-check prints the seed, the path to replay (`{ seed, path }`) and the shrunk
 * counterexample; the assertion names the mutated field. bench/fuzz.ts runs the same longer.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startServer, type TestServer } from './support/server.js';
import { ApiClient } from './support/http.js';
import { fuzzTargets, hostileTargets } from './support/fuzz-targets.js';
import { type FuzzContext, typeValidIsNeverServerError, wrongTypeIsBadRequest } from './support/fuzz-properties.js';
import { randomBytesAreClientErrors, truncatedBodiesAreRefused } from './support/fuzz-hostile.js';
import { checkHugeNumber, hugeNumberCases, invalidUtf8IsHandled, utf8Places } from './support/fuzz-extremes.js';
import { deepNestingIsRefused } from './support/fuzz-nesting.js';

const SEED = Number(process.env['K8TS_FUZZ_SEED'] ?? 20250611);
const RUNS = Number(process.env['K8TS_FUZZ_RUNS'] ?? 60);
const NAMESPACE = 'fuzz';

const targets = fuzzTargets();
const hostile = hostileTargets(targets);

let server: TestServer;
let api: ApiClient;
let names = 0;
const ctx: FuzzContext = {
  get api() {
    return api;
  },
  namespace: NAMESPACE,
  name: () => `fz-${++names}`,
};

function runs(n: number): fc.Parameters<unknown> {
  return { seed: SEED, numRuns: Math.max(1, Math.round(n)), includeErrorInReport: true };
}

before(async () => {
  server = await startServer({ args: ['--disable-controllers'] });
  api = new ApiClient(server.kubeconfig);
  const res = await api.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  assert.equal(res.status, 201, res.body);
  // no controllers: the ServiceAccount admission refuses pods until their account exists
  const sa = await api.request('POST', `/api/v1/namespaces/${NAMESPACE}/serviceaccounts`, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'default' },
  });
  assert.equal(sa.status, 201, sa.body);
});

after(async () => {
  api?.close();
  await server?.stop();
  await server?.cleanup();
});

describe('type-valid objects never get a 5xx', () => {
  for (const target of targets) {
    it(target.label, async () => {
      await fc.assert(typeValidIsNeverServerError(ctx, target), runs(RUNS / 4));
    });
  }
});

describe('hostile bodies get a Status and the server keeps answering', () => {
  it('random bytes as JSON, YAML and protobuf are 4xx', async () => {
    await fc.assert(randomBytesAreClientErrors(ctx, hostile), runs(RUNS * 4));
  });
  it('truncated JSON, YAML and protobuf bodies are refused', async () => {
    await fc.assert(truncatedBodiesAreRefused(ctx, hostile), runs(RUNS * 4));
  });
  it('numbers beyond the declared type are 4xx', async () => {
    for (const c of hugeNumberCases(targets)) await checkHugeNumber(ctx, c);
  });
  it('invalid UTF-8 in strings is no 5xx', async () => {
    await fc.assert(invalidUtf8IsHandled(ctx, utf8Places(targets)), runs(RUNS * 2));
  });
});

describe('a wrong JSON type anywhere is 400 BadRequest and stores nothing', () => {
  for (const target of targets) {
    it(target.label, async () => {
      await fc.assert(wrongTypeIsBadRequest(ctx, target), runs(RUNS));
    });
  }
});

/**
 * On a server of its own, started fresh: a YAML body nested a few thousand levels deep overflows
 * the YAML parser's stack, and on a fresh server the second such body aborted the process
 * (V8 "RegExpCompiler Allocation failed"); one that has served thousands of requests survives.
 */
describe('deep nesting gets a Status and the server keeps answering', () => {
  let fresh: TestServer;
  let freshApi: ApiClient;
  const freshCtx: FuzzContext = {
    get api() {
      return freshApi;
    },
    namespace: NAMESPACE,
    name: () => `fz-${++names}`,
  };
  before(async () => {
    fresh = await startServer({ args: ['--disable-controllers'] });
    freshApi = new ApiClient(fresh.kubeconfig);
    const res = await freshApi.request('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NAMESPACE },
    });
    assert.equal(res.status, 201, res.body);
  });
  after(async () => {
    freshApi?.close();
    await fresh?.stop();
    await fresh?.cleanup();
  });
  it('nesting deeper than 10,000 levels is 4xx', async () => {
    await fc.assert(deepNestingIsRefused(freshCtx, targets), runs(RUNS / 3));
  });
});
