/**
 * The apf phase of `npm run bench`: (a) ConfigMap creates as the admin (system:masters: the
 * bootstrap authorizer and APF's exempt level) against a user bound to `edit` in the namespace
 * (RBAC evaluated, APF global-default seats), in one run on one server, admission on for both;
 * (b) a 10× overload: a server with --max-requests-inflight 10 --max-mutating-requests-inflight 5,
 * the user's FlowSchema on a small queuing level (2 queues of 10, hand 2), and ten times as many
 * concurrent clients as the level can seat and queue, each waiting Retry-After after a 429 as
 * client-go does: how many get 429, how many time out, and the p99 latency of the admitted ones;
 * then the same against the plain max-in-flight filter. The creates alternate between the two
 * identities over three rounds and report the median, so neither gets the warmer server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureKubeconfig, pkiPaths } from '../src/pki/index.js';
import { startServer, type TestServer } from '../test/support/server.js';
import type { PhaseOutcome } from './api-phase.js';
import { HttpsClient } from './https-client.js';
import { targetFromKubeconfig } from './k8ts-suite.js';
import type { LoadResult } from './load.js';
import { configMapsPath, createConfigMaps, ensureNamespace, measure, type Target } from './operations.js';
import { fixed, rate, renderTable } from './report.js';
import { summarize } from './stats.js';

export interface ApfPhaseOptions {
  maxMs: number;
  maxOps: number;
  levels: number[];
  /** How long the overload runs. */
  overloadMs: number;
  log: (line: string) => void;
}

const NAMESPACE = 'bench-apf';
const USER = 'bench-editor';

interface CreateRow {
  who: string;
  n: number;
  result: LoadResult;
}

interface OverloadRow {
  filter: string;
  clients: number;
  ok: number;
  tooMany: number;
  timeouts: number;
  other: number;
  p50: number;
  p99: number;
}

async function apply(target: Target, path: string, body: unknown): Promise<void> {
  const client = new HttpsClient({ baseUrl: target.url, tls: target.tls, maxSockets: 1 });
  try {
    await client.expect([201, 409], 'POST', path, JSON.stringify(body));
  } finally {
    client.close();
  }
}

/** An admin target, and one for USER bound to `edit` in NAMESPACE once RBAC lets it list there. */
async function targets(server: TestServer, dir: string): Promise<{ admin: Target; user: Target }> {
  const admin = await targetFromKubeconfig(server.kubeconfig);
  const setup = new HttpsClient({ baseUrl: admin.url, tls: admin.tls, maxSockets: 1 });
  try {
    await ensureNamespace(setup, NAMESPACE);
  } finally {
    setup.close();
  }
  await apply(admin, `/apis/rbac.authorization.k8s.io/v1/namespaces/${NAMESPACE}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'bench-editor' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
    subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: USER }],
  });
  const kubeconfig = await ensureKubeconfig(dir, admin.url, pkiPaths(server.dataDir), { file: 'editor.conf', user: USER, groups: [] });
  const user = await targetFromKubeconfig(kubeconfig);
  const probe = new HttpsClient({ baseUrl: user.url, tls: user.tls, maxSockets: 1 });
  try {
    // the binding, and edit's aggregated rules, reach the authorizer's caches
    for (let i = 0; i < 300; i++) {
      if ((await probe.request('POST', configMapsPath(NAMESPACE), JSON.stringify({ metadata: { generateName: 'probe-' } }))).status === 201)
        break;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    probe.close();
  }
  return { admin, user };
}

async function createThroughput(server: TestServer, dir: string, options: ApfPhaseOptions): Promise<CreateRow[]> {
  const { admin, user } = await targets(server, dir);
  const rows: CreateRow[] = [];
  const bounds = { maxMs: options.maxMs, maxOps: options.maxOps };
  const warmup = { maxMs: 1000, maxOps: 300 };
  const identities = [
    ['system:masters', admin],
    ['edit-bound user', user],
  ] as const;
  for (const n of options.levels) {
    const results = new Map<string, LoadResult[]>();
    for (let round = 0; round < 3; round++) {
      for (const [who, target] of round % 2 === 0 ? identities : [...identities].reverse()) {
        const prefix = `${who === 'system:masters' ? 'a' : 'u'}${n}r${round}`;
        const result = await measure(target, createConfigMaps(NAMESPACE, prefix), {
          concurrency: n,
          bounds,
          warmup,
          warmupOperation: createConfigMaps(NAMESPACE, `w${prefix}`),
        });
        results.set(who, [...(results.get(who) ?? []), result]);
      }
    }
    for (const [who] of identities) {
      const sorted = [...(results.get(who) ?? [])].sort((a, b) => a.throughput - b.throughput);
      const result = sorted[1] as LoadResult;
      rows.push({ who, n, result });
      options.log(`apf: ${who} N=${n} create ${rate(result.throughput)} ops/s (median of 3), p99 ${fixed(result.latency.p99, 2)} ms`);
    }
  }
  return rows;
}

/** `clients` closed-loop GETs for `ms`: counts of 200, 429 and time-outs, latencies of the 200s. */
async function overload(target: Target, filter: string, clients: number, ms: number): Promise<OverloadRow> {
  const client = new HttpsClient({ baseUrl: target.url, tls: target.tls, maxSockets: clients, timeoutMs: 10_000 });
  const latencies: number[] = [];
  const row: OverloadRow = { filter, clients, ok: 0, tooMany: 0, timeouts: 0, other: 0, p50: 0, p99: 0 };
  // every client's connection (TLS handshake) first, unmeasured
  await Promise.all(Array.from({ length: clients }, () => client.request('GET', configMapsPath(NAMESPACE)).catch(() => undefined)));
  const deadline = performance.now() + ms;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const reply = await client.request('GET', configMapsPath(NAMESPACE));
        if (reply.status === 200) {
          row.ok++;
          latencies.push(performance.now() - t0);
        } else if (reply.status === 429) {
          row.tooMany++;
          // as client-go: wait what Retry-After says before trying again
          await new Promise((r) => setTimeout(r, (reply.retryAfter ?? 1) * 1000));
        } else row.other++;
      } catch (err) {
        if (/no reply/.test((err as Error).message)) row.timeouts++;
        else row.other++;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: clients }, worker));
  } finally {
    client.close();
  }
  const summary = summarize(Float64Array.from(latencies));
  return { ...row, p50: summary.p50, p99: summary.p99 };
}

async function overloadRun(dir: string, apf: boolean, options: ApfPhaseOptions): Promise<OverloadRow> {
  const flags = ['--max-requests-inflight', '10', '--max-mutating-requests-inflight', '5', '--enable-priority-and-fairness', String(apf)];
  const server = await startServer({ args: ['--disable-agent', ...flags] });
  try {
    const { admin, user } = await targets(server, join(dir, apf ? 'apf' : 'max-inflight'));
    // capacity: APF's small level seats ceil(15 × 5 / 250) = 1 and queues 2 × 10; max-in-flight seats 10 readers
    let capacity = 10;
    if (apf) {
      await apply(admin, '/apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfigurations', {
        apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
        kind: 'PriorityLevelConfiguration',
        metadata: { name: 'bench-small' },
        spec: {
          type: 'Limited',
          limited: {
            nominalConcurrencyShares: 5,
            limitResponse: { type: 'Queue', queuing: { queues: 2, handSize: 2, queueLengthLimit: 10 } },
          },
        },
      });
      await apply(admin, '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas', {
        apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
        kind: 'FlowSchema',
        metadata: { name: 'bench-small' },
        spec: {
          priorityLevelConfiguration: { name: 'bench-small' },
          matchingPrecedence: 500,
          distinguisherMethod: { type: 'ByUser' },
          rules: [
            {
              subjects: [{ kind: 'User', user: { name: USER } }],
              resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] }],
            },
          ],
        },
      });
      capacity = 1 + 2 * 10;
      await new Promise((r) => setTimeout(r, 500));
    }
    const row = await overload(user, apf ? 'APF (small level)' : 'max-in-flight', capacity * 10, options.overloadMs);
    options.log(
      `apf: ${row.filter} ${row.clients} clients: ${row.ok} ok, ${row.tooMany} 429, ${row.timeouts} time-outs, p99 ${fixed(row.p99, 1)} ms`,
    );
    return row;
  } finally {
    await server.stop();
    await server.cleanup();
  }
}

export async function runApfPhase(options: ApfPhaseOptions): Promise<PhaseOutcome> {
  console.log(`\n== apf: creates as system:masters vs an edit-bound user, then a 10× overload (${options.overloadMs / 1000} s each)`);
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-bench-apf-'));
  const creates: CreateRow[] = [];
  const overloads: OverloadRow[] = [];
  let failed = false;
  try {
    const server = await startServer({ args: ['--disable-agent'] });
    try {
      creates.push(...(await createThroughput(server, join(dir, 'creates'), options)));
    } finally {
      await server.stop();
      await server.cleanup();
    }
    overloads.push(await overloadRun(dir, true, options), await overloadRun(dir, false, options));
  } catch (err) {
    failed = true;
    options.log(`apf benchmark failed: ${(err as Error).message}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return {
    failed,
    print() {
      const masters = new Map(creates.filter((r) => r.who === 'system:masters').map((r) => [r.n, r.result.throughput]));
      console.log(
        renderTable(
          [
            { title: 'identity' },
            { title: 'clients', right: true },
            { title: 'creates/s', right: true },
            { title: 'p99 ms', right: true },
            { title: 'vs masters', right: true },
          ],
          creates.map((r) => [
            r.who,
            String(r.n),
            rate(r.result.throughput),
            fixed(r.result.latency.p99, 2),
            `${fixed((100 * r.result.throughput) / (masters.get(r.n) ?? Number.NaN), 0)}%`,
          ]),
        ),
      );
      console.log('target: the edit-bound user within 10 % of system:masters');
      console.log(
        renderTable(
          [
            { title: 'filter' },
            { title: 'clients', right: true },
            { title: '200', right: true },
            { title: '429', right: true },
            { title: 'time-outs', right: true },
            { title: 'other', right: true },
            { title: 'p50 ms (200)', right: true },
            { title: 'p99 ms (200)', right: true },
          ],
          overloads.map((r) => [
            r.filter,
            String(r.clients),
            String(r.ok),
            String(r.tooMany),
            String(r.timeouts),
            String(r.other),
            fixed(r.p50, 1),
            fixed(r.p99, 1),
          ]),
        ),
      );
      console.log('target: overload answered with 429s, no time-outs');
    },
  };
}
