import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceAllocation } from './service-allocation.js';
import { RangeAllocator } from './range.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';

function svc(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
}

describe('RangeAllocator', () => {
  it('hands out every value once, then is full', () => {
    const r = new RangeAllocator(10, 5, 'values is 10-14');
    const got = new Set<number>();
    for (let i = 0; i < 5; i++) got.add(r.allocateNext());
    assert.deepEqual([...got].sort(), [10, 11, 12, 13, 14]);
    assert.throws(() => r.allocateNext(), /range is full/);
    r.release(12);
    assert.equal(r.allocateNext(), 12);
  });
  it('refuses values outside the range and taken ones', () => {
    const r = new RangeAllocator(10, 5, 'values is 10-14');
    assert.throws(() => r.allocate(15), /not in the valid range/);
    r.allocate(11);
    assert.throws(() => r.allocate(11), /already allocated/);
  });
});

describe('ServiceAllocation', () => {
  it('gives the first IP to no one but whoever asks for it', () => {
    const a = new ServiceAllocation({ serviceCIDR: '10.96.0.0/12' });
    assert.equal(a.firstIP, '10.96.0.1');
    const s = svc('kubernetes', { clusterIP: '10.96.0.1', ports: [{ port: 443 }] });
    a.beforeCreate(s, false);
    assert.deepEqual((s['spec'] as { clusterIPs: string[] }).clusterIPs, ['10.96.0.1']);
    const dup = svc('other', { clusterIP: '10.96.0.1' });
    assert.throws(
      () => a.beforeCreate(dup, false),
      (e) => isStatusError(e, 'Invalid') && /provided IP is already allocated/.test(e.message),
    );
  });
  it('allocates ClusterIPs and NodePorts, validates explicit ones, and rolls back', () => {
    const a = new ServiceAllocation({ serviceCIDR: '10.0.0.0/24', nodePortRange: '30000-30001' });
    const s = svc('np', { type: 'NodePort', ports: [{ port: 80 }, { port: 81, nodePort: 30001 }] });
    const rollback = a.beforeCreate(s, false);
    const spec = s['spec'] as { clusterIP: string; ports: { nodePort: number }[] };
    assert.match(spec.clusterIP, /^10\.0\.0\.\d+$/);
    assert.deepEqual(
      spec.ports.map((p) => p.nodePort),
      [30000, 30001],
    );
    assert.throws(
      () => a.beforeCreate(svc('bad', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }), false),
      (e) =>
        isStatusError(e, 'Invalid') &&
        /spec.ports\[0\].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-30001/.test(
          e.message,
        ),
    );
    rollback?.();
    const again = svc('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] });
    a.beforeCreate(again, false);
  });
  it('gives a LoadBalancer with externalTrafficPolicy Local a health check node port (an explicit one checked)', () => {
    const a = new ServiceAllocation({ serviceCIDR: '10.0.0.0/24', nodePortRange: '30000-30003' });
    const s = svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] });
    a.beforeCreate(s, false);
    const spec = s['spec'] as { ports: { nodePort: number }[]; healthCheckNodePort: number };
    const hc = spec.healthCheckNodePort;
    assert.ok(hc >= 30000 && hc <= 30003 && hc !== spec.ports[0]?.nodePort, `${hc}`);
    assert.throws(
      () => a.beforeCreate(svc('dup', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: hc }), false),
      (e) =>
        isStatusError(e, 'Invalid') && /spec.healthCheckNodePort: Invalid value: \d+: provided port is already allocated/.test(e.message),
    );
    const cluster = svc('cluster', { type: 'LoadBalancer', ports: [{ port: 80 }] });
    a.beforeCreate(cluster, false);
    assert.equal((cluster['spec'] as { healthCheckNodePort?: number }).healthCheckNodePort, undefined);
  });
  it('dry runs reserve nothing; headless and ExternalName get no IP', () => {
    const a = new ServiceAllocation({ serviceCIDR: '10.0.0.0/30' });
    a.beforeCreate(svc('d', { clusterIP: '10.0.0.2' }), true);
    a.beforeCreate(svc('e', { clusterIP: '10.0.0.2' }), false);
    const headless = svc('h', { clusterIP: 'None' });
    a.beforeCreate(headless, false);
    assert.equal((headless['spec'] as { clusterIP: string }).clusterIP, 'None');
    const ext = svc('x', { type: 'ExternalName', externalName: 'example.com' });
    a.beforeCreate(ext, false);
    assert.equal((ext['spec'] as { clusterIP?: string }).clusterIP, undefined);
  });
});
