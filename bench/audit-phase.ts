/**
 * The audit phase of `npm run bench`: create and get ConfigMaps against `k8ts server` without an
 * audit log, then with every request audited at Metadata, then at RequestResponse (the costliest
 * level: both bodies kept and written) to a file, at 1 and 32 clients. Shows what auditing costs the request path.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from '../test/support/server.js';
import type { PhaseOutcome } from './api-phase.js';
import { HttpsClient } from './https-client.js';
import { targetFromKubeconfig } from './k8ts-suite.js';
import type { LoadResult } from './load.js';
import { configMapBody, configMapsPath, createConfigMaps, ensureNamespace, getPath, measure } from './operations.js';
import { fixed, rate, renderTable } from './report.js';

export interface AuditPhaseOptions {
  maxMs: number;
  maxOps: number;
  levels: number[];
  log: (line: string) => void;
}

const policy = (level: string): string => `apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: ${level}\n`;
const NAMESPACE = 'bench-audit';

interface Row {
  audit: string;
  operation: string;
  result: LoadResult;
}

async function runAgainst(server: TestServer, audit: string, options: AuditPhaseOptions): Promise<Row[]> {
  const target = await targetFromKubeconfig(server.kubeconfig);
  const setup = new HttpsClient({ baseUrl: target.url, tls: target.tls, maxSockets: 1 });
  try {
    await ensureNamespace(setup, NAMESPACE);
    await setup.expect([201, 409], 'POST', configMapsPath(NAMESPACE), configMapBody(NAMESPACE, 'get-me'));
  } finally {
    setup.close();
  }
  const rows: Row[] = [];
  const bounds = { maxMs: options.maxMs, maxOps: options.maxOps };
  const warmup = { maxMs: 1000, maxOps: 300 };
  for (const n of options.levels) {
    const create = await measure(target, createConfigMaps(NAMESPACE, `c${n}`), {
      concurrency: n,
      bounds,
      warmup,
      warmupOperation: createConfigMaps(NAMESPACE, `w${n}`),
    });
    const get = await measure(target, getPath('get', `${configMapsPath(NAMESPACE)}/get-me`), { concurrency: n, bounds, warmup });
    rows.push({ audit, operation: `create N=${n}`, result: create }, { audit, operation: `get N=${n}`, result: get });
    options.log(`${audit}: N=${n} create ${rate(create.throughput)} ops/s, get ${rate(get.throughput)} ops/s`);
  }
  return rows;
}

export async function runAuditPhase(options: AuditPhaseOptions): Promise<PhaseOutcome> {
  console.log(`\n== audit: create/get ConfigMaps without and with a RequestResponse audit log, each ≤ ${options.maxMs / 1000} s`);
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-bench-audit-'));
  const rows: Row[] = [];
  let failed = false;
  let logBytes = 0;
  try {
    const runs: { audit: string; args: string[] }[] = [{ audit: 'off', args: [] }];
    for (const level of ['Metadata', 'RequestResponse']) {
      await writeFile(join(dir, `${level}.yaml`), policy(level));
      runs.push({ audit: level, args: ['--audit-policy-file', join(dir, `${level}.yaml`), '--audit-log-path', join(dir, `${level}.log`)] });
    }
    for (const run of runs) {
      const server = await startServer({ args: ['--disable-agent', '--disable-controllers', ...run.args] });
      try {
        rows.push(...(await runAgainst(server, run.audit, options)));
      } finally {
        await server.stop();
        await server.cleanup();
      }
    }
    logBytes = (await stat(join(dir, 'RequestResponse.log'))).size;
  } catch (err) {
    failed = true;
    options.log(`audit benchmark failed: ${(err as Error).message}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return {
    failed,
    print() {
      const off = new Map(rows.filter((r) => r.audit === 'off').map((r) => [r.operation, r.result.throughput]));
      console.log(
        renderTable(
          [
            { title: 'audit' },
            { title: 'operation' },
            { title: 'ops/s', right: true },
            { title: 'p50 ms', right: true },
            { title: 'p99 ms', right: true },
            { title: 'vs off', right: true },
          ],
          rows.map((r) => [
            r.audit,
            r.operation,
            rate(r.result.throughput),
            fixed(r.result.latency.p50, 2),
            fixed(r.result.latency.p99, 2),
            `${fixed((100 * r.result.throughput) / (off.get(r.operation) ?? Number.NaN), 0)}%`,
          ]),
        ),
      );
      console.log(`RequestResponse audit log written: ${fixed(logBytes / 1024 / 1024, 1)} MiB`);
    },
  };
}
