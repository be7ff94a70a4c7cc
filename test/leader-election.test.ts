/**
 * Leader election end to end: two electors, each with its own HTTPS clientset, compete for a
 * coordination.k8s.io/v1 Lease on a real `k8ts server` — one leads at a time, a release hands
 * over at once, a vanished leader is replaced after the lease expires — and the LeaderElection
 * Events land in the Lease's namespace.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { EventBroadcaster } from '../src/client/events.js';
import type { EventRecorder, ResourceClient } from '../src/client/interface.js';
import { LeaderElector } from '../src/client/leader-election.js';
import type { LeaseSpec } from '../src/client/leader-election-lease-lock.js';
import { HttpsClientset } from '../src/client/rest.js';
import { startServer, type TestServer } from './support/server.js';

const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const EVENTS = { group: '', version: 'v1', resource: 'events' };
const MICROTIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

let server: TestServer;
const clientsets: HttpsClientset[] = [];

function clientset(): HttpsClientset {
  const cs = HttpsClientset.fromKubeconfig(server.kubeconfig);
  clientsets.push(cs);
  return cs;
}

interface Candidate {
  identity: string;
  elector: LeaderElector;
  abort: AbortController;
  done: Promise<void>;
  leading: AbortSignal | undefined;
  startedAt: number;
  stoppedAt: number;
}

function candidate(lease: string, identity: string, options: { releaseOnCancel?: boolean; recorder?: EventRecorder } = {}): Candidate {
  const c: Candidate = { identity, abort: new AbortController(), leading: undefined, startedAt: 0, stoppedAt: 0 } as Candidate;
  c.elector = new LeaderElector({
    client: clientset().resource(LEASES),
    name: lease,
    identity,
    leaseDurationSeconds: 3,
    renewDeadlineSeconds: 2,
    retryPeriodSeconds: 0.5,
    releaseOnCancel: options.releaseOnCancel ?? true,
    recorder: options.recorder,
    log: () => {},
    onStartedLeading: (signal) => {
      c.leading = signal;
      c.startedAt = Date.now();
    },
    onStoppedLeading: () => {
      c.stoppedAt = Date.now();
    },
  });
  c.done = c.elector.run(c.abort.signal);
  return c;
}

async function until(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(25);
  }
}

async function leaseSpec(leases: ResourceClient, name: string): Promise<LeaseSpec> {
  return (await leases.get('kube-system', name))['spec'] as LeaseSpec;
}

describe('leader election against k8ts server', () => {
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    for (const cs of clientsets) cs.close();
    await server?.stop();
    await server?.cleanup();
  });

  it('one leader at a time; release on abort hands the Lease over at once', async () => {
    const leases = clientset().resource(LEASES);
    const broadcaster = new EventBroadcaster({ client: clientset().resource(EVENTS), log: () => {} });
    const a = candidate('e2e-release', 'a', { recorder: broadcaster.newRecorder({ component: 'e2e-election' }) });
    await until('a leads', () => a.elector.isLeader());
    const b = candidate('e2e-release', 'b');
    await delay(1500);
    assert.equal(b.elector.isLeader(), false, 'b waits while a renews');
    assert.equal(b.startedAt, 0);

    const held = await leaseSpec(leases, 'e2e-release');
    assert.equal(held.holderIdentity, 'a');
    assert.equal(held.leaseDurationSeconds, 3);
    assert.equal(held.leaseTransitions, 0);
    assert.match(held.acquireTime ?? '', MICROTIME);
    assert.match(held.renewTime ?? '', MICROTIME);
    assert.ok(Date.now() - Date.parse(held.renewTime ?? '') < 1500, `renewed recently: ${held.renewTime}`);

    const abortedAt = Date.now();
    a.abort.abort();
    await a.done;
    assert.equal(a.leading?.aborted, true);
    assert.ok(a.stoppedAt > 0);
    await until('b leads', () => b.elector.isLeader(), 5000);
    assert.ok(b.startedAt - abortedAt < 2000, `b took over ${b.startedAt - abortedAt} ms after the release`);
    const taken = await leaseSpec(leases, 'e2e-release');
    assert.equal(taken.holderIdentity, 'b');
    assert.equal(taken.leaseTransitions, 1);

    await broadcaster.flush();
    const events = (await clientset().resource(EVENTS).list('kube-system')).items.filter(
      (e) => (e['involvedObject'] as { name?: string }).name === 'e2e-release',
    );
    assert.deepEqual(events.map((e) => `${e['reason']}: ${e['message']}`).sort(), [
      'LeaderElection: a became leader',
      'LeaderElection: a stopped leading',
    ]);
    assert.match(events[0]?.metadata.name ?? '', /^e2e-release\.[0-9a-f]{16}$/);

    b.abort.abort();
    await b.done;
    assert.equal((await leaseSpec(leases, 'e2e-release')).holderIdentity, '');
  });

  it('a leader that goes away without releasing is replaced once the Lease expires', async () => {
    const leases = clientset().resource(LEASES);
    const a = candidate('e2e-expiry', 'a', { releaseOnCancel: false });
    await until('a leads', () => a.elector.isLeader());
    const b = candidate('e2e-expiry', 'b');
    await delay(700);
    const goneAt = Date.now();
    a.abort.abort();
    await a.done;
    assert.equal((await leaseSpec(leases, 'e2e-expiry')).holderIdentity, 'a', 'not released');
    await until('b leads', () => b.elector.isLeader(), 10_000);
    const waited = b.startedAt - goneAt;
    assert.ok(waited >= 2000, `b waited for the 3 s lease to expire (${waited} ms)`);
    const spec = await leaseSpec(leases, 'e2e-expiry');
    assert.equal(spec.holderIdentity, 'b');
    assert.equal(spec.leaseTransitions, 1);
    b.abort.abort();
    await b.done;
  });

  it('candidates starting together on a fresh Lease elect exactly one leader', async () => {
    const all = ['x', 'y', 'z'].map((id) => candidate('e2e-race', id));
    await until('a leader', () => all.some((c) => c.elector.isLeader()));
    await delay(1500);
    const leaders = all.filter((c) => c.startedAt > 0).map((c) => c.identity);
    assert.equal(leaders.length, 1, `leaders: ${leaders.join(', ')}`);
    const spec = await leaseSpec(clientset().resource(LEASES), 'e2e-race');
    assert.equal(spec.holderIdentity, leaders[0]);
    for (const c of all) c.abort.abort();
    await Promise.all(all.map((c) => c.done));
  });
});
