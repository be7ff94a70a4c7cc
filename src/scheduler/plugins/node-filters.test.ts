import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterReasons, makeNode, makePod, newCluster } from '../testing/fixtures.js';

test('NodeUnschedulable, NodeName and NodePorts filters', () => {
  const cases = [
    {
      name: 'unschedulable node',
      plugins: ['NodeUnschedulable'],
      node: makeNode('n1', { unschedulable: true }),
      pod: makePod('p'),
      want: 'node(s) were unschedulable',
    },
    {
      name: 'tolerates unschedulable',
      plugins: ['NodeUnschedulable'],
      node: makeNode('n1', { unschedulable: true }),
      pod: makePod('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }),
      want: '',
    },
    { name: 'schedulable node', plugins: ['NodeUnschedulable'], node: makeNode('n1'), pod: makePod('p'), want: '' },
    {
      name: 'other node name',
      plugins: ['NodeName'],
      node: makeNode('n1'),
      pod: makePod('p', { nodeName: 'n2' }),
      want: "node(s) didn't match the requested node name",
    },
    { name: 'same node name', plugins: ['NodeName'], node: makeNode('n1'), pod: makePod('p', { nodeName: 'n1' }), want: '' },
    {
      name: 'port in use',
      plugins: ['NodePorts'],
      node: makeNode('n1'),
      pod: makePod('p', { hostPorts: [80] }),
      want: "node(s) didn't have free ports for the requested pod ports",
    },
    { name: 'port free', plugins: ['NodePorts'], node: makeNode('n1'), pod: makePod('p', { hostPorts: [81] }), want: '' },
  ];
  for (const tc of cases) {
    const c = newCluster([tc.node], [makePod('web', { nodeName: 'n1', hostPorts: [80] })], {
      plugins: tc.plugins.map((name) => ({ name })),
    });
    assert.equal(filterReasons(c, tc.pod, 'n1'), tc.want, tc.name);
  }
});

test('host ports: a specific IP conflicts with 0.0.0.0 and the same IP only', () => {
  const withIP = (ip: string, port: number) =>
    makePod(`p-${ip}-${port}`, { containers: [{ name: 'c', ports: [{ containerPort: port, hostPort: port, hostIP: ip }] }] });
  const cases = [
    { existing: withIP('10.0.0.1', 80), pod: withIP('10.0.0.2', 80), conflict: false },
    { existing: withIP('10.0.0.1', 80), pod: withIP('10.0.0.1', 80), conflict: true },
    { existing: withIP('10.0.0.1', 80), pod: withIP('0.0.0.0', 80), conflict: true },
    { existing: withIP('0.0.0.0', 80), pod: withIP('10.0.0.1', 80), conflict: true },
  ];
  for (const tc of cases) {
    const existing = { ...tc.existing, spec: { ...tc.existing.spec, nodeName: 'n1' } };
    const c = newCluster([makeNode('n1')], [existing], { plugins: [{ name: 'NodePorts' }] });
    assert.equal(filterReasons(c, tc.pod, 'n1') !== '', tc.conflict, `${tc.existing.metadata.name} vs ${tc.pod.metadata.name}`);
  }
});
