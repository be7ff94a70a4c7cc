import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { podPrinter } from './pod-printer.js';

const NOW = Date.parse('2024-01-01T12:00:00Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString();
const MIN = 60_000;

function pod(spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return { metadata: { name: 'p', creationTimestamp: ago(5 * MIN), ...meta }, spec: { containers: [{ name: 'a' }], ...spec }, status };
}
const running = { running: { startedAt: ago(MIN) } };

test('pod table columns match upstream', () => {
  assert.deepEqual(
    podPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ],
  );
});

const cases: { name: string; pod: KubeObject; want: unknown[] }[] = [
  {
    name: 'pending, unscheduled',
    pod: pod({}, { phase: 'Pending' }),
    want: ['p', '0/1', 'Pending', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'running and ready with IP and node',
    pod: pod(
      { nodeName: 'n1' },
      { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }], containerStatuses: [{ name: 'a', ready: true, restartCount: 0, state: running }] },
    ),
    want: ['p', '1/1', 'Running', '0', '5m', '10.0.0.5', 'n1', '<none>', '<none>'],
  },
  {
    name: 'container creating',
    pod: pod(
      {},
      {
        phase: 'Pending',
        containerStatuses: [{ name: 'a', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }],
      },
    ),
    want: ['p', '0/1', 'ContainerCreating', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'crash loop with restarts ago',
    pod: pod(
      {},
      {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'a',
            ready: false,
            restartCount: 2,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, finishedAt: ago(5 * MIN) } },
          },
        ],
      },
    ),
    want: ['p', '0/1', 'CrashLoopBackOff', '2 (5m ago)', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'completed',
    pod: pod(
      {},
      { phase: 'Succeeded', containerStatuses: [{ name: 'a', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
    ),
    want: ['p', '0/1', 'Completed', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'terminated without reason shows exit code',
    pod: pod({}, { phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 137 } } }] }),
    want: ['p', '0/1', 'ExitCode:137', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'terminating',
    pod: pod({}, { phase: 'Running', containerStatuses: [{ name: 'a', ready: true, state: running }] }, { deletionTimestamp: ago(0) }),
    want: ['p', '1/1', 'Terminating', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'init container running',
    pod: pod(
      { initContainers: [{ name: 'i1' }, { name: 'i2' }] },
      { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: running }] },
    ),
    want: ['p', '0/1', 'Init:0/2', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'init container failed',
    pod: pod(
      { initContainers: [{ name: 'i1' }] },
      { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 1, reason: 'Error' } } }] },
    ),
    want: ['p', '0/1', 'Init:Error', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'scheduling gated and readiness gates',
    pod: pod(
      { readinessGates: [{ conditionType: 'x' }, { conditionType: 'y' }] },
      {
        phase: 'Pending',
        conditions: [
          { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' },
          { type: 'x', status: 'True' },
        ],
      },
    ),
    want: ['p', '0/1', 'SchedulingGated', '0', '5m', '<none>', '<none>', '<none>', '1/2'],
  },
  {
    name: 'sidecar counts toward ready',
    pod: pod(
      { initContainers: [{ name: 's', restartPolicy: 'Always' }] },
      {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [{ name: 's', started: true, ready: true, state: running }],
        containerStatuses: [{ name: 'a', ready: true, state: running }],
      },
    ),
    want: ['p', '2/2', 'Running', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'evicted pod reason',
    pod: pod({}, { phase: 'Failed', reason: 'Evicted' }),
    want: ['p', '0/1', 'Evicted', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
];

for (const c of cases) {
  test(`pod row: ${c.name}`, () => {
    assert.deepEqual(podPrinter.row(c.pod, NOW), c.want);
  });
}
