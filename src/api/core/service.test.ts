import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import type { FieldError } from '../../machinery/errors.js';
import { servicePrinter, serviceStrategy } from './service.js';

const NOW = Date.parse('2024-01-01T12:00:00Z');
const show = (errs: FieldError[]): string[] => errs.map((e) => `${e.field}: ${e.message}`);
function svc(spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject {
  return { metadata: { name: 's', creationTimestamp: new Date(NOW - 3 * 3600_000).toISOString() }, spec, status };
}
function created(spec: Record<string, unknown>): KubeObject {
  const s = svc(spec);
  serviceStrategy.defaults?.(s);
  serviceStrategy.prepareForCreate?.(s);
  return s;
}

test('service defaults', () => {
  assert.deepEqual(created({ selector: { app: 'a' }, ports: [{ port: 80 }] })['spec'], {
    selector: { app: 'a' },
    ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    sessionAffinity: 'None',
    type: 'ClusterIP',
    internalTrafficPolicy: 'Cluster',
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
  });
  const lb = created({ type: 'LoadBalancer', ports: [{ port: 443, targetPort: 'https' }], sessionAffinity: 'ClientIP' })['spec'] as Record<
    string,
    unknown
  >;
  assert.equal(lb['externalTrafficPolicy'], 'Cluster');
  assert.equal(lb['allocateLoadBalancerNodePorts'], true);
  assert.deepEqual(lb['sessionAffinityConfig'], { clientIP: { timeoutSeconds: 10800 } });
  assert.deepEqual(lb['ports'], [{ port: 443, protocol: 'TCP', targetPort: 'https' }]);
  const headless = created({ clusterIP: 'None' })['spec'] as Record<string, unknown>;
  assert.equal(headless['ipFamilyPolicy'], 'RequireDualStack');
  assert.deepEqual(headless['clusterIPs'], ['None']);
});

const invalidCases: { name: string; spec: Record<string, unknown>; want: string }[] = [
  { name: 'ports required', spec: { selector: { a: 'b' } }, want: 'spec.ports: Required value' },
  {
    name: 'port range',
    spec: { ports: [{ port: 0 }] },
    want: 'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
  },
  {
    name: 'names required with several ports',
    spec: { ports: [{ port: 80 }, { name: 'b', port: 81 }] },
    want: 'spec.ports[0].name: Required value',
  },
  {
    name: 'duplicate port',
    spec: {
      ports: [
        { name: 'a', port: 80 },
        { name: 'b', port: 80 },
      ],
    },
    want: 'spec.ports[1]: Duplicate value: {"Name":"","Protocol":"TCP","AppProtocol":null,"Port":80,"TargetPort":0,"NodePort":0}',
  },
  {
    name: 'type',
    spec: { type: 'Magic', ports: [{ port: 80 }] },
    want: 'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
  },
  { name: 'external name required', spec: { type: 'ExternalName' }, want: 'spec.externalName: Required value' },
  {
    name: 'node port on ClusterIP',
    spec: { ports: [{ port: 80, nodePort: 30000 }] },
    want: "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
  },
  {
    name: 'session affinity',
    spec: { ports: [{ port: 80 }], sessionAffinity: 'Sticky' },
    want: 'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"',
  },
];

for (const c of invalidCases) {
  test(`service validation: ${c.name}`, () => {
    const s = svc(c.spec);
    serviceStrategy.defaults?.(s);
    const got = show(serviceStrategy.validate?.(s) ?? []);
    assert.ok(got.includes(c.want), `want ${c.want}\ngot ${got.join('\n')}`);
  });
}

test('cluster IP is kept when omitted and may not change', () => {
  const old = created({ ports: [{ port: 80 }], clusterIP: '10.96.0.10' });
  const omitted = svc({ ports: [{ port: 80 }] });
  serviceStrategy.defaults?.(omitted);
  serviceStrategy.prepareForUpdate?.(omitted, old);
  assert.equal((omitted['spec'] as Record<string, unknown>)['clusterIP'], '10.96.0.10');
  assert.deepEqual(serviceStrategy.validateUpdate?.(omitted, old), []);
  const moved = structuredClone(old);
  Object.assign(moved['spec'] as Record<string, unknown>, { clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'] });
  assert.deepEqual(show(serviceStrategy.validateUpdate?.(moved, old) ?? []), [
    'spec.clusterIPs[0]: Invalid value: "10.96.0.11": may not change once set',
  ]);
});

test('a type change drops what only the old type had (dropTypeDependentFields), unless the update set it', () => {
  const old = created({ type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30080 }], clusterIP: '10.96.0.10', loadBalancerClass: 'x' });
  (old['status'] as Record<string, unknown>)['loadBalancer'] = { ingress: [{ ip: '10.0.0.1', ipMode: 'VIP' }] };
  const toClusterIP = structuredClone(old);
  (toClusterIP['spec'] as Record<string, unknown>)['type'] = 'ClusterIP';
  serviceStrategy.defaults?.(toClusterIP);
  serviceStrategy.prepareForUpdate?.(toClusterIP, old);
  const spec = toClusterIP['spec'] as Record<string, unknown>;
  assert.deepEqual(spec['ports'], [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
  assert.deepEqual(
    ['externalTrafficPolicy', 'allocateLoadBalancerNodePorts', 'loadBalancerClass'].filter((f) => f in spec),
    [],
  );
  assert.deepEqual(toClusterIP['status'], { loadBalancer: {} });
  assert.deepEqual(serviceStrategy.validateUpdate?.(toClusterIP, old), []);

  const toNodePort = structuredClone(old);
  (toNodePort['spec'] as Record<string, unknown>)['type'] = 'NodePort';
  serviceStrategy.prepareForUpdate?.(toNodePort, old);
  assert.equal((toNodePort['spec'] as { ports: Array<Record<string, unknown>> }).ports[0]?.['nodePort'], 30080);
  assert.deepEqual(toNodePort['status'], { loadBalancer: {} });

  // a node port the update itself asks for stays (and validation has its say)
  const own = structuredClone(old);
  Object.assign(own['spec'] as Record<string, unknown>, {
    type: 'ClusterIP',
    ports: [{ port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30099 }],
  });
  serviceStrategy.prepareForUpdate?.(own, old);
  assert.equal((own['spec'] as { ports: Array<Record<string, unknown>> }).ports[0]?.['nodePort'], 30099);
});

test('service rows', () => {
  const table: { spec: Record<string, unknown>; status?: Record<string, unknown>; want: unknown[] }[] = [
    {
      spec: { type: 'ClusterIP', clusterIPs: ['10.96.0.1'], ports: [{ port: 443, protocol: 'TCP' }] },
      want: ['s', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '3h', '<none>'],
    },
    {
      spec: {
        type: 'NodePort',
        clusterIPs: ['10.96.0.2'],
        ports: [
          { port: 80, nodePort: 30080, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
        selector: { b: '2', a: '1' },
      },
      want: ['s', 'NodePort', '10.96.0.2', '<none>', '80:30080/TCP,53/UDP', '3h', 'a=1,b=2'],
    },
    {
      spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.3'], ports: [] },
      want: ['s', 'LoadBalancer', '10.96.0.3', '<pending>', '<none>', '3h', '<none>'],
    },
    {
      spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.3'], externalIPs: ['1.2.3.4'] },
      status: { loadBalancer: { ingress: [{ ip: '5.6.7.8' }] } },
      want: ['s', 'LoadBalancer', '10.96.0.3', '5.6.7.8,1.2.3.4', '<none>', '3h', '<none>'],
    },
    {
      spec: { type: 'ExternalName', externalName: 'example.com' },
      want: ['s', 'ExternalName', '<none>', 'example.com', '<none>', '3h', '<none>'],
    },
  ];
  for (const c of table) assert.deepEqual(servicePrinter.row(svc(c.spec, c.status), NOW), c.want);
  assert.deepEqual(
    servicePrinter.columns.map((c) => c.name),
    ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector'],
  );
  assert.equal(servicePrinter.columns[6]?.priority, 1);
});
