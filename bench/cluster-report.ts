/** Formats the scheduler and density results, with the targets beside the numbers. */
import type { DensityResult } from './density-phase.js';
import type { ProfileSummary } from './cpu-profile.js';
import { fixed, rate, renderTable } from './report.js';
import type { BacklogResult, EndToEndResult, InMemoryResult } from './scheduler-phase.js';
import type { SpreadBatchResult } from './spread-batch.js';

/** Scheduling goal at 5,000 nodes, and kube-scheduler's CI floor (scheduler_perf SchedulingBasic). */
export const SCHEDULING_TARGET = 1500;
export const KUBE_SCHEDULER_FLOOR = '680–810';
/** Density goal: 30,000 pods Running in ≤ 60 s; kwok's pod creation rate for comparison. */
export const DENSITY_TARGET_MS = 60_000;
export const KWOK_PODS_PER_SECOND = 20;

function verdict(podsPerSecond: number, nodes: number): string {
  if (nodes < 5000) return `(goal ≥ ${rate(SCHEDULING_TARGET)}/s is set at 5,000 nodes)`;
  return `≥ ${rate(SCHEDULING_TARGET)}/s: ${podsPerSecond >= SCHEDULING_TARGET ? 'met' : 'missed'}`;
}

/** A row of a run through the API server, with the agent's kubelets or with nodes as objects. */
function throughApiRow(name: string, r: EndToEndResult | BacklogResult): string[] {
  const setup = 'kubelets' in r && !r.kubelets ? 'API, no kubelets' : 'API + agent';
  return [
    r.completed ? `${name} (${setup})` : `${name} (${setup}, INCOMPLETE)`,
    rate(r.nodes),
    `${r.scheduled}/${r.pods}`,
    fixed(r.elapsedMs / 1000, 2),
    rate(r.podsPerSecond),
    rate(r.creates.throughput),
    verdict(r.podsPerSecond, r.nodes),
  ];
}

export function renderScheduler(
  inMemory: InMemoryResult[],
  endToEnd: EndToEndResult[],
  skipped: string[],
  spread: SpreadBatchResult[] = [],
  backlogs: BacklogResult[] = [],
): string {
  const rows = [
    ...inMemory.map((r) => [
      'in memory (scheduleBatch)',
      rate(r.nodes),
      `${r.scheduled}/${r.pods}`,
      fixed(r.elapsedMs / 1000, 2),
      rate(r.podsPerSecond),
      '',
      verdict(r.podsPerSecond, r.nodes),
    ]),
    ...spread.map((r) => [
      r.completed ? `in memory, ${r.deployments} Deployments' pods` : 'in memory, Deployments (INCOMPLETE)',
      rate(r.nodes),
      `${r.scheduled}/${r.pods}`,
      fixed(r.elapsedMs / 1000, 2),
      `${rate(r.podsPerSecond)} (last 10%: ${rate(r.tailPodsPerSecond)})`,
      '',
      verdict(r.podsPerSecond, r.nodes),
    ]),
    ...endToEnd.map((r) => throughApiRow('end to end', r)),
    ...backlogs.map((r) => throughApiRow('backlog', r)),
  ];
  const table = renderTable(
    [
      { title: 'scheduler' },
      { title: 'nodes', right: true },
      { title: 'scheduled', right: true },
      { title: 'seconds', right: true },
      { title: 'pods/s', right: true },
      { title: 'creates/s', right: true },
      { title: 'target' },
    ],
    rows,
  );
  const notes = [
    `reference: kube-scheduler CI floor ${KUBE_SCHEDULER_FLOOR} pods/s (scheduler_perf, 5,000 nodes); kwok creates ~${KWOK_PODS_PER_SECOND} pods/s`,
    "in memory = src/scheduler scheduleBatch (bare pods: no owner, so PodTopologySpread's default constraints are skipped);",
    "  Deployment pods = the same with the owner's selector as default selector, so the default hostname/zone spreading counts matching pods every cycle",
    'end to end = first POST sent → last pod seen bound (watch fieldSelector=spec.nodeName!=), so it is bounded by the create rate too',
    "backlog = the same cluster; the pods are created while the benchmark holds the scheduler's Lease, then it is released:",
    "  first pod bound → last pod bound, the scheduler's throughput through the API once the pods and nodes exist; meanwhile the agent's",
    "  kubelets write every bound pod's status (twice the API writes per pod) and renew their Leases (one per node per 10 s)",
    "backlog (API, no kubelets) = scheduler_perf's setup (SchedulingBasic, the CI floor's measure): a server alone, the nodes created",
    '  as API objects (capacity, Ready), so the bindings are the only writes; same pods, same timing',
  ];
  for (const r of backlogs) {
    notes.push(
      `  ${rate(r.nodes)} nodes${r.kubelets ? '' : ', no kubelets'}: first bind ${fixed(r.startMs / 1000)} s after the Lease was released`,
    );
  }
  for (const r of endToEnd) {
    notes.push(
      `  ${rate(r.nodes)} nodes: Ready in ${fixed(r.nodesReadyMs / 1000)} s; creates p50 ${fixed(r.creates.latency.p50)} ms, p99 ${fixed(r.creates.latency.p99)} ms, ${r.creates.errors} errors; RSS at end: server ${fixed(r.serverMemory.rssMiB, 0)} MiB, agent ${fixed(r.agentMemory.rssMiB, 0)} MiB`,
    );
  }
  for (const s of skipped) notes.push(`  skipped: ${s}`);
  return `${table}\n${notes.join('\n')}`;
}

export function renderDensity(r: DensityResult): string {
  const lines: string[] = [];
  const seconds = r.elapsedMs / 1000;
  const state = r.completed
    ? `all ${rate(r.pods)} pods Running in ${fixed(seconds)} s`
    : `INCOMPLETE after ${fixed(seconds)} s: ${rate(r.running)} Running, ${rate(r.bound)} bound, ${rate(r.created)} created of ${rate(r.pods)}`;
  lines.push(
    `density: ${rate(r.nodes)} nodes, ${r.deployments.ops} Deployments → ${state}   target ≤ ${DENSITY_TARGET_MS / 1000} s: ${r.completed && r.elapsedMs <= DENSITY_TARGET_MS ? 'met' : 'missed'}`,
  );
  lines.push(
    `  ${rate(r.podsPerSecond)} pods/s Running (first Deployment POST → last pod Running); kwok ~${KWOK_PODS_PER_SECOND} pods/s; nodes Ready in ${fixed(r.nodesReadyMs / 1000)} s`,
  );
  const p = r.probe;
  lines.push(
    `  API latency during the run (separate client, every 100 ms): GET p50 ${fixed(p.get.p50)} ms, p99 ${fixed(p.get.p99)} ms, max ${fixed(p.get.max)} ms (${p.get.count} samples); LIST p50 ${fixed(p.list.p50)} ms, p99 ${fixed(p.list.p99)} ms, max ${fixed(p.list.max)} ms (${p.list.count}); ${p.errors} errors${p.firstError ? ` (first: ${p.firstError})` : ''}`,
  );
  lines.push(
    `  RSS at end: server ${fixed(r.serverMemory.rssMiB, 0)} MiB (peak ${fixed(r.serverMemory.peakMiB, 0)}), agent ${fixed(r.agentMemory.rssMiB, 0)} MiB (peak ${fixed(r.agentMemory.peakMiB, 0)})`,
  );
  const perPod = (cpuSeconds: number): string => fixed((cpuSeconds * 1000) / Math.max(1, r.running), 2);
  lines.push(
    `  CPU during the run: server ${fixed(r.serverCpuSeconds)} s (${perPod(r.serverCpuSeconds)} ms per Running pod), agent ${fixed(r.agentCpuSeconds)} s (${perPod(r.agentCpuSeconds)} ms per pod)`,
  );
  for (const p of r.profiles ?? []) lines.push(renderProfile(p.summary, p.thread));
  return lines.join('\n');
}

export function renderProfile(p: ProfileSummary, thread: string): string {
  const busy = p.durationMs - p.idleMs;
  const pct = (ms: number): string => `${fixed((ms * 100) / p.durationMs)}%`;
  const head = `  CPU profile, ${thread} (node --cpu-prof, whole process lifetime ${fixed(p.durationMs / 1000)} s): busy ${pct(busy)}, GC ${pct(p.gcMs)}, idle ${pct(p.idleMs)}`;
  const table = (title: string, rows: typeof p.bySelf): string =>
    renderTable(
      [{ title }, { title: 'self s', right: true }, { title: 'self %', right: true }, { title: 'total s', right: true }],
      rows.map((f) => [f.label, fixed(f.selfMs / 1000, 2), pct(f.selfMs), fixed(f.totalMs / 1000, 2)]),
    );
  return [head, table('top functions by self time', p.bySelf), '', table('top k8ts functions by total time', p.byTotal)].join('\n');
}
