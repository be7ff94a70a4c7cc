import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../machinery/object.js';
import { policyNamespace, policyPod, policyPodFingerprint } from './pod-info.js';

type Obj = Record<string, unknown>;
const pod = (spec: Obj, status: Obj, labels: Record<string, string> = { app: 'web' }): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', labels },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }], ...spec },
  status,
});
const running = { phase: 'Running', podIP: '10.0.0.2', podIPs: [{ ip: '10.0.0.2' }, { ip: 'fd00::2' }] };

describe('policyPod', () => {
  it('keeps the labels, the IPv4 pod IPs and the named container ports', () => {
    const spec = {
      containers: [
        { name: 'a', image: 'i', ports: [{ name: 'http', containerPort: 8080 }, { containerPort: 9090 }] },
        { name: 'b', image: 'i', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] },
      ],
    };
    assert.deepEqual(policyPod(pod(spec, running)), {
      namespace: 'default',
      name: 'web',
      labels: { app: 'web' },
      ips: ['10.0.0.2'],
      nodeName: 'n1',
      ports: [
        { name: 'http', port: 8080, protocol: 'TCP' },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ],
    });
  });

  const none: [string, KubeObject][] = [
    ['a host-network pod (its address is the node’s)', pod({ hostNetwork: true }, running)],
    ['a finished pod', pod({}, { ...running, phase: 'Succeeded' })],
    ['a failed pod', pod({}, { ...running, phase: 'Failed' })],
    ['a pod without an IP yet', pod({}, { phase: 'Pending' })],
    ['a pod with only an IPv6 address', pod({}, { phase: 'Running', podIP: 'fd00::2', podIPs: [{ ip: 'fd00::2' }] })],
  ];
  for (const [name, p] of none) it(`leaves out ${name}`, () => assert.equal(policyPod(p), undefined));

  it('fingerprints only what the rules read', () => {
    const a = pod({}, running);
    const ready = pod({}, { ...running, conditions: [{ type: 'Ready', status: 'True' }] });
    assert.equal(policyPodFingerprint(a), policyPodFingerprint(ready));
    assert.notEqual(policyPodFingerprint(a), policyPodFingerprint(pod({}, running, { app: 'db' })));
  });

  it('policyNamespace keeps the name and labels', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tools', labels: { team: 't' } } };
    assert.deepEqual(policyNamespace(ns), { name: 'tools', labels: { team: 't' } });
  });
});
