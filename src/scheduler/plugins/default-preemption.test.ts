import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CycleState } from '../framework/cycle-state.js';
import { PodInfo } from '../framework/pod-info.js';
import { makeNode, makePod, newCluster } from '../testing/fixtures.js';
import type { PodDisruptionBudget } from '../types.js';
import { type Candidate, DefaultPreemption, filterPodsWithPDBViolation, pickOneNodeForPreemption } from './default-preemption.js';

const pi = (name: string, priority: number, startTime = '2024-01-01T00:00:00Z') => new PodInfo(makePod(name, { priority, startTime }));

test('pickOneNodeForPreemption criteria in upstream order', () => {
  const cases: { name: string; candidates: Candidate[]; want: string }[] = [
    {
      name: 'lowest highest-priority victim',
      candidates: [
        { nodeName: 'a', victims: [pi('x', 10)] },
        { nodeName: 'b', victims: [pi('y', 5), pi('z', 5)] },
      ],
      want: 'b',
    },
    {
      name: 'lowest priority sum',
      candidates: [
        { nodeName: 'a', victims: [pi('x', 5), pi('y', 1)] },
        { nodeName: 'b', victims: [pi('z', 5), pi('w', 0)] },
      ],
      want: 'b',
    },
    {
      name: 'fewest victims',
      candidates: [
        { nodeName: 'a', victims: [pi('x', 5), pi('y', 5)] },
        { nodeName: 'b', victims: [pi('z', 5)] },
      ],
      want: 'b',
    },
    {
      name: 'latest start of highest-priority victims',
      candidates: [
        { nodeName: 'a', victims: [pi('x', 5, '2024-01-01T00:00:00Z')] },
        { nodeName: 'b', victims: [pi('y', 5, '2024-06-01T00:00:00Z')] },
      ],
      want: 'b',
    },
    {
      name: 'no victims wins',
      candidates: [
        { nodeName: 'a', victims: [pi('x', 0)] },
        { nodeName: 'b', victims: [] },
      ],
      want: 'b',
    },
  ];
  for (const tc of cases) assert.equal(pickOneNodeForPreemption(tc.candidates)?.nodeName, tc.want, tc.name);
});

test('DefaultPreemption selects the fewest lower-priority victims and reports failures as upstream', async () => {
  const nodes = [
    makeNode('n1', { cpu: '2' }),
    makeNode('n2', { cpu: '2' }),
    makeNode('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
  ];
  const existing = [
    makePod('low', { nodeName: 'n1', cpu: '1', priority: 1 }),
    makePod('mid', { nodeName: 'n1', cpu: '1', priority: 5 }),
    makePod('high', { nodeName: 'n2', cpu: '2', priority: 100 }),
  ];
  const c = newCluster(nodes, existing);
  const pl = new DefaultPreemption(c.fwk, () => 0);
  const pod = new PodInfo(makePod('p', { cpu: '1', priority: 10 }));
  const state = new CycleState();
  c.fwk.runPreFilterPlugins(state, pod, c.cache.list());
  const m = new Map(c.cache.list().map((ni) => [ni.name, c.fwk.runFilterPlugins(state, pod, ni)]));
  const sel = pl.selectVictimsOnNode(state.clone(), pod, c.node('n1').clone());
  assert.deepEqual(
    sel.victims.map((v) => v.pod.metadata.name),
    ['low'],
  );
  const { result, status } = await pl.postFilter(state, pod, m);
  assert.ok(status.isSuccess(), status.message());
  assert.equal(result?.nominatedNodeName, 'n1');

  const big = new PodInfo(makePod('big', { cpu: '3', priority: 10 }));
  const s2 = new CycleState();
  c.fwk.runPreFilterPlugins(s2, big, c.cache.list());
  const m2 = new Map(c.cache.list().map((ni) => [ni.name, c.fwk.runFilterPlugins(s2, big, ni)]));
  const failed = await pl.postFilter(s2, big, m2);
  assert.equal(
    failed.status.message(),
    'preemption: 0/3 nodes are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
  );

  const never = new PodInfo(makePod('n', { cpu: '1', priority: 10, preemptionPolicy: 'Never' }));
  assert.equal((await pl.postFilter(state, never, m)).status.message(), 'preemption: not eligible due to preemptionPolicy=Never.');
  const lowest = new PodInfo(makePod('l', { cpu: '2', priority: 0 }));
  const m3 = new Map([...m].map(([k]) => [k, c.fwk.runFilterPlugins(state, lowest, c.node(k))]));
  assert.match((await pl.postFilter(state, lowest, m3)).status.message(), /2 No preemption victims found for incoming pod/);
});

const pdb = (name: string, app: string, disruptionsAllowed: number, disruptedPods?: Record<string, string>): PodDisruptionBudget => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name, namespace: 'default' },
  spec: { selector: { matchLabels: { app } } },
  status: { disruptionsAllowed, ...(disruptedPods ? { disruptedPods } : {}) },
});
const labelled = (name: string, app: string, priority = 0) => new PodInfo(makePod(name, { priority, labels: { app } }));

test('filterPodsWithPDBViolation spends each budget on the pods it selects, most important first', () => {
  const pods = [labelled('a1', 'a'), labelled('a2', 'a'), labelled('b1', 'b'), new PodInfo(makePod('bare', {}))];
  const cases: { name: string; pdbs: PodDisruptionBudget[]; violating: string[] }[] = [
    { name: 'no budgets', pdbs: [], violating: [] },
    { name: 'one disruption allowed: the second pod overdraws', pdbs: [pdb('pa', 'a', 1)], violating: ['a2'] },
    { name: 'none allowed', pdbs: [pdb('pa', 'a', 0), pdb('pb', 'b', 0)], violating: ['a1', 'a2', 'b1'] },
    { name: 'an already disrupted pod spends nothing', pdbs: [pdb('pa', 'a', 1, { a1: '2024-01-01T00:00:00Z' })], violating: [] },
    {
      name: 'an empty selector selects nothing',
      pdbs: [{ ...pdb('all', 'a', 0), spec: { selector: {} } }],
      violating: [],
    },
    { name: 'another namespace', pdbs: [{ ...pdb('pa', 'a', 0), metadata: { name: 'pa', namespace: 'other' } }], violating: [] },
  ];
  for (const c of cases) {
    const { violating, nonViolating } = filterPodsWithPDBViolation(pods, c.pdbs);
    assert.deepEqual(
      violating.map((p) => p.pod.metadata.name),
      c.violating,
      c.name,
    );
    assert.equal(violating.length + nonViolating.length, pods.length);
  }
});

test('preemption prefers victims that violate no PodDisruptionBudget, and nodes with fewer violations', () => {
  assert.equal(
    pickOneNodeForPreemption([
      { nodeName: 'a', victims: [pi('x', 0)], numPDBViolations: 1 },
      { nodeName: 'b', victims: [pi('y', 5), pi('z', 5)], numPDBViolations: 0 },
    ])?.nodeName,
    'b',
    'fewer PDB violations beats lower priority',
  );
  const nodes = [makeNode('n1', { cpu: '2' })];
  const existing = [
    makePod('guarded', { nodeName: 'n1', cpu: '1', priority: 1, labels: { app: 'db' } }),
    makePod('free', { nodeName: 'n1', cpu: '1', priority: 1, labels: { app: 'web' } }),
  ];
  const c = newCluster(nodes, existing, { podDisruptionBudgets: [pdb('db', 'db', 0)] });
  const pl = new DefaultPreemption(c.fwk, () => 0);
  const pod = new PodInfo(makePod('p', { cpu: '1', priority: 10 }));
  const state = new CycleState();
  c.fwk.runPreFilterPlugins(state, pod, c.cache.list());
  const sel = pl.selectVictimsOnNode(state.clone(), pod, c.node('n1').clone(), c.fwk.podDisruptionBudgets());
  assert.deepEqual(
    sel.victims.map((v) => v.pod.metadata.name),
    ['free'],
  );
  assert.equal(sel.numPDBViolations, 0);
  const both = new PodInfo(makePod('q', { cpu: '2', priority: 10 }));
  const s2 = new CycleState();
  c.fwk.runPreFilterPlugins(s2, both, c.cache.list());
  const all = pl.selectVictimsOnNode(s2.clone(), both, c.node('n1').clone(), c.fwk.podDisruptionBudgets());
  assert.deepEqual(all.victims.map((v) => v.pod.metadata.name).sort(), ['free', 'guarded']);
  assert.equal(all.numPDBViolations, 1, 'the guarded pod is still evicted when nothing else makes room');
});
