import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Taint } from '../../scheduler/types.js';
import { nodeShouldRunDaemonPod } from './node-should-run.js';
import type { DaemonSet } from './types.js';

function node(taints: Taint[] = [], labels: Record<string, string> = {}): Node {
  return { metadata: { name: 'node-a', labels }, spec: { taints } };
}

function ds(spec: Record<string, unknown> = {}): DaemonSet {
  return {
    metadata: { name: 'd', namespace: 'default' },
    spec: { template: { metadata: { labels: { app: 'd' } }, spec: { containers: [], ...spec } } },
  };
}

const cases: { name: string; node: Node; ds: DaemonSet; run: boolean; keep: boolean }[] = [
  { name: 'plain node', node: node(), ds: ds(), run: true, keep: true },
  { name: 'nodeSelector matches', node: node([], { disk: 'ssd' }), ds: ds({ nodeSelector: { disk: 'ssd' } }), run: true, keep: true },
  { name: 'nodeSelector misses', node: node(), ds: ds({ nodeSelector: { disk: 'ssd' } }), run: false, keep: false },
  {
    name: 'required node affinity misses',
    node: node([], { zone: 'a' }),
    ds: ds({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }],
          },
        },
      },
    }),
    run: false,
    keep: false,
  },
  { name: 'template nodeName elsewhere', node: node(), ds: ds({ nodeName: 'node-b' }), run: false, keep: false },
  {
    name: 'NoSchedule taint: no new pod, the running one stays',
    node: node([{ key: 'k', effect: 'NoSchedule' }]),
    ds: ds(),
    run: false,
    keep: true,
  },
  { name: 'NoExecute taint: evicted', node: node([{ key: 'k', effect: 'NoExecute' }]), ds: ds(), run: false, keep: false },
  { name: 'PreferNoSchedule taint is no bar', node: node([{ key: 'k', effect: 'PreferNoSchedule' }]), ds: ds(), run: true, keep: true },
  {
    name: 'tolerated taint',
    node: node([{ key: 'k', value: 'v', effect: 'NoExecute' }]),
    ds: ds({ tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute' }] }),
    run: true,
    keep: true,
  },
  {
    name: 'cordoned, not ready, unreachable and under pressure: tolerated automatically',
    node: node([
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/pid-pressure', effect: 'NoSchedule' },
    ]),
    ds: ds(),
    run: true,
    keep: true,
  },
  {
    name: 'network unavailable',
    node: node([{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]),
    ds: ds(),
    run: false,
    keep: true,
  },
  {
    name: 'network unavailable, host network',
    node: node([{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]),
    ds: ds({ hostNetwork: true }),
    run: true,
    keep: true,
  },
];

for (const c of cases) {
  test(`nodeShouldRunDaemonPod: ${c.name}`, () => {
    assert.deepEqual(nodeShouldRunDaemonPod(c.node, c.ds), { shouldRun: c.run, shouldContinueRunning: c.keep });
  });
}
