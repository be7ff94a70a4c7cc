import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import type { FieldError } from '../../machinery/errors.js';
import { namespacePrinter, namespaceStrategy, prepareNamespaceFinalize } from './namespace.js';
import { nodePrinter, nodeStrategy } from './node.js';
import { eventPrinter, eventStrategy } from './event.js';
import { endpointsPrinter, endpointsStrategy } from './endpoints.js';
import { serviceAccountPrinter } from './serviceaccount.js';

const NOW = Date.parse('2024-01-01T12:00:00Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString();
const show = (errs: FieldError[]): string[] => errs.map((e) => `${e.field}: ${e.message}`);

test('namespace create: label, phase, kubernetes finalizer', () => {
  const ns: KubeObject = { metadata: { name: 'team-a' }, spec: { finalizers: ['example.com/x'] } };
  namespaceStrategy.defaults?.(ns);
  namespaceStrategy.prepareForCreate?.(ns);
  assert.deepEqual(ns.metadata.labels, { 'kubernetes.io/metadata.name': 'team-a' });
  assert.deepEqual(ns['spec'], { finalizers: ['example.com/x', 'kubernetes'] });
  assert.deepEqual(ns['status'], { phase: 'Active' });
  assert.deepEqual(namespaceStrategy.selectableFields?.(ns), { 'status.phase': 'Active' });
});

test('namespace finalizers and phases', () => {
  const bad: KubeObject = { metadata: { name: 'a' }, spec: { finalizers: ['custom'] } };
  assert.deepEqual(show(namespaceStrategy.validate?.(bad) ?? []), [
    'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
  ]);
  const old: KubeObject = { metadata: { name: 'a' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
  const upd: KubeObject = { metadata: { name: 'a' }, spec: {} };
  namespaceStrategy.prepareForUpdate?.(upd, old);
  assert.deepEqual(upd['spec'], { finalizers: ['kubernetes'] });
  const fin: KubeObject = { metadata: { name: 'a' }, spec: { finalizers: [] } };
  prepareNamespaceFinalize(fin, old);
  assert.deepEqual([fin['spec'], fin['status']], [{ finalizers: [] }, { phase: 'Active' }]);
  const terminating: KubeObject = { metadata: { name: 'a' }, status: { phase: 'Terminating' } };
  assert.deepEqual(show(namespaceStrategy.validateStatusUpdate?.(terminating, old) ?? []), [
    'status.Phase: Invalid value: "Terminating": may only be \'Active\' if `deletionTimestamp` is empty',
  ]);
  assert.deepEqual(namespacePrinter.row({ metadata: { name: 'a', creationTimestamp: ago(90_000) }, status: { phase: 'Active' } }, NOW), [
    'a',
    'Active',
    '90s',
  ]);
});

test('node taints and updates', () => {
  const node = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'n' }, spec });
  assert.deepEqual(show(nodeStrategy.validate?.(node({ taints: [{ key: 'k', effect: 'Sometimes' }] })) ?? []), [
    'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
  ]);
  assert.deepEqual(show(nodeStrategy.validate?.(node({ taints: [{ key: 'k' }] })) ?? []), ['spec.taints[0].effect: Required value']);
  const dup = show(
    nodeStrategy.validate?.(
      node({
        taints: [
          { key: 'k', effect: 'NoSchedule' },
          { key: 'k', effect: 'NoSchedule' },
        ],
      }),
    ) ?? [],
  );
  assert.deepEqual(dup, [
    'spec.taints[1]: Duplicate value: {"key":"k","effect":"NoSchedule"}: taints must be unique by key and effect pair',
  ]);
  assert.deepEqual(show(nodeStrategy.validateUpdate?.(node({ podCIDRs: ['10.1.0.0/24'] }), node({ podCIDRs: ['10.0.0.0/24'] })) ?? []), [
    'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
  ]);
  assert.deepEqual(nodeStrategy.validateUpdate?.(node({ podCIDRs: ['10.0.0.0/24'] }), node({})), []);
  assert.deepEqual(nodeStrategy.selectableFields?.({ metadata: {} }), { 'spec.unschedulable': 'false' });
});

test('node rows', () => {
  const n: KubeObject = {
    metadata: {
      name: 'n1',
      creationTimestamp: ago(3 * 86400_000),
      labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'worker' },
    },
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [
        { type: 'InternalIP', address: '192.168.1.10' },
        { type: 'Hostname', address: 'n1' },
      ],
      nodeInfo: { kubeletVersion: 'v1.31.0', osImage: 'Debian', kernelVersion: '6.1', containerRuntimeVersion: 'containerd://1.7' },
    },
  };
  assert.deepEqual(nodePrinter.row(n, NOW), [
    'n1',
    'Ready,SchedulingDisabled',
    'control-plane,worker',
    '3d',
    'v1.31.0',
    '192.168.1.10',
    '<none>',
    'Debian',
    '6.1',
    'containerd://1.7',
  ]);
  assert.deepEqual(nodePrinter.row({ metadata: { name: 'n2' } }, NOW), [
    'n2',
    'Unknown',
    '<none>',
    '<unknown>',
    '',
    '<none>',
    '<none>',
    '<unknown>',
    '<unknown>',
    '<unknown>',
  ]);
  assert.deepEqual(
    nodePrinter.row({ metadata: { name: 'n3' }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }, NOW)[1],
    'NotReady',
  );
});

test('events: namespace agreement, field labels, rows', () => {
  const ev: KubeObject = {
    metadata: { name: 'p.1', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'p', namespace: 'default', fieldPath: 'spec.containers{web}' },
    reason: 'Pulled',
    type: 'Normal',
    message: ' Pulled image \n',
    source: { component: 'kubelet', host: 'n1' },
    firstTimestamp: ago(600_000),
    lastTimestamp: ago(60_000),
    count: 3,
  };
  assert.deepEqual(eventStrategy.validate?.(ev), []);
  const other = structuredClone(ev);
  (other['involvedObject'] as Record<string, unknown>)['namespace'] = 'kube-system';
  assert.deepEqual(show(eventStrategy.validate?.(other) ?? []), [
    'involvedObject.namespace: Invalid value: "kube-system": does not match event.namespace',
  ]);
  assert.deepEqual(eventPrinter.row(ev, NOW), [
    '60s',
    'Normal',
    'Pulled',
    'pod/p',
    'spec.containers{web}',
    'kubelet, n1',
    'Pulled image',
    '10m',
    3,
    'p.1',
  ]);
  const fields = eventStrategy.selectableFields?.({ metadata: {} }) ?? {};
  assert.deepEqual(Object.keys(fields).sort(), [
    'involvedObject.apiVersion',
    'involvedObject.fieldPath',
    'involvedObject.kind',
    'involvedObject.name',
    'involvedObject.namespace',
    'involvedObject.resourceVersion',
    'involvedObject.uid',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ]);
  const fresh: KubeObject = {
    metadata: { name: 'e' },
    eventTime: ago(5000),
    reportingComponent: 'sched',
    involvedObject: { kind: 'Node' },
  };
  assert.deepEqual(eventPrinter.row(fresh, NOW), ['5s', '', '', 'node', '', 'sched', '', '5s', 1, 'e']);
  assert.equal(eventStrategy.selectableFields?.(fresh)['source'], 'sched');
});

test('endpoints: defaults, validation, rows', () => {
  const ep: KubeObject = {
    metadata: { name: 'svc', creationTimestamp: ago(120_000) },
    subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { name: 'x', port: 81 }] }],
  };
  endpointsStrategy.defaults?.(ep);
  assert.deepEqual(show(endpointsStrategy.validate?.(ep) ?? []), ['subsets[0].ports[0].name: Required value']);
  assert.deepEqual(endpointsPrinter.row(ep, NOW), ['svc', '10.0.0.1:80,10.0.0.2:80,10.0.0.1:81 + 1 more...', '2m']);
  assert.deepEqual(endpointsPrinter.row({ metadata: { name: 'e' } }, NOW), ['e', '<none>', '<unknown>']);
  const loop: KubeObject = {
    metadata: { name: 'e' },
    subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ port: 1, protocol: 'TCP' }] }],
  };
  assert.deepEqual(show(endpointsStrategy.validate?.(loop) ?? []), [
    'subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
  ]);
  assert.deepEqual(
    serviceAccountPrinter.row({ metadata: { name: 'default', creationTimestamp: ago(1000) }, secrets: [{ name: 'a' }] }, NOW),
    ['default', 1, '1s'],
  );
});
