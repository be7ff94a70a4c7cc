import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuntimeError } from './runtime/interface.js';
import { kubeletFixture } from './testing/kubelet-fixture.js';

type Obj = Record<string, unknown>;
const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const IMAGE = 'registry.example.com:5000/team/app:1';
const UNAUTHORIZED = 'failed to pull and unpack image: 401 Unauthorized';

function setup() {
  const t = kubeletFixture();
  // the registry takes alice:right only
  t.runtime.pullError = (ref, auth) =>
    ref.startsWith('registry.example.com:5000/') && !(auth?.username === 'alice' && auth.password === 'right')
      ? new RuntimeError('Unknown', UNAUTHORIZED)
      : undefined;
  const secret = (name: string, type: string, key: string, config: unknown) =>
    t.cluster.tracker.put(SECRETS, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'default' },
      type,
      data: { [key]: Buffer.from(JSON.stringify(config)).toString('base64') },
    });
  const pod = (secrets: string[], image = IMAGE) =>
    t.create({
      imagePullSecrets: secrets.map((name) => ({ name })),
      containers: [{ name: 'app', image, imagePullPolicy: 'IfNotPresent' }],
    });
  const waiting = (st: Obj): Obj => (((st['containerStatuses'] as Obj[])[0] as Obj)['state'] as Obj)['waiting'] as Obj;
  /** The delay of the last requeue. */
  const lastRequeue = (): number | undefined => t.requeues.at(-1)?.[1];
  return { ...t, secret, pod, waiting, lastRequeue };
}

const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

describe('image pulls with imagePullSecrets', () => {
  it('tries every matching credential of the pod’s secrets, in order, until one pulls', async () => {
    const t = setup();
    t.secret('wrong', 'kubernetes.io/dockercfg', '.dockercfg', { 'registry.example.com:5000': { auth: basic('alice', 'wrong') } });
    t.secret('other-host', 'kubernetes.io/dockerconfigjson', '.dockerconfigjson', {
      auths: { 'other.example.com': { auth: basic('alice', 'right') } },
    });
    t.secret('right', 'kubernetes.io/dockerconfigjson', '.dockerconfigjson', {
      auths: { 'https://registry.example.com:5000/v1/': { username: 'alice', password: 'right' } },
    });
    t.pod(['missing', 'wrong', 'other-host', 'right']);
    const st = await t.sync();
    assert.equal(st['phase'], 'Running');
    assert.deepEqual(t.runtime.pullAuths, [
      { username: 'alice', password: 'wrong' },
      { username: 'alice', password: 'right' },
    ]);
    assert.deepEqual(t.recorder.lines().slice(0, 3), [
      'Warning FailedToRetrieveImagePullSecret Unable to retrieve some image pull secrets (default/missing); attempting to pull the image may not succeed.',
      `Normal Pulling Pulling image "${IMAGE}"`,
      `Normal Pulled Successfully pulled image "${IMAGE}" in 0s (0s including waiting). Image size: 0 bytes.`,
    ]);
  });

  it('fails with ErrImagePull, then backs off with ImagePullBackOff (10 s, 20 s …) and the last error', async () => {
    const t = setup();
    t.pod([]);
    const failed = `Failed to pull image "${IMAGE}": rpc error: code = Unknown desc = ${UNAUTHORIZED}`;
    let st = await t.sync();
    assert.deepEqual(t.waiting(st), { reason: 'ErrImagePull', message: failed });
    assert.deepEqual(t.runtime.pullAuths, [undefined]);
    assert.deepEqual(t.recorder.lines(), [
      `Normal Pulling Pulling image "${IMAGE}"`,
      `Warning Failed ${failed}`,
      'Warning Failed Error: ErrImagePull',
    ]);
    assert.equal(t.lastRequeue(), 10_000);
    await t.clock.step(4_000);
    st = await t.sync();
    assert.deepEqual(t.waiting(st), { reason: 'ImagePullBackOff', message: `Back-off pulling image "${IMAGE}": ErrImagePull: ${failed}` });
    assert.deepEqual(t.recorder.lines().slice(3), [
      `Normal BackOff Back-off pulling image "${IMAGE}"`,
      'Warning Failed Error: ImagePullBackOff',
    ]);
    assert.equal(t.runtime.pulls.length, 1, 'no pull while backing off');
    assert.equal(t.lastRequeue(), 6_000);
    await t.clock.step(6_000);
    st = await t.sync();
    assert.equal(t.waiting(st)['reason'], 'ErrImagePull');
    assert.equal(t.runtime.pulls.length, 2);
    assert.equal(t.lastRequeue(), 20_000, 'the back-off doubled');
  });

  it('uses index.docker.io credentials for Docker Hub images', async () => {
    const t = setup();
    t.secret('hub', 'kubernetes.io/dockerconfigjson', '.dockerconfigjson', {
      auths: { 'https://index.docker.io/v1/': { auth: basic('bob', 'pw') } },
    });
    t.pod(['hub'], 'me/app:2');
    await t.sync();
    assert.deepEqual(t.runtime.pullAuths, [{ username: 'bob', password: 'pw' }]);
  });
});
