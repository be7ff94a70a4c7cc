/**
 * The API server phases of `npm run bench`: startup time, then create / get / list / watch and
 * memory against one `k8ts server`, then the same create- and get-shaped requests against a bare
 * Node HTTPS baseline. Returns a printer for the summary.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, startServer, type TestServer } from '../test/support/server.js';
import { baselinePki, startBaseline, type BaselineServer } from './baseline.js';
import { CREATE_NAMESPACE, GET_NAME, runK8tsSuite, targetFromKubeconfig, type K8tsResults, type SuiteSettings } from './k8ts-suite.js';
import type { LoadResult } from './load.js';
import { configMapsPath, createConfigMaps, getPath, measure, type Target } from './operations.js';
import { measureStartups, type StartupSample } from './readiness.js';
import { fixed, rate, renderBaseline, renderOperations, renderWatch, versusTarget, type OperationRow } from './report.js';
import { median } from './stats.js';

export interface ApiPhaseOptions {
  entry: string;
  settings: SuiteSettings;
  startupRuns: number;
  log: (line: string) => void;
}

export interface PhaseOutcome {
  failed: boolean;
  /** Prints the results section. */
  print(): void;
}

interface BaselineResults {
  create: LoadResult[];
  get: LoadResult[];
}

const MB = 1.048576; // MiB → MB

async function baselineSuite(target: Target, settings: SuiteSettings, log: (line: string) => void): Promise<BaselineResults> {
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

export async function runApiPhases(options: ApiPhaseOptions): Promise<PhaseOutcome> {
  const { settings, log } = options;
  let failed = false;
  console.log(`\nstartup: ${options.startupRuns} fresh starts on fresh data dirs`);
  let startups: StartupSample[] = [];
  try {
    startups = await measureStartups(options.entry, options.startupRuns);
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
  let baseline: BaselineResults | undefined;
  let baselineServer: BaselineServer | undefined;
  const pkiDir = server?.dataDir ?? (await mkdtemp(join(tmpdir(), 'k8ts-bench-pki-')));
  try {
    const pki = await baselinePki(pkiDir);
    baselineServer = await startBaseline(REPO, pki.tls);
    log(`started pid ${baselineServer.process.pid}: ${baselineServer.url}`);
    baseline = await baselineSuite({ url: baselineServer.url, tls: pki.client }, settings, log);
  } catch (err) {
    failed = true;
    log(`baseline failed: ${(err as Error).message}`);
  } finally {
    await baselineServer?.stop();
    await rm(pkiDir, { recursive: true, force: true });
  }
  return { failed, print: () => printApiSummary(settings, startups, k8ts, baseline) };
}

function printApiSummary(
  settings: SuiteSettings,
  startups: StartupSample[],
  k8ts: K8tsResults | undefined,
  baseline: BaselineResults | undefined,
): void {
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
