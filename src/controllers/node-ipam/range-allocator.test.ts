import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../client/testing/fake-queue.js';
import { FakeRecorder } from '../../client/testing/fake-recorder.js';
import { CidrSet, formatIP, parseCIDR } from './cidr-set.js';
import { NODES, podCIDRsOf, RangeAllocator } from './range-allocator.js';

function setup(clusterCIDR?: string, nodeCIDRMaskSize?: number) {
  const cluster = new FakeClientset();
  const queue = new FakeQueue();
  const recorder = new FakeRecorder();
  const ipam = new RangeAllocator({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    newQueue: () => queue,
    recorder,
    clusterCIDR,
    nodeCIDRMaskSize,
  });
  const settle = () => drain(queue, (k) => ipam.sync(k), true);
  return { cluster, queue, ipam, recorder, settle };
}

const cidrOf = (cluster: FakeClientset, name: string) => podCIDRsOf(cluster.tracker.get(NODES, '', name)!);

describe('CidrSet', () => {
  const cases = [
    { cidr: '10.244.0.0/16', mask: undefined, first: ['10.244.0.0/24', '10.244.1.0/24'], max: 256 },
    { cidr: '10.0.0.0/8', mask: 16, first: ['10.0.0.0/16', '10.1.0.0/16'], max: 256 },
    { cidr: 'fd00:10:244::/56', mask: undefined, first: ['fd00:10:244::/64', 'fd00:10:244:1::/64'], max: 256 },
  ];
  for (const c of cases) {
    it(`allocates ${c.cidr} in /${c.mask ?? 'default'} steps`, () => {
      const set = new CidrSet(c.cidr, c.mask);
      assert.deepEqual([set.allocateNext(), set.allocateNext()], c.first);
      assert.equal(set.maxCIDRs, c.max);
    });
  }
  it('skips occupied subnets, reuses released ones and says when it is full', () => {
    const set = new CidrSet('10.0.0.0/30', 31);
    set.occupy('10.0.0.0/31');
    assert.equal(set.allocateNext(), '10.0.0.2/31');
    assert.throws(() => set.allocateNext(), { code: 'CIDRFull' });
    set.release('10.0.0.0/31');
    assert.equal(set.allocateNext(), '10.0.0.0/31');
    assert.throws(() => set.occupy('192.168.0.0/31'), { code: 'OutOfRange' });
  });
  it('parses and formats addresses', () => {
    assert.equal(formatIP(6, parseCIDR('2001:db8:0:0:1:0:0:0/128').base), '2001:db8:0:0:1::');
    assert.equal(formatIP(6, parseCIDR('2001:db8:0:0:1:0:0:1/128').base), '2001:db8::1:0:0:1');
    assert.throws(() => parseCIDR('10.0.0.300/8'), { code: 'InvalidCIDR' });
  });
});

describe('RangeAllocator', () => {
  it('gives each node its own /24 and keeps the ones already assigned', async () => {
    const { cluster, ipam, settle } = setup();
    cluster.tracker.put(NODES, { metadata: { name: 'old' }, spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] } });
    ipam.occupyExisting();
    for (const n of ['a', 'b']) cluster.tracker.put(NODES, { metadata: { name: n }, spec: {} });
    await settle();
    assert.deepEqual(cidrOf(cluster, 'a'), ['10.244.1.0/24']);
    assert.deepEqual(cidrOf(cluster, 'b'), ['10.244.2.0/24']);
    assert.equal((cluster.tracker.get(NODES, '', 'a')?.['spec'] as { podCIDR?: string } | undefined)?.podCIDR, '10.244.1.0/24');
    assert.deepEqual(cluster.writes(), ['patch nodes a', 'patch nodes b']);
  });

  it('releases the subnet of a deleted node for the next one', async () => {
    const { cluster, ipam, settle } = setup('10.0.0.0/23', 24);
    for (const n of ['a', 'b']) cluster.tracker.put(NODES, { metadata: { name: n }, spec: {} });
    await settle();
    assert.equal(ipam.sets[0]?.used, 2);
    cluster.tracker.remove(NODES, '', 'a');
    await settle();
    assert.equal(ipam.sets[0]?.used, 1);
    cluster.tracker.put(NODES, { metadata: { name: 'c' }, spec: {} });
    await settle();
    assert.deepEqual(cidrOf(cluster, 'c'), ['10.0.0.0/24']);
  });

  it('records CIDRNotAvailable when the range is exhausted', async () => {
    const { cluster, recorder, settle } = setup('10.0.0.0/24', 24);
    for (const n of ['a', 'b']) cluster.tracker.put(NODES, { metadata: { name: n }, spec: {} });
    const errors = await settle();
    assert.equal(errors.length, 1);
    assert.deepEqual(recorder.lines(), ['Normal CIDRNotAvailable Node b status is now: CIDRNotAvailable']);
  });

  it('allocates one subnet per family for dual stack', async () => {
    const { cluster, settle } = setup('10.244.0.0/16,fd00:10:244::/56');
    cluster.tracker.put(NODES, { metadata: { name: 'a' }, spec: {} });
    await settle();
    assert.deepEqual(cidrOf(cluster, 'a'), ['10.244.0.0/24', 'fd00:10:244::/64']);
  });
});
