import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClientset } from '../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../client/testing/fake-informers.js';
import { FakeRecorder } from '../client/testing/fake-recorder.js';
import type { KubeObject } from '../machinery/object.js';
import { Kubelet } from './kubelet.js';
import { ClientPodObjects } from './pod-objects.js';
import { FakeRuntime } from './runtime/fake/fake-runtime.js';
import { RuntimeError } from './runtime/interface.js';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const IMAGE = 'registry.example.com:5000/team/app:1';
const UNAUTHORIZED = 'failed to pull and unpack image: 401 Unauthorized';

function setup() {
  const cluster = new FakeClientset();
  const clock = cluster.clock;
  const runtime = new FakeRuntime({ nodeIP: '10.240.0.1', podCIDR: '10.244.1.0/24', clock });
  // the registry takes alice:right only
  runtime.pullError = (ref, auth) =>
    ref.startsWith('registry.example.com:5000/') && !(auth?.username === 'alice' && auth.password === 'right')
      ? new RuntimeError('Unknown', UNAUTHORIZED)
      : undefined;
  const recorder = new FakeRecorder();
  const requeues: number[] = [];
  const kubelet = new Kubelet({
    nodeName: 'node-a',
    nodeIP: '10.240.0.1',
    runtime,
    runtimeName: 'fake',
    pods: cluster.resource(PODS),
    recorder,
    clock,
    objects: new ClientPodObjects(
      cluster,
      new FakeInformerFactory(cluster).forResource({ group: '', version: 'v1', resource: 'services' }).lister,
    ),
    requeue: (_, ms) => requeues.push(ms),
  });
  const secret = (name: string, type: string, key: string, config: unknown) =>
    cluster.tracker.put(SECRETS, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'default' },
      type,
      data: { [key]: Buffer.from(JSON.stringify(config)).toString('base64') },
    });
  const pod = (secrets: string[], image = IMAGE): KubeObject =>
    cluster.tracker.put(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        nodeName: 'node-a',
        imagePullSecrets: secrets.map((name) => ({ name })),
        containers: [{ name: 'app', image, imagePullPolicy: 'IfNotPresent' }],
      },
      status: { phase: 'Pending' },
    });
  const sync = async (): Promise<Obj> => {
    await kubelet.syncPod('default/web', structuredClone(cluster.tracker.get(PODS, 'default', 'web')));
    return (cluster.tracker.get(PODS, 'default', 'web')?.['status'] ?? {}) as Obj;
  };
  const waiting = (st: Obj): Obj => (((st['containerStatuses'] as Obj[])[0] as Obj)['state'] as Obj)['waiting'] as Obj;
  return { clock, runtime, recorder, requeues, secret, pod, sync, waiting };
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
    assert.equal(t.requeues.at(-1), 10_000);
    await t.clock.step(4_000);
    st = await t.sync();
    assert.deepEqual(t.waiting(st), { reason: 'ImagePullBackOff', message: `Back-off pulling image "${IMAGE}": ErrImagePull: ${failed}` });
    assert.deepEqual(t.recorder.lines().slice(3), [
      `Normal BackOff Back-off pulling image "${IMAGE}"`,
      'Warning Failed Error: ImagePullBackOff',
    ]);
    assert.equal(t.runtime.pulls.length, 1, 'no pull while backing off');
    assert.equal(t.requeues.at(-1), 6_000);
    await t.clock.step(6_000);
    st = await t.sync();
    assert.equal(t.waiting(st)['reason'], 'ErrImagePull');
    assert.equal(t.runtime.pulls.length, 2);
    assert.equal(t.requeues.at(-1), 20_000, 'the back-off doubled');
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
