import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventRecorder, ResourceClient } from './interface.js';
import { LeaderElectionConfigError, LeaderElector, type LeaderElectorOptions } from './leader-election.js';
import type { LeaseSpec } from './leader-election-lease-lock.js';
import { FakeClientset } from './testing/fake-clientset.js';
import { FakeClock } from './testing/fake-clock.js';
import type { KubeObject } from '../machinery/object.js';
import { newConflict, OBJECT_MODIFIED } from '../machinery/errors.js';
import { rfc3339Micro } from '../machinery/time.js';

const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };

/** A view of the shared fake whose requests fail while `partitioned` is set. */
function partitionable(inner: ResourceClient): { client: ResourceClient; partitioned: boolean } {
  const handle = { partitioned: false, client: undefined as unknown as ResourceClient };
  const guard = <T>(fn: () => Promise<T>): Promise<T> => (handle.partitioned ? Promise.reject(new Error('connect ECONNREFUSED')) : fn());
  handle.client = {
    get: (ns, name) => guard(() => inner.get(ns, name)),
    list: (ns, o) => guard(() => inner.list(ns, o)),
    watch: (ns, o, on, signal) => inner.watch(ns, o, on, signal),
    create: (ns, obj, o) => guard(() => inner.create(ns, obj, o)),
    update: (ns, obj, o) => guard(() => inner.update(ns, obj, o)),
    updateStatus: (ns, obj, o) => guard(() => inner.updateStatus(ns, obj, o)),
    patch: (ns, name, t, p, o) => guard(() => inner.patch(ns, name, t, p, o)),
    delete: (ns, name, o) => guard(() => inner.delete(ns, name, o)),
    createSubresource: (ns, name, sub, body) => guard(() => inner.createSubresource(ns, name, sub, body)),
  };
  return handle;
}

interface Candidate {
  elector: LeaderElector;
  net: { partitioned: boolean };
  abort: AbortController;
  done: Promise<void>;
  started: AbortSignal[];
  stopped: number;
  leaders: string[];
}

function candidate(
  cluster: FakeClientset,
  clock: FakeClock,
  identity: string,
  extra: Partial<LeaderElectorOptions> & { campaign?: boolean } = {},
): Candidate {
  const net = partitionable(cluster.resource(LEASES));
  const c = { net, abort: new AbortController(), started: [], stopped: 0, leaders: [] } as unknown as Candidate;
  c.elector = new LeaderElector({
    client: net.client,
    name: 'kube-controller-manager',
    identity,
    clock,
    log: () => {},
    onStartedLeading: (signal) => void c.started.push(signal),
    onStoppedLeading: () => void c.stopped++,
    onNewLeader: (id) => void c.leaders.push(id),
    ...extra,
  });
  c.done = extra.campaign ? c.elector.campaign(c.abort.signal) : c.elector.run(c.abort.signal);
  return c;
}

function lease(cluster: FakeClientset): KubeObject & { spec: LeaseSpec } {
  const obj = cluster.tracker.get(LEASES, 'kube-system', 'kube-controller-manager');
  assert.ok(obj, 'the Lease exists');
  return obj as KubeObject & { spec: LeaseSpec };
}

const MICROTIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

describe('LeaderElector', () => {
  it('the first candidate creates the Lease and leads; the second waits while it is renewed', async () => {
    const clock = new FakeClock();
    const cluster = new FakeClientset();
    const a = candidate(cluster, clock, 'a');
    await clock.step(0);
    const b = candidate(cluster, clock, 'b');
    await clock.step(0);
    assert.equal(a.started.length, 1);
    assert.equal(a.elector.isLeader(), true);
    assert.equal(b.elector.isLeader(), false);
    const first = lease(cluster);
    assert.equal(first.apiVersion, 'coordination.k8s.io/v1');
    assert.equal(first.kind, 'Lease');
    assert.deepEqual(
      { ...first.spec, acquireTime: undefined, renewTime: undefined },
      { holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0, acquireTime: undefined, renewTime: undefined },
    );
    assert.match(first.spec.acquireTime ?? '', MICROTIME);
    assert.equal(first.spec.acquireTime, rfc3339Micro(clock.now()));

    for (let i = 0; i < 30; i++) await clock.step(2000);
    assert.equal(b.started.length, 0, 'b never leads while a renews');
    assert.equal(a.started.length, 1);
    const later = lease(cluster);
    assert.equal(later.spec.holderIdentity, 'a');
    assert.equal(later.spec.acquireTime, first.spec.acquireTime, 'renewals keep acquireTime');
    assert.notEqual(later.spec.renewTime, first.spec.renewTime);
    assert.ok(Date.parse(later.spec.renewTime ?? '') >= clock.now() - 4000, 'renewed within the last retry periods');
    assert.deepEqual(b.leaders, ['a']);

    a.abort.abort();
    b.abort.abort();
    await Promise.all([a.done, b.done]);
  });

  it('a partitioned leader stops leading after the renew deadline; the other takes over after expiry', async () => {
    const clock = new FakeClock();
    const cluster = new FakeClientset();
    const a = candidate(cluster, clock, 'a');
    await clock.step(0);
    const b = candidate(cluster, clock, 'b');
    await clock.step(4000);
    assert.equal(a.elector.isLeader(), true);

    a.net.partitioned = true;
    const cutAt = clock.now();
    let aStoppedAt = 0;
    let bStartedAt = 0;
    let aAbortedWhenBStarted = false;
    while (clock.now() - cutAt < 40_000 && (aStoppedAt === 0 || bStartedAt === 0)) {
      await clock.step(250);
      if (!aStoppedAt && a.stopped) aStoppedAt = clock.now();
      if (!bStartedAt && b.started.length) {
        bStartedAt = clock.now();
        aAbortedWhenBStarted = a.started[0]?.aborted ?? false;
      }
    }
    await a.done;
    assert.ok(aStoppedAt > 0, 'a stopped leading');
    assert.ok(
      aStoppedAt - cutAt <= 2000 + 10_000 + 10_000 + 500,
      `a gave up within retry + renew deadline (+ wind-down), took ${aStoppedAt - cutAt} ms`,
    );
    assert.equal(a.started[0]?.aborted, true, "a's leading signal is aborted");
    assert.equal(a.elector.isLeader(), false);
    assert.ok(bStartedAt > 0, 'b took over');
    assert.ok(bStartedAt - cutAt >= 13_000, `b waited for the lease to expire, took ${bStartedAt - cutAt} ms`);
    assert.equal(aAbortedWhenBStarted, true, 'never two leaders at once');
    const spec = lease(cluster).spec;
    assert.equal(spec.holderIdentity, 'b');
    assert.equal(spec.leaseTransitions, 1, 'a takeover counts a transition');
    assert.ok(Date.parse(spec.acquireTime ?? '') >= cutAt + 13_000);
    b.abort.abort();
    await b.done;
  });

  it('a renewal that fails briefly (shorter than the renew deadline) keeps leadership', async () => {
    const clock = new FakeClock();
    const cluster = new FakeClientset();
    const a = candidate(cluster, clock, 'a');
    await clock.step(2000);
    a.net.partitioned = true;
    await clock.step(6000);
    a.net.partitioned = false;
    await clock.step(20_000);
    assert.equal(a.stopped, 0);
    assert.equal(a.started[0]?.aborted, false);
    assert.equal(a.elector.isLeader(), true);
    a.abort.abort();
    await a.done;
  });

  it('releases the Lease on abort (no holder, 1 s) so the other candidate takes over at once', async () => {
    const clock = new FakeClock();
    const cluster = new FakeClientset();
    const a = candidate(cluster, clock, 'a');
    await clock.step(0);
    const b = candidate(cluster, clock, 'b');
    await clock.step(3000);
    a.abort.abort();
    await clock.step(0);
    await a.done;
    assert.equal(a.stopped, 1);
    assert.equal(a.started[0]?.aborted, true);
    const released = lease(cluster).spec;
    assert.equal(released.holderIdentity, '');
    assert.equal(released.leaseDurationSeconds, 1);
    const abortedAt = clock.now();
    while (!b.started.length && clock.now() - abortedAt < 10_000) await clock.step(100);
    assert.ok(clock.now() - abortedAt <= 2000 * (1 + 1.2) + 100, 'b acquires within one jittered retry period');
    assert.equal(lease(cluster).spec.holderIdentity, 'b');
    assert.equal(lease(cluster).spec.leaseTransitions, 1);
    b.abort.abort();
    await b.done;
  });

  it('campaigns again after losing the Lease, and leads once it is free', async () => {
    const clock = new FakeClock();
    const cluster = new FakeClientset();
    const a = candidate(cluster, clock, 'a', { campaign: true });
    await clock.step(3000);
    assert.equal(a.elector.isLeader(), true);
    // another party takes the Lease for an hour (as an operator or a benchmark may)
    const taken = lease(cluster);
    await cluster
      .resource(LEASES)
      .update('kube-system', { ...taken, spec: { ...taken.spec, holderIdentity: 'other', leaseDurationSeconds: 3600 } });
    for (let i = 0; i < 100 && !a.started[0]?.aborted; i++) await clock.step(500);
    assert.equal(a.started[0]?.aborted, true, 'a stopped leading');
    await clock.step(20_000);
    assert.equal(a.started.length, 1, 'no leadership while the Lease is held');
    const held = lease(cluster);
    await cluster.resource(LEASES).update('kube-system', { ...held, spec: { ...held.spec, holderIdentity: '', leaseDurationSeconds: 1 } });
    for (let i = 0; i < 100 && a.started.length < 2; i++) await clock.step(500);
    assert.equal(a.started.length, 2, 'a leads again');
    assert.equal(lease(cluster).spec.holderIdentity, 'a');
    a.abort.abort();
    await clock.step(0);
    await a.done;
  });

  it('a 409 Conflict fails the attempt and is retried next period', async () => {
    const clock = new FakeClock();
    const cluster = new FakeClientset();
    await cluster.resource(LEASES).create('kube-system', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'kube-controller-manager', namespace: 'kube-system' },
      spec: { holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 4 },
    });
    let conflicts = 1;
    cluster.reactor = (action) => {
      if (action.verb === 'update' && conflicts-- > 0) throw newConflict(LEASES, 'kube-controller-manager', OBJECT_MODIFIED);
    };
    const a = candidate(cluster, clock, 'a');
    await clock.step(0);
    assert.equal(a.started.length, 0, 'the first update conflicted');
    await clock.step(4400);
    assert.equal(a.started.length, 1);
    assert.equal(lease(cluster).spec.leaseTransitions, 5);
    a.abort.abort();
    await a.done;
  });

  it('records LeaderElection events on the Lease and calls onStoppedLeading even without leading', async () => {
    const clock = new FakeClock();
    const cluster = new FakeClientset();
    const events: string[] = [];
    const recorder: EventRecorder = { event: (obj, type, reason, message) => events.push(`${obj.kind} ${type} ${reason} ${message}`) };
    const a = candidate(cluster, clock, 'a', { recorder });
    await clock.step(0);
    const b = candidate(cluster, clock, 'b');
    await clock.step(0);
    a.abort.abort();
    b.abort.abort();
    await Promise.all([a.done, b.done]);
    assert.deepEqual(events, ['Lease Normal LeaderElection a became leader', 'Lease Normal LeaderElection a stopped leading']);
    assert.equal(b.stopped, 1);
    assert.equal(b.started.length, 0);
  });

  const invalid: [string, Partial<LeaderElectorOptions>, string][] = [
    ['lease not above renew', { leaseDurationSeconds: 10, renewDeadlineSeconds: 10 }, 'leaseDuration must be greater than renewDeadline'],
    [
      'renew not above jittered retry',
      { renewDeadlineSeconds: 4, retryPeriodSeconds: 4 },
      'renewDeadline must be greater than retryPeriod*JitterFactor',
    ],
    ['empty identity', { identity: '' }, 'Lock identity is empty'],
  ];
  for (const [name, options, want] of invalid) {
    it(`rejects a config with ${name}`, () => {
      assert.throws(
        () =>
          new LeaderElector({
            client: new FakeClientset().resource(LEASES),
            name: 'x',
            identity: 'a',
            onStartedLeading: () => {},
            ...options,
          }),
        (err: unknown) => err instanceof LeaderElectionConfigError && err.message === want,
      );
    });
  }
});
