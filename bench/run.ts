/**
 * `npm run bench`: benchmarks of the k8ts API server against a bare Node HTTPS baseline, all on
 * 127.0.0.1. Prints numbers and the targets beside them; never asserts timings.
 *
 *   npm run bench -- [--seconds 5] [--max-ops 20000] [--startups 5] [--fill 10000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, release, tmpdir, type } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO, startServer, type TestServer } from '../test/support/server.js';
import { baselinePki, startBaseline, type BaselineServer } from './baseline.js';
import { CREATE_NAMESPACE, GET_NAME, runK8tsSuite, targetFromKubeconfig, type K8tsResults, type SuiteSettings } from './k8ts-suite.js';
import type { LoadResult } from './load.js';
import { configMapsPath, createConfigMaps, getPath, measure, type Target } from './operations.js';
import { ensureBuilt } from './processes.js';
import { measureStartups, type StartupSample } from './readiness.js';
import { fixed, rate, renderBaseline, renderOperations, renderWatch, versusTarget, type OperationRow } from './report.js';
import { median } from './stats.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    'max-ops': { type: 'string', default: '20000' },
    startups: { type: 'string', default: '5' },
    fill: { type: 'string', default: '10000' },
  },
});
const seconds = Math.min(60, Math.max(1, Number(values.seconds)));
const maxOps = Math.min(100_000, Math.max(100, Number(values['max-ops'])));
const startupRuns = Math.min(20, Math.max(1, Number(values.startups)));
const settings: SuiteSettings = {
  levels: [1, 8, 32],
  bounds: { maxMs: seconds * 1000, maxOps },
  warmup: { maxMs: 1000, maxOps: 300 },
  fillObjects: Math.min(100_000, Math.max(0, Number(values.fill))),
  listObjects: 500,
  watchCreators: 8,
  watchBounds: { maxMs: seconds * 1000, maxOps: 5000 },
};
const ENTRY = join(REPO, 'bin', 'k8ts.js');
const log = (line: string): void => console.log(`  · ${line}`);
const MB = 1.048576; // MiB → MB

async function baselineSuite(target: Target): Promise<{ create: LoadResult[]; get: LoadResult[] }> {
  const create: LoadResult[] = [];
  const get: LoadResult[] = [];
  for (const n of settings.levels) {
    const opts = { concurrency: n, bounds: settings.bounds, warmup: settings.warmup };
    create.push(await measure(target, createConfigMaps(CREATE_NAMESPACE, `c${n}`), opts));
    get.push(await measure(target, getPath('get', `${configMapsPath(CREATE_NAMESPACE)}/${GET_NAME}`), opts));
    log(`baseline N=${n}: POST ${Math.round(create.at(-1)?.throughput ?? 0)} ops/s, GET ${Math.round(get.at(-1)?.throughput ?? 0)} ops/s`);
  }
  return { create, get };
}

async function main(): Promise<number> {
  const cores = availableParallelism();
  console.log('k8ts API server benchmark');
  console.log(`machine: ${cores} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${type()} ${release()}, Node ${process.version}`);
  console.log(
    `phases: each ≤ ${seconds} s or ≤ ${maxOps} ops after a warm-up of ≤ 1 s / 300 ops; client, server and baseline share this machine`,
  );
  const built = ensureBuilt(REPO);
  if (built) console.log(`build: ${built}`);
  let failed = false;

  console.log(`\nstartup: ${startupRuns} fresh starts on fresh data dirs`);
  let startups: StartupSample[] = [];
  try {
    startups = await measureStartups(ENTRY, startupRuns);
    for (const s of startups) log(`/readyz OK after ${s.readyzMs.toFixed(0)} ms, ready line after ${s.readyLineMs.toFixed(0)} ms`);
  } catch (err) {
    failed = true;
    log(`startup measurement failed: ${(err as Error).message}`);
  }

  console.log('\nk8ts server');
  let server: TestServer | undefined;
  let k8ts: K8tsResults | undefined;
  try {
    server = await startServer({ args: ['--bind-address', '127.0.0.1'] });
    const pid = server.process.pid as number;
    log(`started pid ${pid}: ${server.url}`);
    k8ts = await runK8tsSuite(pid, await targetFromKubeconfig(server.kubeconfig), settings, log);
  } catch (err) {
    failed = true;
    log(`k8ts server benchmark failed: ${(err as Error).message}`);
  } finally {
    if (server) {
      const stopped = await Promise.race([server.stop().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
      if (!stopped) await server.kill();
    }
  }

  console.log('\nbaseline: bare node:https echo server, same key and certificate, separate process');
  let baseline: { create: LoadResult[]; get: LoadResult[] } | undefined;
  let baselineServer: BaselineServer | undefined;
  const pkiDir = server?.dataDir ?? (await mkdtemp(join(tmpdir(), 'k8ts-bench-pki-')));
  try {
    const pki = await baselinePki(pkiDir);
    baselineServer = await startBaseline(REPO, pki.tls);
    log(`started pid ${baselineServer.process.pid}: ${baselineServer.url}`);
    baseline = await baselineSuite({ url: baselineServer.url, tls: pki.client });
  } catch (err) {
    failed = true;
    log(`baseline failed: ${(err as Error).message}`);
  } finally {
    await baselineServer?.stop();
    await rm(pkiDir, { recursive: true, force: true });
  }

  printSummary(cores, startups, k8ts, baseline);
  return failed ? 1 : 0;
}

function printSummary(
  cores: number,
  startups: StartupSample[],
  k8ts: K8tsResults | undefined,
  baseline: { create: LoadResult[]; get: LoadResult[] } | undefined,
): void {
  console.log(`\n=== results (${cores} cores, Node ${process.version}) ===\n`);
  const readyz = startups.map((s) => s.readyzMs);
  const lines = startups.map((s) => s.readyLineMs);
  const best = readyz.length ? Math.min(...readyz) : Number.NaN;
  console.log(
    versusTarget(
      `start → /readyz OK: best ${fixed(best, 0)} ms, median ${fixed(median(readyz), 0)} ms of ${readyz.length}; ready line: best ${fixed(Math.min(...lines), 0)} ms, median ${fixed(median(lines), 0)} ms`,
      readyz.length ? median(readyz) <= 500 : undefined,
      '≤ 500 ms',
    ),
  );
  if (!k8ts) {
    console.log('k8ts server: no results');
  } else {
    const idle = k8ts.idle.rssMiB;
    console.log(
      versusTarget(
        `RSS idle after ready: ${fixed(idle)} MiB (${fixed(idle * MB)} MB)`,
        Number.isFinite(idle) ? idle * MB <= 120 : undefined,
        '≤ 120 MB',
      ),
    );
    console.log(
      `RSS after ${k8ts.fill.ops} ConfigMaps: ${fixed(k8ts.afterFill.rssMiB)} MiB (${fixed(k8ts.afterFill.rssMiB * MB)} MB); fill rate ${rate(k8ts.fill.throughput)} creates/s at 32 clients`,
    );
    console.log(`RSS at end (all phases): ${fixed(k8ts.end.rssMiB)} MiB; peak (VmHWM) ${fixed(k8ts.end.peakMiB)} MiB\n`);
    const rows: OperationRow[] = k8ts.operations.map((m) => {
      const i = settings.levels.indexOf(m.result.concurrency);
      const base = m.operation === 'create' ? baseline?.create[i] : m.operation === 'get' ? baseline?.get[i] : undefined;
      const target =
        m.operation === 'create' && m.result.concurrency === 32
          ? `≥ 5,000/s on 2 cores: ${m.result.throughput >= 5000 ? 'met' : 'missed'}`
          : undefined;
      return {
        operation: m.operation,
        concurrency: m.result.concurrency,
        result: m.result,
        ...(base ? { baseline: base } : {}),
        ...(target ? { target } : {}),
      };
    });
    console.log(renderOperations(rows));
    console.log(
      `\nwatch: W watchers on one namespace while ${settings.watchCreators} clients create (≤ ${settings.watchBounds.maxOps} creates); latency = create sent → event received`,
    );
    console.log(renderWatch(k8ts.watches));
    const errors = k8ts.operations.filter((m) => m.result.errors > 0);
    for (const m of errors)
      console.log(`errors in ${m.operation} N=${m.result.concurrency}: ${m.result.errors} (first: ${m.result.firstError ?? ''})`);
  }
  if (baseline) {
    console.log('');
    console.log(
      renderBaseline([
        ...baseline.create.map((result) => ({ operation: 'POST (create-shaped)', result })),
        ...baseline.get.map((result) => ({ operation: 'GET', result })),
      ]),
    );
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
