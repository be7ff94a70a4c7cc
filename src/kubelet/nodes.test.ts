import assert from 'node:assert/strict';
import { test } from 'node:test';
import { podNetworkWaitMs } from './nodes.js';

test('podNetworkWaitMs: pods wait for the pod network as each kind of node needs', () => {
  const cases: [string, Parameters<typeof podNetworkWaitMs>[0], number][] = [
    ['podCIDR set, network written', { podCIDR: '10.244.1.0/24', networkReady: true, waitMs: 3000, sinceRegisteredMs: 0 }, 0],
    ['podCIDR set, conflist not yet written', { podCIDR: '10.244.1.0/24', networkReady: false, waitMs: 3000, sinceRegisteredMs: 9e9 }, 250],
    ['simulated: no podCIDR yet, just registered', { networkReady: true, waitMs: 3000, sinceRegisteredMs: 0 }, 250],
    ['simulated: no podCIDR, almost out of patience', { networkReady: true, waitMs: 3000, sinceRegisteredMs: 2900 }, 100],
    ['simulated: no podCIDR after the wait: the fallback range', { networkReady: true, waitMs: 3000, sinceRegisteredMs: 3000 }, 0],
    ['real: no podCIDR ever starts nothing', { networkReady: false, waitMs: Number.POSITIVE_INFINITY, sinceRegisteredMs: 9e9 }, 250],
  ];
  for (const [name, input, want] of cases) assert.equal(podNetworkWaitMs(input), want, name);
});
