import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerStatusOf, kubeletFixture } from './testing/kubelet-fixture.js';

type Obj = Record<string, unknown>;

const waiting = (cs: Obj): Obj | undefined => (cs['state'] as Obj)['waiting'] as Obj | undefined;
const terminated = (cs: Obj): Obj | undefined => (cs['state'] as Obj)['terminated'] as Obj | undefined;

describe('pod sync: restarts and phases', () => {
  it('backs off a crash-looping container with upstream’s event and waiting message', async () => {
    const t = kubeletFixture();
    const pod = t.create({ containers: [{ name: 'app', image: 'busybox' }] }, { 'k8ts.io/simulate-exit': '1s:1' });
    await t.sync();
    await t.clock.step(1000);
    let st = await t.sync();
    assert.equal(containerStatusOf(st, 'app')['restartCount'], 1, 'the first restart is immediate');
    await t.clock.step(1000);
    st = await t.sync();
    const cs = containerStatusOf(st, 'app');
    assert.deepEqual(waiting(cs), {
      reason: 'CrashLoopBackOff',
      message: `back-off 10s restarting failed container=app pod=web_default(${pod.metadata.uid})`,
    });
    assert.deepEqual(
      t.recorder.events.filter((e) => e.reason === 'BackOff').map((e) => [e.type, e.message, e.fieldPath]),
      [['Warning', `Back-off restarting failed container app in pod web_default(${pod.metadata.uid})`, 'spec.containers{app}']],
    );
    assert.deepEqual(t.requeues.at(-1), ['default/web', 10_000]);
    await t.clock.step(10_000);
    st = await t.sync();
    assert.equal(containerStatusOf(st, 'app')['restartCount'], 2);
    await t.clock.step(1000);
    st = await t.sync();
    assert.match(String(waiting(containerStatusOf(st, 'app'))?.['message']), /^back-off 20s /);
  });

  it('keeps a restartPolicy Never pod Running until every container ended, then Failed', async () => {
    const t = kubeletFixture();
    t.create(
      {
        restartPolicy: 'Never',
        containers: [
          { name: 'bad', image: 'busybox' },
          { name: 'slow', image: 'busybox' },
        ],
      },
      { 'k8ts.io/simulate-exit.bad': '1s:3', 'k8ts.io/simulate-exit.slow': '5s:0' },
    );
    await t.sync();
    await t.clock.step(1000);
    let st = await t.sync();
    assert.equal(st['phase'], 'Running');
    assert.deepEqual(
      [terminated(containerStatusOf(st, 'bad'))?.['exitCode'], terminated(containerStatusOf(st, 'bad'))?.['reason']],
      [3, 'Error'],
    );
    await t.clock.step(4000);
    st = await t.sync();
    assert.equal(st['phase'], 'Failed');
    assert.equal(terminated(containerStatusOf(st, 'slow'))?.['reason'], 'Completed');
  });

  it('restarts only failed containers under OnFailure', async () => {
    const t = kubeletFixture();
    t.create(
      {
        restartPolicy: 'OnFailure',
        containers: [
          { name: 'bad', image: 'busybox' },
          { name: 'ok', image: 'busybox' },
        ],
      },
      { 'k8ts.io/simulate-exit.bad': '1s:1', 'k8ts.io/simulate-exit.ok': '1s:0' },
    );
    await t.sync();
    await t.clock.step(1000);
    const st = await t.sync();
    assert.equal(st['phase'], 'Running');
    assert.equal(containerStatusOf(st, 'bad')['restartCount'], 1);
    assert.equal(containerStatusOf(st, 'ok')['restartCount'], 0);
    assert.equal(terminated(containerStatusOf(st, 'ok'))?.['reason'], 'Completed');
  });
});
