import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type EventV1, EventsV1Broadcaster, SERIES_FINISH_MS, SERIES_REFRESH_MS } from './events-v1.js';
import { NanoTimestamps } from './events-correlator.js';
import { FakeClientset } from './testing/fake-clientset.js';
import { FakeClock } from './testing/fake-clock.js';
import { newNotFound } from '../machinery/errors.js';
import type { KubeObject } from '../machinery/object.js';

const EVENTS = { group: 'events.k8s.io', version: 'v1', resource: 'events' };

const pod = (name: string, rv = '7'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'web', uid: `uid-${name}`, resourceVersion: rv },
});

function setup() {
  const clock = new FakeClock(Date.UTC(2024, 5, 1, 12, 0, 0));
  const cluster = new FakeClientset();
  const client = cluster.resource(EVENTS);
  const logs: string[] = [];
  const broadcaster = new EventsV1Broadcaster({ client, clock, nanos: new NanoTimestamps(), log: (m) => logs.push(m), retrySleepMs: 1000 });
  const recorder = broadcaster.newRecorder('default-scheduler', 'default-scheduler-host1');
  const events = () => cluster.tracker.list(EVENTS) as EventV1[];
  const verbs = () => cluster.actions.map((a) => a.verb);
  return { clock, cluster, client, logs, broadcaster, recorder, events, verbs };
}

describe('EventsV1Broadcaster', () => {
  it('creates an events.k8s.io/v1 Event as kube-scheduler does', async () => {
    const { broadcaster, recorder, events } = setup();
    recorder.eventf(pod('nginx'), undefined, 'Normal', 'Scheduled', 'Binding', 'Successfully assigned web/nginx to node-1');
    await broadcaster.flush();
    const [e] = events();
    assert.ok(e);
    assert.match(e.metadata.name ?? '', /^nginx\.[0-9a-f]{16}$/);
    assert.equal(e.metadata.namespace, 'web');
    assert.deepEqual(
      { ...e, metadata: undefined },
      {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: undefined,
        eventTime: '2024-06-01T12:00:00.000000Z',
        reportingController: 'default-scheduler',
        reportingInstance: 'default-scheduler-host1',
        action: 'Binding',
        reason: 'Scheduled',
        regarding: { kind: 'Pod', namespace: 'web', name: 'nginx', uid: 'uid-nginx', apiVersion: 'v1', resourceVersion: '7' },
        note: 'Successfully assigned web/nginx to node-1',
        type: 'Normal',
      },
    );
  });

  it('names the related object (a victim and its preemptor)', async () => {
    const { broadcaster, recorder, events } = setup();
    recorder.eventf(pod('victim'), pod('urgent', '9'), 'Normal', 'Preempted', 'Preempting', 'Preempted by pod uid-urgent on node n1');
    await broadcaster.flush();
    assert.deepEqual(events()[0]?.related, {
      kind: 'Pod',
      namespace: 'web',
      name: 'urgent',
      uid: 'uid-urgent',
      apiVersion: 'v1',
      resourceVersion: '9',
    });
  });

  it('turns a repeat into a series: the second patches count 2 onto the first, later ones wait for the finish', async () => {
    const { broadcaster, recorder, events, verbs, clock, cluster } = setup();
    const failed = (note: string) => recorder.eventf(pod('big'), undefined, 'Warning', 'FailedScheduling', 'Scheduling', note);
    failed('0/3 nodes are available: 3 Insufficient cpu.');
    await broadcaster.flush();
    await clock.step(10_000);
    failed('0/4 nodes are available: 4 Insufficient cpu.');
    await broadcaster.flush();
    assert.deepEqual(verbs(), ['create', 'patch']);
    assert.deepEqual(cluster.actions[1]?.body, { series: { count: 2, lastObservedTime: '2024-06-01T12:00:10.000000Z' } });
    const [e] = events();
    assert.equal(events().length, 1, 'one Event for the series');
    assert.equal(e?.note, '0/3 nodes are available: 3 Insufficient cpu.', 'the note is not part of the series key; the first stays');

    for (let i = 0; i < 3; i++) {
      await clock.step(1000);
      failed('again');
    }
    await broadcaster.flush();
    assert.deepEqual(verbs(), ['create', 'patch'], 'later repeats only count');
    await clock.step(SERIES_FINISH_MS * 2);
    await broadcaster.flush();
    assert.deepEqual(verbs(), ['create', 'patch', 'patch'], 'the finished series is written once more');
    assert.deepEqual(events()[0]?.series, { count: 5, lastObservedTime: '2024-06-01T12:00:13.000000Z' });

    failed('after the series');
    await broadcaster.flush();
    assert.equal(verbs().at(-1), 'create', 'a finished series is forgotten: the next one starts anew');
  });

  it('keeps apart Events that differ in reason, action, type or object version', async () => {
    const { broadcaster, recorder, verbs } = setup();
    recorder.eventf(pod('a'), undefined, 'Normal', 'Scheduled', 'Binding', 'm');
    recorder.eventf(pod('a'), undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'm');
    recorder.eventf(pod('a', '8'), undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'm');
    recorder.eventf(pod('b'), undefined, 'Normal', 'Scheduled', 'Binding', 'm');
    await broadcaster.flush();
    assert.deepEqual(verbs(), ['create', 'create', 'create', 'create']);
  });

  it('writes open series again every refresh period', async () => {
    const { broadcaster, recorder, verbs, clock } = setup();
    const again = () => recorder.eventf(pod('big'), undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'm');
    again();
    await broadcaster.flush();
    // a repeat every minute keeps the series open past the refresh time
    for (let t = 0; t < SERIES_REFRESH_MS + 60_000; t += 60_000) {
      await clock.step(60_000);
      again();
    }
    await broadcaster.flush();
    const patches = verbs().filter((v) => v === 'patch').length;
    assert.equal(patches, 2, 'the count-2 patch and one refresh');
  });

  it('creates the Event again when the one a series patches is gone', async () => {
    const { broadcaster, recorder, client, verbs, events, cluster } = setup();
    const again = () => recorder.eventf(pod('big'), undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'm');
    again();
    await broadcaster.flush();
    const name = events()[0]?.metadata.name ?? '';
    cluster.reactor = (a) => {
      if (a.verb === 'patch') throw newNotFound({ group: 'events.k8s.io', resource: 'events' }, name);
    };
    await client.delete('web', name);
    again();
    await broadcaster.flush();
    assert.deepEqual(verbs(), ['create', 'delete', 'patch', 'create']);
    assert.deepEqual(events()[0]?.series?.count, 2);
  });

  it('retries after transport errors and stops on shutdown', async () => {
    const { broadcaster, recorder, clock, events, logs, cluster } = setup();
    let failures = 1;
    cluster.reactor = () => {
      if (failures-- > 0) throw new Error('socket hang up');
    };
    recorder.eventf(pod('a'), undefined, 'Normal', 'Scheduled', 'Binding', 'm');
    await clock.step(2000);
    await broadcaster.flush();
    assert.equal(events().length, 1);
    assert.equal(logs.filter((l) => l.includes('may retry')).length, 1);
    broadcaster.shutdown();
    recorder.eventf(pod('b'), undefined, 'Normal', 'Scheduled', 'Binding', 'm');
    await broadcaster.flush();
    assert.equal(events().length, 1, 'nothing after shutdown');
    assert.equal(clock.pendingTimers, 0, 'the series timers are cancelled');
  });
});
