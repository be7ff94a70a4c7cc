import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { condition, kubeletFixture, PODS } from './testing/kubelet-fixture.js';

type Obj = Record<string, unknown>;

/** A Kubelet on the fake runtime; `create` makes a one-container (nginx) BestEffort pod. */
const setup = () =>
  kubeletFixture({ pod: { spec: { containers: [{ name: 'nginx', image: 'nginx' }] }, status: { qosClass: 'BestEffort' } } });
const container = (status: Obj, i = 0, list = 'containerStatuses'): Obj => (status[list] as Obj[])[i] as Obj;
const state = (cs: Obj): Obj => cs['state'] as Obj;

describe('kubelet pod worker', () => {
  it('starts a pod: Pending → Running with IPs, conditions, container statuses and events', async () => {
    const t = setup();
    t.create();
    const st = await t.sync();
    assert.equal(st['phase'], 'Running');
    assert.match(st['podIP'] as string, /^10\.244\.1\.\d+$/);
    assert.deepEqual(st['podIPs'], [{ ip: st['podIP'] }]);
    assert.equal(st['hostIP'], '10.240.0.1');
    assert.deepEqual(st['hostIPs'], [{ ip: '10.240.0.1' }]);
    assert.equal(st['startTime'], '2024-01-01T00:00:00Z');
    assert.equal(st['qosClass'], 'BestEffort');
    assert.deepEqual(
      (st['conditions'] as Obj[]).map((c) => [c['type'], c['status'], c['lastTransitionTime']]),
      ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((c) => [
        c,
        'True',
        '2024-01-01T00:00:00Z',
      ]),
    );
    const cs = container(st);
    assert.equal(cs['name'], 'nginx');
    assert.deepEqual(state(cs), { running: { startedAt: '2024-01-01T00:00:00Z' } });
    assert.deepEqual([cs['ready'], cs['started'], cs['restartCount']], [true, true, 0]);
    assert.match(cs['containerID'] as string, /^fake:\/\/[0-9a-f]{64}$/);
    assert.equal(cs['image'], 'docker.io/library/nginx:latest');
    assert.match(cs['imageID'] as string, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    assert.deepEqual(t.recorder.lines(), [
      'Normal Pulling Pulling image "nginx"',
      'Normal Pulled Successfully pulled image "nginx" in 0s (0s including waiting). Image size: 0 bytes.',
      'Normal Created Created container: nginx',
      'Normal Started Started container nginx',
    ]);
    assert.deepEqual(
      new Set(t.recorder.events.map((e) => e.fieldPath)),
      new Set(['spec.containers{nginx}']),
      'container events name the container',
    );
    // the status as written is seen again: no second write, no second start
    const writes = t.cluster.writes().length;
    await t.sync();
    assert.equal(t.cluster.writes().length, writes);
    assert.equal((await t.runtime.listContainers()).length, 1);
  });

  it('reports an already present image for IfNotPresent', async () => {
    const t = setup();
    await t.runtime.pullImage({ image: 'nginx:1.27' });
    t.create({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] });
    await t.sync();
    assert.equal(t.recorder.lines()[0], 'Normal Pulled Container image "nginx:1.27" already present on machine');
  });

  const exits: { policy: string; exit: string; phase: string; reason: string; code: number }[] = [
    { policy: 'Never', exit: '5s:0', phase: 'Succeeded', reason: 'Completed', code: 0 },
    { policy: 'Never', exit: '5s:1', phase: 'Failed', reason: 'Error', code: 1 },
    { policy: 'OnFailure', exit: '5s:0', phase: 'Succeeded', reason: 'Completed', code: 0 },
  ];
  for (const c of exits) {
    it(`completes a pod with restartPolicy ${c.policy} whose container exits ${c.exit}`, async () => {
      const t = setup();
      t.create({ restartPolicy: c.policy }, { 'k8ts.io/simulate-exit': c.exit });
      assert.equal((await t.sync())['phase'], 'Running');
      await t.clock.step(5000);
      const st = await t.sync();
      assert.equal(st['phase'], c.phase);
      const term = state(container(st))['terminated'] as Obj;
      assert.deepEqual(
        [term['exitCode'], term['reason'], term['startedAt'], term['finishedAt']],
        [c.code, c.reason, '2024-01-01T00:00:00Z', '2024-01-01T00:00:05Z'],
      );
      assert.equal(container(st)['ready'], false);
      assert.equal(condition(st, 'PodReadyToStartContainers')?.['status'], 'False');
      assert.equal(condition(st, 'Ready')?.['status'], 'False');
      assert.equal(condition(st, 'Ready')?.['reason'], c.phase === 'Succeeded' ? 'PodCompleted' : 'ContainersNotReady');
      // the sandbox was stopped: its IP is free again
      assert.equal((await t.runtime.listPodSandbox({ state: 'SANDBOX_READY' })).length, 0);
    });
  }

  it('restarts with restartPolicy Always, counting restarts and backing off', async () => {
    const t = setup();
    const pod = t.create({}, { 'k8ts.io/simulate-exit': '1s:2' });
    await t.sync();
    await t.clock.step(1000);
    let st = await t.sync(); // first restart is immediate
    assert.equal(st['phase'], 'Running');
    assert.equal(container(st)['restartCount'], 1);
    assert.equal(((container(st)['lastState'] as Obj)['terminated'] as Obj)['exitCode'], 2);
    await t.clock.step(1000);
    st = await t.sync(); // second exit: back-off 10s
    assert.deepEqual((state(container(st))['waiting'] as Obj)['reason'], 'CrashLoopBackOff');
    assert.equal(
      (state(container(st))['waiting'] as Obj)['message'],
      `back-off 10s restarting failed container=nginx pod=web_default(${pod.metadata.uid})`,
    );
    assert.deepEqual(t.requeues.at(-1), ['default/web', 10_000]);
    await t.clock.step(10_000);
    st = await t.sync();
    assert.equal(container(st)['restartCount'], 2);
    assert.ok(state(container(st))['running']);
    assert.ok((await t.runtime.listContainers()).length <= 2, 'old attempts are removed');
  });

  it('runs init containers to completion before app containers', async () => {
    const t = setup();
    t.create({ initContainers: [{ name: 'init', image: 'busybox:1.36' }] });
    let st = await t.sync();
    assert.equal(st['phase'], 'Pending');
    assert.equal(condition(st, 'Initialized')?.['reason'], 'ContainersNotInitialized');
    assert.equal(condition(st, 'Initialized')?.['message'], 'containers with incomplete status: [init]');
    assert.deepEqual(state(container(st)), { waiting: { reason: 'PodInitializing' } });
    await t.clock.step(0);
    st = await t.sync();
    assert.equal(st['phase'], 'Running');
    assert.equal(condition(st, 'Initialized')?.['status'], 'True');
    const init = container(st, 0, 'initContainerStatuses');
    assert.equal((state(init)['terminated'] as Obj)['reason'], 'Completed');
    assert.equal(init['ready'], true);
    assert.ok(state(container(st))['running']);
  });

  it('fails the pod when an init container fails under restartPolicy Never', async () => {
    const t = setup();
    t.create(
      { restartPolicy: 'Never', initContainers: [{ name: 'init', image: 'busybox:1.36' }] },
      { 'k8ts.io/simulate-exit.init': '0s:7' },
    );
    await t.sync();
    await t.clock.step(0);
    const st = await t.sync();
    assert.equal(st['phase'], 'Failed');
    assert.equal((await t.runtime.listContainers()).filter((c) => c.metadata.name === 'nginx').length, 0);
  });

  it('holds readiness back as annotated', async () => {
    const t = setup();
    t.create({}, { 'k8ts.io/simulate-ready': '10s' });
    let st = await t.sync();
    assert.equal(st['phase'], 'Running');
    assert.equal(condition(st, 'Ready')?.['status'], 'False');
    assert.equal(condition(st, 'Ready')?.['message'], 'containers with unready status: [nginx]');
    assert.equal(condition(st, 'ContainersReady')?.['reason'], 'ContainersNotReady');
    assert.deepEqual(t.requeues.at(-1), ['default/web', 10_000]);
    await t.clock.step(10_000);
    st = await t.sync();
    assert.equal(condition(st, 'Ready')?.['status'], 'True');
    assert.equal(condition(st, 'Ready')?.['lastTransitionTime'], '2024-01-01T00:00:10Z');
    assert.equal(condition(st, 'PodScheduled')?.['lastTransitionTime'], '2024-01-01T00:00:00Z');
  });

  it('never readies a pod annotated simulate-ready=false', async () => {
    const t = setup();
    t.create({}, { 'k8ts.io/simulate-ready': 'false' });
    const st = await t.sync();
    assert.equal(container(st)['ready'], false);
    assert.equal(t.requeues.length, 0);
  });

  it('completes graceful deletion: stops containers, reports, deletes with grace 0 and the uid', async () => {
    const t = setup();
    const pod = t.create();
    await t.sync();
    // the apiserver's graceful deletion: marked, kept until the kubelet is done
    t.markDeleted(30);
    const actionsBefore = t.cluster.actions.length;
    await t.sync();
    const actions = t.cluster.actions.slice(actionsBefore);
    assert.deepEqual(
      actions.map((a) => `${a.verb} ${a.subresource ?? ''}`),
      ['patch status', 'delete '],
    );
    const reported = ((actions[0]?.body ?? {}) as Obj)['status'] as Obj;
    // the container died on SIGTERM (exit 143): a deleted pod whose container failed ends Failed
    assert.equal(reported['phase'], 'Failed');
    assert.deepEqual(
      [(state(container(reported))['terminated'] as Obj)['exitCode'], (state(container(reported))['terminated'] as Obj)['reason']],
      [143, 'Error'],
    );
    assert.deepEqual(actions[1]?.options, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    assert.ok(t.recorder.lines().includes('Normal Killing Stopping container nginx'));
    assert.equal(t.stored(), undefined);
    assert.equal((await t.runtime.listPodSandbox()).length, 0);
    await t.sync(); // the informer's delete: nothing left to do
  });

  it('evicts a pod: Evicted event, containers stopped, Failed with reason Evicted; nothing restarts', async () => {
    const t = setup();
    const pod = t.create();
    await t.sync();
    const message = 'Usage of EmptyDir volume "scratch" exceeds the limit "1Mi". ';
    t.kubelet.evictPod('default/web', pod, message);
    t.kubelet.evictPod('default/web', pod, message);
    assert.deepEqual(
      t.recorder.lines().filter((l) => l.includes('Evicted')),
      [`Warning Evicted ${message}`],
      'one event, however often the check finds it',
    );
    assert.deepEqual(t.requeues.at(-1), ['default/web', 0]);
    const st = await t.sync();
    assert.deepEqual([st['phase'], st['reason'], st['message']], ['Failed', 'Evicted', message]);
    assert.ok(state(container(st))['terminated'], JSON.stringify(container(st)));
    assert.ok(t.recorder.lines().includes('Normal Killing Stopping container nginx'));
    const sandboxes = await t.runtime.listPodSandbox();
    assert.deepEqual(
      sandboxes.map((s) => s.state),
      ['SANDBOX_NOTREADY'],
    );
    await t.sync();
    assert.equal((await t.runtime.listContainers({ state: 'CONTAINER_RUNNING' })).length, 0, 'a Failed pod stays down');
  });

  it('cleans the runtime when a pod vanishes (force deletion)', async () => {
    const t = setup();
    t.create();
    await t.sync();
    t.cluster.tracker.remove(PODS, 'default', 'web');
    await t.sync();
    assert.equal((await t.runtime.listPodSandbox()).length, 0);
    assert.equal(t.kubelet.podCount, 0);
  });
});
