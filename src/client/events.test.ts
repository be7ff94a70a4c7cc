import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CoreEvent, EventBroadcaster, type EventBroadcasterOptions } from './events.js';
import { FakeClientset } from './testing/fake-clientset.js';
import { FakeClock } from './testing/fake-clock.js';
import { newForbidden, newNotFound } from '../machinery/errors.js';
import type { KubeObject } from '../machinery/object.js';

const EVENTS = { group: '', version: 'v1', resource: 'events' };

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'nginx', namespace: 'web', uid: 'u-1', resourceVersion: '42' },
};

function setup(options: Partial<EventBroadcasterOptions> = {}) {
  const clock = new FakeClock(Date.UTC(2024, 5, 1, 12, 0, 0));
  const cluster = new FakeClientset();
  const client = cluster.resource(EVENTS);
  const logs: string[] = [];
  const broadcaster = new EventBroadcaster({ client, clock, log: (m) => logs.push(m), ...options });
  const recorder = broadcaster.newRecorder({ component: 'deployment-controller' });
  const events = () => cluster.tracker.list(EVENTS) as CoreEvent[];
  const verbs = () => cluster.actions.map((a) => a.verb);
  return { clock, cluster, client, logs, broadcaster, recorder, events, verbs };
}

describe('EventBroadcaster', () => {
  it('creates a core/v1 Event as upstream builds it', async () => {
    const { broadcaster, recorder, events, clock } = setup();
    recorder.event(deployment, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set nginx-bdf578756 to 3 from 1');
    await broadcaster.flush();
    const [e] = events();
    assert.ok(e);
    assert.match(e.metadata.name ?? '', /^nginx\.[0-9a-f]{16}$/);
    assert.equal(BigInt(`0x${e.metadata.name?.slice(6)}`) / 1_000_000n, BigInt(clock.now()), 'a nanosecond timestamp');
    assert.equal(e.metadata.namespace, 'web');
    assert.deepEqual(
      { ...e, metadata: undefined },
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: undefined,
        involvedObject: { kind: 'Deployment', namespace: 'web', name: 'nginx', uid: 'u-1', apiVersion: 'apps/v1', resourceVersion: '42' },
        reason: 'ScalingReplicaSet',
        message: 'Scaled up replica set nginx-bdf578756 to 3 from 1',
        source: { component: 'deployment-controller' },
        firstTimestamp: '2024-06-01T12:00:00Z',
        lastTimestamp: '2024-06-01T12:00:00Z',
        count: 1,
        type: 'Normal',
        reportingComponent: 'deployment-controller',
        reportingInstance: '',
      },
    );
  });

  it('names the part of the object in involvedObject.fieldPath, and aggregates per part', async () => {
    const { broadcaster, recorder, events } = setup();
    recorder.event(deployment, 'Normal', 'Started', 'Started container a', 'spec.containers{a}');
    recorder.event(deployment, 'Normal', 'Started', 'Started container a', 'spec.containers{a}');
    recorder.event(deployment, 'Normal', 'Started', 'Started container a', 'spec.containers{b}');
    await broadcaster.flush();
    assert.deepEqual(
      events().map((e) => [e.involvedObject.fieldPath, e.count]),
      [
        ['spec.containers{a}', 2],
        ['spec.containers{b}', 1],
      ],
    );
  });

  it('puts Events about cluster-scoped objects in the default namespace', async () => {
    const { broadcaster, recorder, events } = setup();
    recorder.event(
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'n' } },
      'Warning',
      'NodeNotReady',
      'Node is not ready',
    );
    await broadcaster.flush();
    assert.equal(events()[0]?.metadata.namespace, 'default');
    assert.equal(events()[0]?.involvedObject.namespace, undefined);
  });

  it('patches count and lastTimestamp of an identical Event instead of creating another', async () => {
    const { broadcaster, recorder, events, clock, verbs, cluster } = setup();
    for (let i = 0; i < 3; i++) {
      recorder.event(deployment, 'Warning', 'FailedCreate', 'quota exceeded');
      await broadcaster.flush();
      await clock.step(61_000);
    }
    assert.deepEqual(verbs(), ['create', 'patch', 'patch']);
    const [e] = events();
    assert.equal(events().length, 1);
    assert.equal(e?.count, 3);
    assert.equal(e?.firstTimestamp, '2024-06-01T12:00:00Z');
    assert.equal(e?.lastTimestamp, '2024-06-01T12:02:02Z');
    assert.deepEqual(cluster.actions[2]?.body, { count: 3, lastTimestamp: '2024-06-01T12:02:02Z', message: 'quota exceeded' });
  });

  it('combines the 10th and later similar events (same reason, new messages) within 10 minutes', async () => {
    const { broadcaster, recorder, events, verbs, clock } = setup();
    for (let i = 1; i <= 12; i++) recorder.event(deployment, 'Warning', 'FailedCreate', `error ${i}`);
    await broadcaster.flush();
    assert.deepEqual(verbs(), [...Array(10).fill('create'), 'patch', 'patch']);
    const combined = events().filter((e) => e.message?.startsWith('(combined from similar events): '));
    assert.equal(combined.length, 1);
    assert.equal(combined[0]?.message, '(combined from similar events): error 12');
    assert.equal(combined[0]?.count, 3);

    await clock.step(601_000);
    recorder.event(deployment, 'Warning', 'FailedCreate', 'error 13');
    await broadcaster.flush();
    assert.equal(events().find((e) => e.message === 'error 13')?.count, 1, 'a new window starts after 10 minutes');
  });

  it('rate limits per source and object: burst 25, then one every 5 minutes', async () => {
    const { broadcaster, recorder, verbs, clock } = setup();
    const other: KubeObject = { ...deployment, metadata: { ...deployment.metadata, name: 'other', uid: 'u-2' } };
    for (let i = 0; i < 30; i++) recorder.event(deployment, 'Normal', `Reason${i}`, 'm');
    recorder.event(other, 'Normal', 'Reason', 'm');
    await broadcaster.flush();
    assert.equal(verbs().length, 26, '25 about nginx, 1 about other');
    await clock.step(300_000);
    recorder.event(deployment, 'Normal', 'A', 'm');
    recorder.event(deployment, 'Normal', 'B', 'm');
    await broadcaster.flush();
    assert.equal(verbs().length, 27);
  });

  it('never blocks callers: a bounded queue drops events past its size', async () => {
    const { broadcaster, recorder, logs, verbs, cluster } = setup({ maxQueuedEvents: 2 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    cluster.reactor = () => gate;
    for (let i = 0; i < 5; i++) recorder.event(deployment, 'Normal', `R${i}`, 'm');
    assert.equal(broadcaster.queued, 2, 'one in flight, two queued, two dropped');
    assert.equal(logs.filter((l) => l.startsWith('dropping event')).length, 1, 'the first drop of a burst is logged');
    release();
    await broadcaster.flush();
    assert.equal(verbs().length, 3);
    recorder.event(deployment, 'Normal', 'R5', 'm');
    assert.deepEqual(
      logs.filter((l) => l.startsWith('dropped ')),
      ['dropped 1 more event because the queue of 2 was full'],
      'the rest are summed up once there is room',
    );
  });

  it('retries transport errors after sleeping, up to the try limit', async () => {
    const { broadcaster, recorder, logs, clock, events, cluster } = setup({ maxTriesPerEvent: 3, retrySleepMs: 1000 });
    let failures = 2;
    cluster.reactor = () => {
      if (failures-- > 0) throw new Error('socket hang up');
    };
    recorder.event(deployment, 'Normal', 'R', 'm');
    await clock.step(3000);
    await broadcaster.flush();
    assert.equal(events().length, 1, 'written on the third try');
    assert.equal(logs.filter((l) => l.includes('may retry')).length, 2);

    cluster.reactor = () => {
      throw new Error('socket hang up');
    };
    recorder.event(deployment, 'Normal', 'R2', 'm');
    await clock.step(3000);
    await broadcaster.flush();
    assert.equal(logs.filter((l) => l.includes('retry limit exceeded')).length, 1);
  });

  it('does not retry an Event the server rejects, and never throws to the caller', async () => {
    const { broadcaster, recorder, logs, cluster } = setup();
    cluster.reactor = () => {
      throw newForbidden(EVENTS, '', 'User "x" cannot create resource "events"');
    };
    assert.doesNotThrow(() => recorder.event(deployment, 'Normal', 'R', 'm'));
    await broadcaster.flush();
    assert.equal(cluster.actions.length, 1);
    assert.equal(logs.filter((l) => l.includes('will not retry')).length, 1);
  });

  it('creates the Event again when the one to patch is gone', async () => {
    const { broadcaster, recorder, client, verbs, events, cluster } = setup();
    recorder.event(deployment, 'Normal', 'R', 'm');
    await broadcaster.flush();
    const name = events()[0]?.metadata.name ?? '';
    await client.delete('web', name);
    cluster.reactor = (a) => {
      if (a.verb === 'patch') throw newNotFound(EVENTS, name);
    };
    recorder.event(deployment, 'Normal', 'R', 'm');
    await broadcaster.flush();
    assert.deepEqual(verbs(), ['create', 'delete', 'patch', 'create']);
    assert.equal(events()[0]?.count, 2);
    assert.equal(events()[0]?.metadata.name, name);
  });

  it('gives every Event a distinct name even within one millisecond', async () => {
    const { broadcaster, recorder, events } = setup();
    for (let i = 0; i < 5; i++) recorder.event(deployment, 'Normal', `R${i}`, 'm');
    await broadcaster.flush();
    assert.equal(new Set(events().map((e) => e.metadata.name)).size, 5);
  });

  it('names Events of two components about one object in the same millisecond apart', async () => {
    // the scheduler's Preempted and the kubelet's Killing for a victim: one clock, one client
    const { broadcaster, recorder, events, clock, client } = setup();
    const kubelet = new EventBroadcaster({ client, clock, log: () => {} });
    recorder.event(deployment, 'Normal', 'Preempted', 'by the scheduler');
    kubelet.newRecorder({ component: 'kubelet', host: 'node-1' }).event(deployment, 'Normal', 'Killing', 'by the kubelet');
    await Promise.all([broadcaster.flush(), kubelet.flush()]);
    assert.deepEqual(
      events()
        .map((e) => e.reason)
        .sort(),
      ['Killing', 'Preempted'],
    );
  });

  it('ignores events after shutdown', async () => {
    const { broadcaster, recorder, cluster } = setup();
    broadcaster.shutdown();
    recorder.event(deployment, 'Normal', 'R', 'm');
    await broadcaster.flush();
    assert.equal(cluster.actions.length, 0);
  });
});
