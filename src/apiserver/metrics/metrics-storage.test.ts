import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type MetricsBatch, MetricsStorage } from './metrics-storage.js';
import { addSummary } from './scraper.js';

function summary(nodeCpu: number, containerCpu: number, started = '2024-01-01T00:00:00Z') {
  return {
    node: { nodeName: 'n1', cpu: { time: 'x', usageCoreNanoSeconds: nodeCpu }, memory: { workingSetBytes: 1000 } },
    pods: [
      {
        podRef: { name: 'p', namespace: 'ns', uid: 'u' },
        containers: [{ name: 'c', startTime: started, cpu: { usageCoreNanoSeconds: containerCpu }, memory: { workingSetBytes: 64 } }],
      },
    ],
  };
}

function round(storage: MetricsStorage, at: number, s: unknown): void {
  const batch: MetricsBatch = { nodes: new Map(), pods: new Map() };
  addSummary(batch, 'n1', s, at);
  storage.store(batch);
}

test('usage is the counter growth over the window between the last two scrapes', () => {
  const s = new MetricsStorage();
  round(s, 1000, summary(5e9, 1e9));
  assert.equal(s.ready(), false, 'one round is not a window');
  assert.equal(s.node('n1'), undefined);
  round(s, 3000, summary(6e9, 1.6e9));
  assert.equal(s.ready(), true);
  assert.deepEqual(s.node('n1'), { timestamp: 3000, windowMs: 2000, cpu: 5e8, memory: 1000 });
  assert.deepEqual(s.pod('ns/p'), { timestamp: 3000, windowMs: 2000, containers: [{ name: 'c', cpu: 3e8, memory: 64 }] });
});

test('a restarted container or a counter that went back gives no usage until the next scrape; gone objects are forgotten', () => {
  const s = new MetricsStorage();
  round(s, 1000, summary(5e9, 1e9));
  round(s, 2000, summary(4e9, 2e9, '2024-01-01T00:00:01Z'));
  assert.equal(s.node('n1'), undefined);
  assert.equal(s.pod('ns/p'), undefined);
  round(s, 3000, summary(5e9, 2.5e9, '2024-01-01T00:00:01Z'));
  assert.equal(s.node('n1')?.cpu, 1e9);
  assert.equal(s.pod('ns/p')?.containers[0]?.cpu, 5e8);
  s.store({ nodes: new Map(), pods: new Map() });
  assert.equal(s.pod('ns/p'), undefined);
  assert.equal(s.ready(), false);
});
