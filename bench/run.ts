/**
 * `npm run bench`: benchmarks of k8ts, all on 127.0.0.1. Prints numbers and the targets beside
 * them; never asserts timings. Phases (all by default, or pick with --only):
 *   api        startup, the API server against a bare Node HTTPS baseline
 *   scheduler  scheduleBatch in memory, then pods through the API onto simulated nodes, and
 *              onto Node objects without kubelets (scheduler_perf's setup)
 *   density    Deployments onto 1,000 simulated nodes until every pod is Running
 *   pods       pod startup on a real node (containerd; root) against CRI directly (pod-startup.ts)
 *   ingress    requests/s through the ingress proxy against a bare Node HTTP proxy (ingress-phase.ts)
 *   proxy      iptables and nftables proxier sync time, full and one endpoint changed (root; proxy-sync.ts)
 *   dns        cluster DNS queries per second against a bare dns-packet server (dns-phase.ts)
 *   statefulset  a StatefulSet of N replicas until Ready, OrderedReady and Parallel (statefulset-phase.ts)
 *   job        Job pods completed per second on simulated nodes (job-phase.ts)
 *   disruption a PDB's status after a Deployment's creation, then every pod evicted through it (disruption-phase.ts)
 *   storage    local-path claims provisioned and bound with their pods on simulated nodes, then reclaimed (storage-phase.ts)
 *   cronjob    how late CronJobs' Jobs start, and schedule.next() in memory (cronjob-phase.ts)
 *   daemonset  a DaemonSet covering 1,000 simulated nodes, then its rolling update (daemonset-phase.ts)
 *   hpa        HPA reaction time, simulated usage change → replicas changed (autoscaling-phase.ts)
 *   encryption Secrets written and read through SQLite with each encryption provider (encryption-phase.ts)
 *   rbac       RBAC authorizer decisions in memory over N namespaces of RoleBindings (rbac-phase.ts)
 *   audit      create/get ops/s without an audit log, at Metadata and at RequestResponse (audit-phase.ts)
 *   quota      pod creates/s through the registry with and without a ResourceQuota (quota-phase.ts)
 *   apf        creates as system:masters vs an edit-bound user; 429s vs time-outs under a 10× overload (apf-phase.ts)
 *
 *   npm run bench -- [--only api,scheduler,density] [--seconds 5] [--max-ops 20000] [--startups 5]
 *                    [--fill 10000] [--sched-nodes 500,5000] [--sched-pods 10000]
 *                    [--density-nodes 1000] [--deployments 100] [--replicas 300]
 *                    [--density-seconds 300] [--cpu-prof] [--startup-pods 30]
 *                    [--proxy-services 1000] [--proxy-endpoints 10] [--proxy-rounds 20]
 *                    [--proxy-full-rounds 3]
 *                    [--dns-services 1000] [--dns-rounds 3]
 *                    [--sts-replicas 100] [--sts-nodes 10]
 *                    [--job-nodes 20] [--job-completions 1000] [--job-parallelism 100]
 *                    [--disruption-nodes 20] [--disruption-pods 200]
 *                    [--storage-nodes 50] [--storage-claims 200]
 *                    [--cronjobs 200] [--cronjob-rounds 2]
 *                    [--ds-nodes 1000] [--ds-seconds 300]
 *                    [--dns-services 1000] [--dns-rounds 3] [--hpa-period 2] [--hpa-rounds 4]
 *                    [--rbac-namespaces 1000] [--rbac-ops 20000] [--apf-overload-seconds 10]
 */
import { availableParallelism, cpus, release, type } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO } from '../test/support/server.js';
import { type PhaseOutcome, runApiPhases } from './api-phase.js';
import { runDensityPhase, runSchedulerPhases } from './cluster-phases.js';
import type { SuiteSettings } from './k8ts-suite.js';
import { runIngressPhase } from './ingress-phase.js';
import { runPodStartupPhase } from './pod-startup.js';
import { runDnsPhase } from './dns-phase.js';
import { runProxySyncPhase } from './proxy-sync.js';
import { runStatefulSetPhase } from './statefulset-phase.js';
import { runJobPhase } from './job-phase.js';
import { runDisruptionPhase } from './disruption-phase.js';
import { runDaemonSetPhase } from './daemonset-phase.js';
import { runAutoscalingPhase } from './autoscaling-phase.js';
import { ensureBuilt } from './processes.js';
import { runStoragePhase } from './storage-phase.js';
import { runCronJobPhase } from './cronjob-phase.js';
import { runEncryptionPhase } from './encryption-phase.js';
import { runRbacPhase } from './rbac-phase.js';
import { runAuditPhase } from './audit-phase.js';
import { runQuotaPhase } from './quota-phase.js';
import { runApfPhase } from './apf-phase.js';

const PHASES = [
  'api',
  'scheduler',
  'density',
  'pods',
  'ingress',
  'proxy',
  'dns',
  'statefulset',
  'job',
  'disruption',
  'storage',
  'cronjob',
  'daemonset',
  'hpa',
  'encryption',
  'rbac',
  'audit',
  'quota',
  'apf',
] as const;
type Phase = (typeof PHASES)[number];

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: PHASES.join(',') },
    seconds: { type: 'string', default: '5' },
    'max-ops': { type: 'string', default: '20000' },
    startups: { type: 'string', default: '5' },
    fill: { type: 'string', default: '10000' },
    'sched-nodes': { type: 'string', default: '500,5000' },
    'sched-pods': { type: 'string', default: '10000' },
    'density-nodes': { type: 'string', default: '1000' },
    deployments: { type: 'string', default: '100' },
    replicas: { type: 'string', default: '300' },
    'density-seconds': { type: 'string', default: '300' },
    'cpu-prof': { type: 'boolean', default: false },
    'startup-pods': { type: 'string', default: '30' },
    'proxy-services': { type: 'string', default: '1000' },
    'proxy-endpoints': { type: 'string', default: '10' },
    'proxy-rounds': { type: 'string', default: '20' },
    'proxy-full-rounds': { type: 'string', default: '3' },
    'dns-services': { type: 'string', default: '1000' },
    'dns-rounds': { type: 'string', default: '3' },
    'sts-replicas': { type: 'string', default: '100' },
    'sts-nodes': { type: 'string', default: '10' },
    'job-nodes': { type: 'string', default: '20' },
    'job-completions': { type: 'string', default: '1000' },
    'job-parallelism': { type: 'string', default: '100' },
    'disruption-nodes': { type: 'string', default: '20' },
    'disruption-pods': { type: 'string', default: '200' },
    'storage-nodes': { type: 'string', default: '50' },
    'storage-claims': { type: 'string', default: '200' },
    cronjobs: { type: 'string', default: '200' },
    'cronjob-rounds': { type: 'string', default: '2' },
    'ds-nodes': { type: 'string', default: '1000' },
    'ds-seconds': { type: 'string', default: '300' },
    'hpa-period': { type: 'string', default: '2' },
    'hpa-rounds': { type: 'string', default: '4' },
    'rbac-namespaces': { type: 'string', default: '1000' },
    'rbac-ops': { type: 'string', default: '20000' },
    'apf-overload-seconds': { type: 'string', default: '10' },
  },
});

/** A number flag clamped to [min, max]; the default when it is not a number. */
function bounded(text: string | undefined, fallback: number, min: number, max: number): number {
  const n = Number(text);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.floor(n))) : fallback;
}

const only = new Set((values.only as string).split(',').map((s) => s.trim()));
for (const p of only) if (!PHASES.includes(p as Phase)) throw new Error(`--only: unknown phase "${p}" (want ${PHASES.join(', ')})`);
const seconds = bounded(values.seconds, 5, 1, 60);
const settings: SuiteSettings = {
  levels: [1, 8, 32],
  bounds: { maxMs: seconds * 1000, maxOps: bounded(values['max-ops'], 20_000, 100, 100_000) },
  warmup: { maxMs: 1000, maxOps: 300 },
  fillObjects: bounded(values.fill, 10_000, 0, 100_000),
  listObjects: 500,
  watchCreators: 8,
  watchBounds: { maxMs: seconds * 1000, maxOps: 5000 },
};
const ENTRY = join(REPO, 'bin', 'k8ts.js');
const log = (line: string): void => console.log(`  · ${new Date().toISOString().slice(11, 19)} ${line}`);

async function main(): Promise<number> {
  const cores = availableParallelism();
  console.log('k8ts benchmark');
  console.log(`machine: ${cores} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${type()} ${release()}, Node ${process.version}`);
  console.log(`phases: ${PHASES.filter((p) => only.has(p)).join(', ')}; every process here shares this machine with the clients`);
  const built = ensureBuilt(REPO);
  if (built) console.log(`build: ${built}`);
  const outcomes: { title: string; outcome: PhaseOutcome }[] = [];

  if (only.has('api')) {
    console.log(
      `\n== api: each phase ≤ ${seconds} s or ≤ ${settings.bounds.maxOps} ops after a warm-up of ≤ 1 s / 300 ops; client, server and baseline share this machine`,
    );
    outcomes.push({
      title: 'API server',
      outcome: await runApiPhases({ entry: ENTRY, settings, startupRuns: bounded(values.startups, 5, 1, 20), log }),
    });
  }
  if (only.has('scheduler')) {
    const nodes = (values['sched-nodes'] as string)
      .split(',')
      .map((s) => bounded(s, 500, 1, 10_000))
      .slice(0, 4);
    const outcome = await runSchedulerPhases({
      entry: ENTRY,
      nodes,
      pods: bounded(values['sched-pods'], 10_000, 1, 100_000),
      maxMs: 240_000,
      concurrency: 32,
      log,
    });
    outcomes.push({ title: 'scheduler', outcome });
  }
  if (only.has('density')) {
    const outcome = await runDensityPhase({
      entry: ENTRY,
      nodes: bounded(values['density-nodes'], 1000, 1, 10_000),
      deployments: bounded(values.deployments, 100, 1, 1000),
      replicas: bounded(values.replicas, 300, 1, 5000),
      maxMs: bounded(values['density-seconds'], 300, 10, 1800) * 1000,
      cpuProfile: values['cpu-prof'] as boolean,
      log,
    });
    outcomes.push({ title: 'density', outcome });
  }
  if (only.has('pods')) {
    const outcome = await runPodStartupPhase({ entry: ENTRY, pods: bounded(values['startup-pods'], 30, 1, 110), log });
    outcomes.push({ title: 'pod startup', outcome });
  }
  if (only.has('ingress')) {
    console.log(
      `\n== ingress: each run ≤ ${seconds} s or ≤ ${settings.bounds.maxOps} requests after a warm-up; each server a process of its own`,
    );
    const outcome = await runIngressPhase({ maxMs: seconds * 1000, maxOps: settings.bounds.maxOps, levels: [1, 32], log });
    outcomes.push({ title: 'ingress', outcome });
  }
  if (only.has('proxy')) {
    const outcome = await runProxySyncPhase({
      repo: REPO,
      services: bounded(values['proxy-services'], 1000, 1, 20_000),
      endpoints: bounded(values['proxy-endpoints'], 10, 1, 100),
      rounds: bounded(values['proxy-rounds'], 20, 1, 200),
      fullRounds: bounded(values['proxy-full-rounds'], 3, 1, 50),
      log,
    });
    outcomes.push({ title: 'service proxy', outcome });
  }
  if (only.has('dns')) {
    const outcome = await runDnsPhase({
      repo: REPO,
      services: bounded(values['dns-services'], 1000, 1, 65_000),
      seconds,
      concurrency: 64,
      rounds: bounded(values['dns-rounds'], 3, 1, 10),
      log,
    });
    outcomes.push({ title: 'cluster DNS', outcome });
  }
  if (only.has('statefulset')) {
    const outcome = await runStatefulSetPhase({
      entry: ENTRY,
      nodes: bounded(values['sts-nodes'], 10, 1, 1000),
      replicas: bounded(values['sts-replicas'], 100, 1, 1000),
      maxMs: 300_000,
      log,
    });
    outcomes.push({ title: 'statefulset', outcome });
  }
  if (only.has('job')) {
    const outcome = await runJobPhase({
      entry: ENTRY,
      nodes: bounded(values['job-nodes'], 20, 1, 1000),
      completions: bounded(values['job-completions'], 1000, 1, 100_000),
      parallelism: bounded(values['job-parallelism'], 100, 1, 10_000),
      maxMs: 300_000,
      log,
    });
    outcomes.push({ title: 'job', outcome });
  }
  if (only.has('disruption')) {
    const outcome = await runDisruptionPhase({
      entry: ENTRY,
      nodes: bounded(values['disruption-nodes'], 20, 1, 1000),
      replicas: bounded(values['disruption-pods'], 200, 1, 5000),
      concurrency: 16,
      maxMs: 240_000,
      log,
    });
    outcomes.push({ title: 'disruption', outcome });
  }
  if (only.has('storage')) {
    const outcome = await runStoragePhase({
      entry: ENTRY,
      nodes: bounded(values['storage-nodes'], 50, 1, 5000),
      claims: bounded(values['storage-claims'], 200, 1, 5000),
      maxMs: 300_000,
      log,
    });
    outcomes.push({ title: 'storage', outcome });
  }
  if (only.has('cronjob')) {
    const outcome = await runCronJobPhase({
      entry: ENTRY,
      cronJobs: bounded(values.cronjobs, 200, 1, 5000),
      periodSeconds: 10,
      rounds: bounded(values['cronjob-rounds'], 2, 1, 10),
      maxMs: 90_000,
      log,
    });
    outcomes.push({ title: 'cronjob', outcome });
  }

  if (only.has('daemonset')) {
    const outcome = await runDaemonSetPhase({
      entry: ENTRY,
      nodes: bounded(values['ds-nodes'], 1000, 1, 10_000),
      maxMs: bounded(values['ds-seconds'], 300, 10, 1800) * 1000,
      log,
    });
    outcomes.push({ title: 'daemonset', outcome });
  }
  if (only.has('hpa')) {
    const outcome = await runAutoscalingPhase({
      entry: ENTRY,
      periodSeconds: bounded(values['hpa-period'], 2, 1, 60),
      rounds: bounded(values['hpa-rounds'], 4, 1, 20),
      log,
    });
    outcomes.push({ title: 'HPA reaction', outcome });
  }
  if (only.has('rbac')) {
    const outcome = await runRbacPhase({
      namespaces: bounded(values['rbac-namespaces'], 1000, 1, 100_000),
      ops: bounded(values['rbac-ops'], 20_000, 1, 1_000_000),
      log,
    });
    outcomes.push({ title: 'rbac', outcome });
  }

  if (only.has('encryption')) {
    const outcome = await runEncryptionPhase({ secrets: 2000, maxMsPerProvider: 15_000, log });
    outcomes.push({ title: 'encryption at rest (storage, in process)', outcome });
  }
  if (only.has('audit')) {
    const outcome = await runAuditPhase({ maxMs: seconds * 1000, maxOps: settings.bounds.maxOps, levels: [1, 32], log });
    outcomes.push({ title: 'audit', outcome });
  }
  if (only.has('quota')) {
    const outcome = await runQuotaPhase({ pods: 2000, maxMsPerCase: seconds * 1000, log });
    outcomes.push({ title: 'resource quota admission (registry, in process)', outcome });
  }
  if (only.has('apf')) {
    const outcome = await runApfPhase({
      maxMs: seconds * 1000,
      maxOps: settings.bounds.maxOps,
      levels: [1, 32],
      overloadMs: bounded(values['apf-overload-seconds'], 10, 1, 300) * 1000,
      log,
    });
    outcomes.push({ title: 'apf', outcome });
  }

  console.log(`\n=== results (${cores} cores, Node ${process.version}) ===`);
  for (const { title, outcome } of outcomes) {
    console.log(`\n--- ${title} ---`);
    outcome.print();
  }
  return outcomes.some((o) => o.outcome.failed) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
