import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { ingressPrinter, ingressStrategy } from './ingress.js';
import { ingressClassPrinter, ingressClassStrategy } from './ingressclass.js';
import { networkPolicyPrinter, networkPolicyStrategy } from './networkpolicy.js';

const NOW = Date.parse('2024-01-01T00:00:30Z');
const meta = { name: 'x', namespace: 'ns', creationTimestamp: '2024-01-01T00:00:00Z' };
const backend = { service: { name: 'web', port: { number: 80 } } };
const msgs = (errs: { field: string; message: string }[] | undefined): string[] => (errs ?? []).map((e) => `${e.field}: ${e.message}`);

function ingress(spec: Record<string, unknown>): KubeObject {
  return { metadata: { ...meta }, spec };
}

const ingressCases: { name: string; spec: Record<string, unknown>; want: string[] }[] = [
  { name: 'valid', spec: { rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }] }, want: [] },
  { name: 'empty', spec: {}, want: ['spec: Invalid value: null: either `defaultBackend` or `rules` must be specified'] },
  {
    name: 'path not absolute',
    spec: { rules: [{ http: { paths: [{ path: 'api', pathType: 'Exact', backend }] } }] },
    want: ['spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path'],
  },
  {
    name: 'pathType missing',
    spec: { rules: [{ http: { paths: [{ path: '/', backend }] } }] },
    want: ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified'],
  },
  {
    name: 'pathType bad',
    spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Regex', backend }] } }] },
    want: [
      'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
    ],
  },
  {
    name: 'IP host',
    spec: { defaultBackend: backend, rules: [{ host: '1.2.3.4' }] },
    want: ['spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address'],
  },
  {
    name: 'no port',
    spec: { defaultBackend: { service: { name: 'web', port: {} } } },
    want: ['spec.defaultBackend: Required value: port name or number is required'],
  },
  {
    name: 'no backend kind',
    spec: { defaultBackend: {} },
    want: ['spec.defaultBackend: Invalid value: "": resource or service backend is required'],
  },
];
for (const c of ingressCases) {
  test(`ingress validation: ${c.name}`, () => assert.deepEqual(msgs(ingressStrategy.validate?.(ingress(c.spec))), c.want));
}

test('ingress status and printer', () => {
  const ing = ingress({
    ingressClassName: 'nginx',
    tls: [{ hosts: ['a'] }],
    rules: ['a', 'b', '', 'c', 'd', 'e'].map((host) => ({ host })),
  });
  ingressStrategy.prepareForCreate?.(ing);
  assert.deepEqual(ing['status'], { loadBalancer: {} });
  ing['status'] = { loadBalancer: { ingress: [{ ip: '10.0.0.2' }, { hostname: 'lb.example' }, { ip: '10.0.0.2' }] } };
  assert.deepEqual(
    ingressPrinter.columns.map((c) => c.name),
    ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age'],
  );
  assert.deepEqual(ingressPrinter.row(ing, NOW), ['x', 'nginx', 'a,b,c,d + 2 more...', '10.0.0.2,lb.example', '80, 443', '30s']);
  assert.deepEqual(ingressPrinter.row(ingress({}), NOW).slice(1, 5), ['<none>', '*', '', '80']);
});

test('ingressclass defaults, validation, printer', () => {
  const ic: KubeObject = {
    metadata: { name: 'nginx' },
    spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'p' } },
  };
  ingressClassStrategy.defaults?.(ic);
  assert.equal((ic['spec'] as { parameters: { scope: string } }).parameters.scope, 'Cluster');
  assert.deepEqual(ingressClassStrategy.validate?.(ic), []);
  assert.deepEqual(ingressClassPrinter.row(ic, NOW).slice(0, 3), ['nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/p']);
  const bad: KubeObject = { metadata: { name: 'b' }, spec: { controller: 'nginx' } };
  assert.deepEqual(msgs(ingressClassStrategy.validate?.(bad)), [
    'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
  ]);
  const changed: KubeObject = { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/other' } };
  assert.deepEqual(msgs(ingressClassStrategy.validateUpdate?.(changed, ic)), [
    'spec.controller: Invalid value: "k8s.io/other": field is immutable',
  ]);
});

test('networkpolicy defaults', () => {
  const np: KubeObject = { metadata: { ...meta }, spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] } };
  networkPolicyStrategy.defaults?.(np);
  assert.deepEqual(np['spec'], {
    podSelector: {},
    egress: [{ ports: [{ port: 53, protocol: 'TCP' }] }],
    policyTypes: ['Ingress', 'Egress'],
  });
  const ingressOnly: KubeObject = { metadata: { ...meta }, spec: { podSelector: {} } };
  networkPolicyStrategy.defaults?.(ingressOnly);
  assert.deepEqual((ingressOnly['spec'] as Record<string, unknown>)['policyTypes'], ['Ingress']);
});

test('networkpolicy validation and printer', () => {
  const np: KubeObject = {
    metadata: { ...meta },
    spec: {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }, {}], ports: [{ protocol: 'ICMP', port: 5432 }] }],
      policyTypes: ['Ingress'],
    },
  };
  assert.deepEqual(msgs(networkPolicyStrategy.validate?.(np)), [
    'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    'spec.ingress[0].from[1]: Required value: must specify a peer',
  ]);
  assert.deepEqual(
    networkPolicyPrinter.columns.map((c) => c.name),
    ['Name', 'Pod-Selector', 'Age'],
  );
  assert.deepEqual(networkPolicyPrinter.row(np, NOW), ['x', 'app=db', '30s']);
  assert.deepEqual(networkPolicyPrinter.row({ metadata: { name: 'y' }, spec: { podSelector: {} } }, NOW).slice(0, 2), ['y', '<none>']);
});
