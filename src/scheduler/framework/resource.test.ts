import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makePod } from '../testing/fixtures.js';
import { computePodRequests, DEFAULT_MEMORY_REQUEST } from './resource.js';

const c = (name: string, cpu?: string, memory?: string, restartPolicy?: string) => ({
  name,
  resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } },
  restartPolicy,
});

test('computePodRequests: containers, init containers, sidecars and overhead as upstream', () => {
  const cases: { name: string; pod: Parameters<typeof makePod>[1]; cpu: number; memory: number; nonZeroCpu?: number }[] = [
    { name: 'sum of app containers', pod: { containers: [c('a', '100m', '1Mi'), c('b', '200m', '2Mi')] }, cpu: 300, memory: 3 << 20 },
    {
      name: 'init container larger than app sum wins',
      pod: { containers: [c('a', '100m')], initContainers: [c('i', '1', '1Mi')] },
      cpu: 1000,
      memory: 1 << 20,
    },
    { name: 'app sum larger than init', pod: { containers: [c('a', '2')], initContainers: [c('i', '1')] }, cpu: 2000, memory: 0 },
    {
      name: 'sidecar added to app sum and to later init containers',
      pod: { containers: [c('a', '100m')], initContainers: [c('s', '500m', undefined, 'Always'), c('i', '1')] },
      cpu: 1500,
      memory: 0,
    },
    {
      name: 'init container before the sidecar does not count it',
      pod: { containers: [c('a', '100m')], initContainers: [c('i', '700m'), c('s', '500m', undefined, 'Always')] },
      cpu: 700,
      memory: 0,
    },
    {
      name: 'overhead added',
      pod: { containers: [c('a', '100m')], overhead: { cpu: '250m', memory: '10Mi' } },
      cpu: 350,
      memory: 10 << 20,
    },
    { name: 'missing requests are 100m/200Mi when non-zero', pod: { containers: [c('a')] }, cpu: 0, memory: 0, nonZeroCpu: 100 },
  ];
  for (const tc of cases) {
    const r = computePodRequests(makePod('p', tc.pod));
    assert.equal(r.milliCPU, tc.cpu, `${tc.name}: cpu`);
    assert.equal(r.memory, tc.memory, `${tc.name}: memory`);
    if (tc.nonZeroCpu !== undefined) {
      const nz = computePodRequests(makePod('p', tc.pod), true);
      assert.equal(nz.milliCPU, tc.nonZeroCpu, `${tc.name}: non-zero cpu`);
      assert.equal(nz.memory, DEFAULT_MEMORY_REQUEST, `${tc.name}: non-zero memory`);
    }
  }
});
