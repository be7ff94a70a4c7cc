/**
 * `npm run bench:fuzz`: the properties of test/typed-decoding-fuzz.test.ts, run longer against
 * one real server (and a fresh one for deep nesting). Prints cases per second for each property
 * and every counterexample (fast-check's report: seed, replay path, shrunk value, error).
 *
 *   npm run bench:fuzz -- [--cases 50000] [--seed 20250611] [--only valid,mutation,hostile,nesting]
 *
 * The cases are shared out: mutation 60 %, type-valid 20 %, random bytes, truncated bodies and
 * invalid UTF-8 20 % together; deep nesting gets 1 % (each body is up to 600 KB).
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { startServer, REPO, type TestServer } from '../test/support/server.js';
import { ApiClient } from '../test/support/http.js';
import { fuzzTargets, hostileTargets } from '../test/support/fuzz-targets.js';
import { type FuzzContext, typeValidIsNeverServerError, wrongTypeIsBadRequest } from '../test/support/fuzz-properties.js';
import { randomBytesAreClientErrors, truncatedBodiesAreRefused } from '../test/support/fuzz-hostile.js';
import { invalidUtf8IsHandled, utf8Places } from '../test/support/fuzz-extremes.js';
import { deepNestingIsRefused } from '../test/support/fuzz-nesting.js';
import { ensureBuilt } from './processes.js';

const GROUPS = ['valid', 'mutation', 'hostile', 'nesting'] as const;
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '50000' },
    seed: { type: 'string', default: process.env['K8TS_FUZZ_SEED'] ?? '20250611' },
    only: { type: 'string', default: GROUPS.join(',') },
  },
});
const cases = Math.max(100, Math.floor(Number(values.cases) || 50_000));
const seed = Math.floor(Number(values.seed));
const only = new Set((values.only as string).split(',').map((s) => s.trim()));
for (const g of only) if (!GROUPS.includes(g as (typeof GROUPS)[number])) throw new Error(`--only: unknown group "${g}"`);

interface Outcome {
  name: string;
  runs: number;
  shrinks: number;
  ms: number;
  failure?: string;
}

async function check(name: string, property: fc.IAsyncProperty<unknown>, numRuns: number): Promise<Outcome> {
  const started = performance.now();
  const details = await fc.check(property, { seed, numRuns: Math.max(1, Math.round(numRuns)), includeErrorInReport: true });
  const outcome: Outcome = { name, runs: details.numRuns, shrinks: details.numShrinks, ms: performance.now() - started };
  if (details.failed) {
    // the report without the stack frames of the assertion and of fast-check
    const report = fc.defaultReportMessage(details) ?? 'failed';
    outcome.failure = report
      .split('\n')
      .filter((line) => !/^\s+at /.test(line) && !line.startsWith('Hint:'))
      .join('\n')
      .trim();
  }
  return outcome;
}

function print(group: string, outcomes: readonly Outcome[]): void {
  const runs = outcomes.reduce((n, o) => n + o.runs, 0);
  const ms = outcomes.reduce((n, o) => n + o.ms, 0);
  const failed = outcomes.filter((o) => o.failure);
  console.log(
    `${group}: ${runs} cases in ${(ms / 1000).toFixed(1)} s = ${((runs * 1000) / ms).toFixed(0)} cases/s; ${failed.length} failing`,
  );
  if (outcomes.length > 1 && outcomes.length <= 8) {
    for (const o of outcomes) console.log(`  ${o.name}: ${o.runs} cases, ${((o.runs * 1000) / o.ms).toFixed(0)} cases/s`);
  }
  for (const o of failed)
    console.log(`  ✗ ${o.name} (after ${o.runs} cases, ${o.shrinks} shrinks):\n    ${o.failure?.split('\n').join('\n    ')}`);
}

async function serve(): Promise<{ server: TestServer; ctx: FuzzContext; api: ApiClient }> {
  const server = await startServer({ args: ['--disable-controllers'] });
  const api = new ApiClient(server.kubeconfig);
  const res = await api.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fuzz' } });
  if (res.status !== 201) throw new Error(`creating namespace fuzz: ${res.status} ${res.body}`);
  let names = 0;
  return { server, api, ctx: { api, namespace: 'fuzz', name: () => `fz-${++names}` } };
}

async function main(): Promise<number> {
  console.log(`k8ts fuzz: ${cases} cases, seed ${seed}, groups ${[...only].join(', ')}`);
  const built = ensureBuilt(REPO);
  if (built) console.log(`build: ${built}`);
  const targets = fuzzTargets();
  const hostile = hostileTargets(targets);
  let failed = false;
  const { server, api, ctx } = await serve();
  try {
    if (only.has('valid')) {
      const outcomes: Outcome[] = [];
      for (const t of targets) outcomes.push(await check(t.label, typeValidIsNeverServerError(ctx, t), (cases * 0.2) / targets.length));
      print('type-valid objects never get a 5xx', outcomes);
      failed ||= outcomes.some((o) => o.failure);
    }
    if (only.has('mutation')) {
      const outcomes: Outcome[] = [];
      for (const t of targets) outcomes.push(await check(t.label, wrongTypeIsBadRequest(ctx, t), (cases * 0.6) / targets.length));
      print('a wrong JSON type is 400 BadRequest, nothing stored', outcomes);
      failed ||= outcomes.some((o) => o.failure);
    }
    if (only.has('hostile')) {
      const outcomes = [
        await check('random bytes', randomBytesAreClientErrors(ctx, hostile), cases * 0.08),
        await check('truncated bodies', truncatedBodiesAreRefused(ctx, hostile), cases * 0.08),
        await check('invalid UTF-8', invalidUtf8IsHandled(ctx, utf8Places(targets)), cases * 0.04),
      ];
      print('hostile bodies get a Status', outcomes);
      failed ||= outcomes.some((o) => o.failure);
    }
  } finally {
    api.close();
    await server.stop();
    await server.cleanup();
  }
  if (only.has('nesting')) {
    const fresh = await serve();
    try {
      const outcome = await check('deep nesting', deepNestingIsRefused(fresh.ctx, targets), Math.min(500, cases * 0.01));
      print('nesting beyond 10,000 levels is 4xx (fresh server)', [outcome]);
      failed ||= outcome.failure !== undefined;
    } finally {
      fresh.api.close();
      await fresh.server.stop();
      await fresh.server.cleanup();
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
