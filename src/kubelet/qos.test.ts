import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../machinery/object.js';
import { containerOOMScoreAdjust, linuxContainerResources, milliCPUToQuota, milliCPUToShares, podQOS, QUOTA_PERIOD } from './qos.js';

type Obj = Record<string, unknown>;
const GiB = 1024 ** 3;

function pod(containers: Obj[], extra: Obj = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: { containers, ...extra } };
}

test('milliCPUToShares and milliCPUToQuota as upstream', () => {
  const shares: [number, number][] = [
    [0, 2],
    [1, 2],
    [100, 102],
    [250, 256],
    [1000, 1024],
    [1500, 1536],
    [1_000_000, 262144],
  ];
  for (const [m, want] of shares) assert.equal(milliCPUToShares(m), want, `${m}m`);
  const quotas: [number, number][] = [
    [0, 0],
    [5, 1000],
    [9, 1000],
    [10, 1000],
    [200, 20000],
    [500, 50000],
    [1000, 100000],
    [2500, 250000],
  ];
  for (const [m, want] of quotas) assert.equal(milliCPUToQuota(m, QUOTA_PERIOD), want, `${m}m`);
});

test('QoS classes: status.qosClass first, computed from the spec otherwise', () => {
  const guaranteed = pod([{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } } }]);
  const burstable = pod([{ name: 'a', resources: { requests: { memory: '1Gi' } } }]);
  const bestEffort = pod([{ name: 'a' }]);
  assert.equal(podQOS(guaranteed), 'Guaranteed');
  assert.equal(podQOS(burstable), 'Burstable');
  assert.equal(podQOS(bestEffort), 'BestEffort');
  assert.equal(podQOS({ ...bestEffort, status: { qosClass: 'Burstable' } }), 'Burstable');
});

test('oom_score_adj: -997 Guaranteed and node-critical, 1000 BestEffort, Burstable by memory request', () => {
  const g = { name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } } };
  assert.equal(containerOOMScoreAdjust(pod([g]), g, 8 * GiB), -997);
  const be = { name: 'a' };
  assert.equal(containerOOMScoreAdjust(pod([be]), be, 8 * GiB), 1000);
  assert.equal(containerOOMScoreAdjust(pod([be], { priorityClassName: 'system-node-critical' }), be, 8 * GiB), -997);
  const cases: [string | undefined, number][] = [
    ['4Gi', 500],
    ['1Gi', 875],
    ['8Gi', 3],
    ['16Gi', 3],
    ['1', 999],
    [undefined, 999],
  ];
  for (const [memory, want] of cases) {
    const c = { name: 'a', resources: { requests: { cpu: '100m', ...(memory ? { memory } : {}) } } };
    assert.equal(containerOOMScoreAdjust(pod([c]), c, 8 * GiB), want, String(memory));
  }
});

test('linuxContainerResources: shares from the request (or the limit), quota from the limit, the memory limit', () => {
  const c = { name: 'a', resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } } };
  assert.deepEqual(linuxContainerResources(pod([c]), c, 8 * GiB), {
    cpuShares: 256,
    cpuPeriod: 100000,
    cpuQuota: 50000,
    memoryLimitInBytes: 128 * 1024 * 1024,
    oomScoreAdj: 1000 - Math.floor((1000 * 64) / 8192),
  });
  const limitOnly = { name: 'a', resources: { limits: { cpu: '2' } } };
  const r = linuxContainerResources(pod([limitOnly]), limitOnly, 8 * GiB);
  assert.equal(r.cpuShares, 2048);
  assert.equal(r.cpuQuota, 200000);
  assert.equal(r.memoryLimitInBytes, undefined);
  const none = { name: 'a' };
  assert.deepEqual(linuxContainerResources(pod([none]), none, 8 * GiB), {
    cpuShares: 2,
    cpuPeriod: 100000,
    cpuQuota: 0,
    oomScoreAdj: 1000,
  });
});
