import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { categorizeEndpoints } from './categorize-endpoints.js';
import type { Endpoint, ServicePort } from './interface.js';
import { endpoint, servicePort } from './testing/fixtures.js';

const port = servicePort;
const ep = endpoint;
const ips = (eps: readonly Endpoint[]) => eps.map((e) => e.ip);

describe('categorizeEndpoints', () => {
  const cases: { name: string; port: ServicePort; eps: Endpoint[]; cluster: string[]; local: string[]; all: string[] }[] = [
    {
      name: 'cluster policy: ready endpoints only',
      port: port(),
      eps: [ep('1'), ep('2', { ready: false, serving: false }), ep('3', { ready: false, serving: true, terminating: true })],
      cluster: ['1'],
      local: [],
      all: ['1'],
    },
    {
      name: 'no ready endpoint: the serving terminating ones',
      port: port(),
      eps: [ep('2', { ready: false, serving: false }), ep('3', { ready: false, serving: true, terminating: true })],
      cluster: ['3'],
      local: [],
      all: ['3'],
    },
    {
      name: 'internal Local: this node’s only',
      port: port({ internalPolicyLocal: true }),
      eps: [ep('1'), ep('2', { isLocal: true })],
      cluster: [],
      local: ['2'],
      all: ['2'],
    },
    {
      name: 'external Local on a NodePort: both, all reachable',
      port: port({ nodePort: 30000, externalPolicyLocal: true }),
      eps: [ep('1'), ep('2', { isLocal: true })],
      cluster: ['1', '2'],
      local: ['2'],
      all: ['1', '2'],
    },
    {
      name: 'local terminating fallback while remote ones are ready',
      port: port({ nodePort: 30000, externalPolicyLocal: true }),
      eps: [ep('1'), ep('2', { isLocal: true, ready: false, serving: true, terminating: true })],
      cluster: ['1'],
      local: ['2'],
      all: ['1', '2'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = categorizeEndpoints(c.port, c.eps);
      assert.deepEqual(
        { cluster: ips(got.cluster), local: ips(got.local), all: ips(got.allReachable) },
        { cluster: c.cluster, local: c.local, all: c.all },
      );
    });
  }
});
