// The scheduler against a real k8ts server: binds through pods/binding, records Scheduled and
// FailedScheduling Events with upstream messages, and ignores pods for other schedulers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EventsV1Broadcaster } from '../src/client/events-v1.js';
import { InformerFactory } from '../src/client/informer-factory.js';
import { HttpsClientset } from '../src/client/rest.js';
import { Scheduler } from '../src/scheduler/scheduler.js';
import { makeNode, makePod } from '../src/scheduler/testing/fixtures.js';
import { startServer, type TestServer } from './support/server.js';

const NAME = 'e2e-scheduler';
const pods = { group: '', version: 'v1', resource: 'pods' };
const nodes = { group: '', version: 'v1', resource: 'nodes' };
const events = { group: '', version: 'v1', resource: 'events' };
const eventsV1 = { group: 'events.k8s.io', version: 'v1', resource: 'events' };
let server: TestServer;
let cs: HttpsClientset;
const ac = new AbortController();
let broadcaster: EventsV1Broadcaster;

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const withoutUid = <T extends { metadata: { uid?: string } }>(o: T): T => {
  delete o.metadata.uid;
  return o;
};

before(async () => {
  server = await startServer();
  cs = HttpsClientset.fromKubeconfig(server.kubeconfig);
  const informers = new InformerFactory({ clientset: cs });
  broadcaster = new EventsV1Broadcaster({ client: cs.resource(eventsV1) });
  const recorder = broadcaster.newRecorder(NAME, `${NAME}-host`);
  const scheduler = new Scheduler({ clientset: cs, informers, recorder, schedulerName: NAME, signal: ac.signal });
  for (const n of ['node1', 'node2']) await cs.resource(nodes).create('', withoutUid(makeNode(n, { cpu: '2' })));
  void scheduler.run();
});

after(async () => {
  ac.abort();
  broadcaster?.shutdown();
  cs?.close();
  await server?.stop();
  await server?.cleanup();
});

test('schedules a pod and records Scheduled', async () => {
  await cs.resource(pods).create('default', withoutUid(makePod('web', { cpu: '500m', schedulerName: NAME })));
  const bound = await eventually('binding', async () => {
    const p = (await cs.resource(pods).get('default', 'web')) as unknown as { spec: { nodeName?: string } };
    return p.spec.nodeName || undefined;
  });
  assert.match(bound, /^node[12]$/);
  await broadcaster.flush();
  const ev = await eventually('Scheduled event', async () => {
    const list = await cs.resource(events).list('default');
    return list.items.find((e) => e['reason'] === 'Scheduled');
  });
  assert.equal(ev['message'], `Successfully assigned default/web to ${bound}`);
  // written through events.k8s.io/v1, as kube-scheduler does: core/v1 shows the reporting controller
  assert.deepEqual([ev['reportingComponent'], ev['reportingInstance'], ev['action']], [NAME, `${NAME}-host`, 'Binding']);
  const v1 = await cs.resource(eventsV1).get('default', ev.metadata.name ?? '');
  assert.deepEqual(
    [v1['note'], v1['reportingController'], v1['action']],
    [`Successfully assigned default/web to ${bound}`, NAME, 'Binding'],
  );
});

test('an unschedulable pod gets FailedScheduling and a PodScheduled=False condition', async () => {
  await cs.resource(pods).create('default', withoutUid(makePod('huge', { cpu: '3', schedulerName: NAME })));
  const cond = await eventually('condition', async () => {
    const p = (await cs.resource(pods).get('default', 'huge')) as { status?: { conditions?: Record<string, string>[] } };
    return p.status?.conditions?.find((c) => c['type'] === 'PodScheduled');
  });
  const msg =
    '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.';
  assert.equal(cond['status'], 'False');
  assert.equal(cond['reason'], 'Unschedulable');
  assert.equal(cond['message'], msg);
  await broadcaster.flush();
  const ev = await eventually('FailedScheduling event', async () => {
    const list = await cs.resource(events).list('default');
    return list.items.find((e) => e['reason'] === 'FailedScheduling');
  });
  assert.equal(ev['message'], msg);
  assert.equal(ev['type'], 'Warning');
});

test('pods for another scheduler are left alone', async () => {
  await cs.resource(pods).create('default', withoutUid(makePod('foreign', { schedulerName: 'someone-else' })));
  await new Promise((r) => setTimeout(r, 1000));
  const p = (await cs.resource(pods).get('default', 'foreign')) as unknown as { spec: { nodeName?: string } };
  assert.equal(p.spec.nodeName, undefined);
});
