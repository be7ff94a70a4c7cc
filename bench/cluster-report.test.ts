import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderDensity, renderScheduler } from './cluster-report.js';
import type { DensityResult } from './density-phase.js';
import type { LoadResult } from './load.js';
import { podWatchPath } from './pod-progress.js';
import type { BacklogResult, EndToEndResult, InMemoryResult } from './scheduler-phase.js';
import { summarize } from './stats.js';

const latency = summarize(new Float64Array([1, 2, 3]));
const load = (ops: number): LoadResult => ({ concurrency: 8, ops, errors: 0, elapsedMs: 1000, throughput: ops, latency });
const memory = { rssMiB: 100, peakMiB: 120, cpuSeconds: 10 };

const inMemory = (nodes: number, podsPerSecond: number): InMemoryResult => ({
  nodes,
  pods: 10_000,
  scheduled: 10_000,
  unschedulable: 0,
  elapsedMs: 1000,
  podsPerSecond,
  nodesUsed: nodes,
});

describe('renderScheduler', () => {
  const cases: { name: string; row: InMemoryResult; want: RegExp }[] = [
    { name: 'goal met at 5,000 nodes', row: inMemory(5000, 1600), want: /≥ 1,500\/s: met/ },
    { name: 'goal missed at 5,000 nodes', row: inMemory(5000, 1400), want: /≥ 1,500\/s: missed/ },
    { name: 'no verdict below 5,000 nodes', row: inMemory(500, 100), want: /set at 5,000 nodes/ },
  ];
  for (const c of cases) it(c.name, () => assert.match(renderScheduler([c.row], [], []), c.want));

  it('marks an end-to-end run that hit its bound', () => {
    const e2e: EndToEndResult = {
      nodes: 500,
      pods: 10_000,
      nodesReadyMs: 2000,
      creates: load(10_000),
      scheduled: 9000,
      elapsedMs: 30_000,
      podsPerSecond: 300,
      completed: false,
      serverMemory: memory,
      agentMemory: memory,
    };
    const text = renderScheduler([], [e2e], ['500 nodes did not finish']);
    assert.match(text, /INCOMPLETE/);
    assert.match(text, /9000\/10000/);
    assert.match(text, /skipped: 500 nodes did not finish/);
  });
});

describe('renderScheduler backlog', () => {
  /** 10,000 pods over 5,000 nodes, all bound. */
  const backlog = (r: Pick<BacklogResult, 'kubelets' | 'startMs' | 'elapsedMs' | 'podsPerSecond'>): BacklogResult => ({
    nodes: 5000,
    pods: 10_000,
    creates: load(10_000),
    scheduled: 10_000,
    completed: true,
    ...r,
  });

  it('reports the backlog row with its verdict and the time to the first bind', () => {
    const text = renderScheduler([], [], [], [], [backlog({ kubelets: true, startMs: 2500, elapsedMs: 5000, podsPerSecond: 2000 })]);
    assert.match(text, /backlog \(API \+ agent\)\s+5,000\s+10000\/10000\s+5\.00\s+2,000\s+\S+\s+≥ 1,500\/s: met/);
    assert.match(text, /5,000 nodes: first bind 2\.5 s after the Lease was released/);
  });

  it('names the setup without kubelets and misses the goal below it', () => {
    const text = renderScheduler([], [], [], [], [backlog({ kubelets: false, startMs: 1200, elapsedMs: 8000, podsPerSecond: 1250 })]);
    assert.match(text, /backlog \(API, no kubelets\)\s+5,000\s+10000\/10000\s+8\.00\s+1,250\s+\S+\s+≥ 1,500\/s: missed/);
    assert.match(text, /5,000 nodes, no kubelets: first bind 1\.2 s after the Lease was released/);
  });
});

describe('renderDensity', () => {
  const base: DensityResult = {
    nodes: 1000,
    pods: 30_000,
    nodesReadyMs: 4000,
    deployments: load(100),
    created: 30_000,
    bound: 30_000,
    running: 30_000,
    completed: true,
    elapsedMs: 50_000,
    podsPerSecond: 600,
    probe: { get: latency, list: latency, errors: 0 },
    serverMemory: memory,
    agentMemory: memory,
    serverCpuSeconds: 60,
    agentCpuSeconds: 15,
  };
  it('reports CPU per Running pod', () =>
    assert.match(renderDensity(base), /server 60\.0 s \(2\.00 ms per Running pod\), agent 15\.0 s \(0\.50 ms per pod\)/));
  it('meets the 60 s target when complete in time', () => assert.match(renderDensity(base), /Running in 50\.0 s {3}target ≤ 60 s: met/));
  it('reports how far an incomplete run got', () => {
    const text = renderDensity({ ...base, completed: false, running: 12_000, bound: 13_000, created: 30_000, elapsedMs: 300_000 });
    assert.match(text, /INCOMPLETE after 300\.0 s: 12,000 Running, 13,000 bound, 30,000 created of 30,000/);
    assert.match(text, /missed/);
  });
});

describe('podWatchPath', () => {
  it('encodes the field selector', () => {
    assert.equal(
      podWatchPath('ns', 'spec.nodeName!='),
      '/api/v1/namespaces/ns/pods?watch=1&timeoutSeconds=1800&fieldSelector=spec.nodeName!%3D',
    );
  });
});
