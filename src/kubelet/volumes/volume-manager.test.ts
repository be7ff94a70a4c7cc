import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../client/testing/fake-clock.js';
import type { KubeObject } from '../../machinery/object.js';
import { FakePodObjects } from '../testing/fake-pod-objects.js';
import { expandSubPathExpr } from './container-mounts.js';
import { DiskVolumeFilesystem } from './disk-filesystem.js';
import { SimulatedVolumeFilesystem } from './simulated-filesystem.js';
import { VolumeManager } from './volume-manager.js';

/** The disk, with tmpfs mounts as plain directories (no root needed). */
class UnmountedDisk extends DiskVolumeFilesystem {
  override mountTmpfs(path: string): Promise<boolean> {
    return this.makeDir(path, 0o1777);
  }
}

const pod = (volumes: unknown[], containers: unknown[] = [{ name: 'c' }], uid = 'uid-1'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', uid, labels: { b: '2', a: 'x"y' }, annotations: { note: 'hi' } },
  spec: { volumes, containers, serviceAccountName: 'robot' },
});

describe('VolumeManager', () => {
  let root = '';
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const objects = new FakePodObjects([], clock);
  let manager: VolumeManager;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'volume-manager-'));
    manager = new VolumeManager({
      rootDir: root,
      fs: new UnmountedDisk(),
      objects,
      clock,
      allocatable: { cpu: '4', memory: '8Gi' },
      resyncMs: 10_000,
    });
  });
  after(() => rm(root, { recursive: true, force: true }));
  const volDir = (plugin: string, name: string, uid = 'uid-1') => join(root, 'pods', uid, 'volumes', `kubernetes.io~${plugin}`, name);

  it('lays configMap items out with their modes, under kubernetes.io~configmap, read-only, resynced', async () => {
    objects.put({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'ns' },
      data: { one: '1', two: '2' },
      binaryData: { bin: Buffer.from([0, 1]).toString('base64') },
    });
    const p = pod([
      { name: 'all', configMap: { name: 'cfg' } },
      {
        name: 'some',
        configMap: {
          name: 'cfg',
          defaultMode: 0o600,
          items: [
            { key: 'one', path: 'sub/uno' },
            { key: 'two', path: 'dos', mode: 0o444 },
          ],
        },
      },
    ]);
    const got = await manager.setUpPodVolumes(p);
    assert.deepEqual(got.failures, []);
    assert.equal(got.ready, true);
    assert.equal(got.resyncAt, clock.now() + 10_000);
    assert.deepEqual(got.volumes.get('all'), { hostPath: volDir('configmap', 'all'), readOnly: true, refreshes: true });
    assert.deepEqual((await readdir(volDir('configmap', 'all'))).filter((e) => !e.startsWith('..')).sort(), ['bin', 'one', 'two']);
    assert.deepEqual([...(await readFile(join(volDir('configmap', 'all'), 'bin')))], [0, 1]);
    assert.equal((await stat(join(volDir('configmap', 'all'), 'one'))).mode & 0o777, 0o644);
    assert.equal(await readFile(join(volDir('configmap', 'some'), 'sub', 'uno'), 'utf8'), '1');
    assert.equal((await stat(join(volDir('configmap', 'some'), 'sub', 'uno'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(volDir('configmap', 'some'), 'dos'))).mode & 0o777, 0o444);
    // an update reaches the files on the next SetUp
    objects.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'ns' }, data: { one: 'uno' } });
    await manager.setUpPodVolumes(p);
    assert.equal(await readFile(join(volDir('configmap', 'all'), 'one'), 'utf8'), 'uno');
    assert.deepEqual(
      (await readdir(volDir('configmap', 'all'))).filter((e) => !e.startsWith('..')),
      ['one'],
    );
  });

  it('reports a missing object or key as upstream’s FailedMount, unless optional, and retries with back-off', async () => {
    const p = pod(
      [
        { name: 'gone', configMap: { name: 'nope' } },
        { name: 'maybe', secret: { secretName: 'nope', optional: true } },
        { name: 'key', secret: { secretName: 's', items: [{ key: 'missing', path: 'm' }] } },
      ],
      [{ name: 'c' }],
      'uid-2',
    );
    objects.put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'ns' },
      data: { k: Buffer.from('v').toString('base64') },
    });
    const got = await manager.setUpPodVolumes(p);
    assert.deepEqual(got.failures, [
      'MountVolume.SetUp failed for volume "gone" : configmap "nope" not found',
      'MountVolume.SetUp failed for volume "key" : secret references non-existent secret key: missing',
    ]);
    assert.equal(got.ready, false);
    assert.equal(got.resyncAt, clock.now() + 500);
    assert.deepEqual(
      (await readdir(volDir('secret', 'maybe', 'uid-2'))).filter((e) => !e.startsWith('..')),
      [],
    );
    assert.equal((await manager.setUpPodVolumes(p)).resyncAt, clock.now() + 1000);
    await manager.tearDownPod('uid-2');
    await assert.rejects(stat(join(root, 'pods', 'uid-2')), { code: 'ENOENT' });
  });

  it('projects downward API fields, resources with divisors, secrets and a pod-bound token refreshed at 80 % of its life', async () => {
    const p = pod(
      [
        {
          name: 'info',
          downwardAPI: {
            items: [
              { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
              { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
              { path: 'note', fieldRef: { fieldPath: "metadata.annotations['note']" } },
              { path: 'cpu', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu', divisor: '1m' } },
              { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'requests.memory', divisor: '1Mi' } },
            ],
          },
        },
        {
          name: 'proj',
          projected: {
            sources: [
              { serviceAccountToken: { path: 'token', audience: 'vault', expirationSeconds: 1000 } },
              { secret: { name: 's' } },
              { downwardAPI: { items: [{ path: 'uid', fieldRef: { fieldPath: 'metadata.uid' } }] } },
            ],
          },
        },
      ],
      [{ name: 'c', resources: { requests: { memory: '3Mi' } } }],
      'uid-3',
    );
    const first = await manager.setUpPodVolumes(p);
    assert.deepEqual(first.failures, []);
    const info = volDir('downward-api', 'info', 'uid-3');
    assert.equal(await readFile(join(info, 'labels'), 'utf8'), 'a="x\\"y"\nb="2"');
    assert.equal(await readFile(join(info, 'name'), 'utf8'), 'p');
    assert.equal(await readFile(join(info, 'note'), 'utf8'), 'hi');
    assert.equal(await readFile(join(info, 'cpu'), 'utf8'), '4000');
    assert.equal(await readFile(join(info, 'mem'), 'utf8'), '3');
    const proj = volDir('projected', 'proj', 'uid-3');
    assert.equal(await readFile(join(proj, 'token'), 'utf8'), 'token-robot-1');
    assert.equal(await readFile(join(proj, 'k'), 'utf8'), 'v');
    assert.equal(await readFile(join(proj, 'uid'), 'utf8'), 'uid-3');
    assert.deepEqual(objects.tokenRequests.at(-1), {
      audiences: ['vault'],
      expirationSeconds: 1000,
      boundPod: { name: 'p', uid: 'uid-3' },
    });
    assert.equal(first.volumes.get('proj')?.refreshBy, clock.now() + 800_000);
    const count = objects.tokenRequests.length;
    await clock.step(700_000);
    await manager.setUpPodVolumes(p);
    assert.equal(objects.tokenRequests.length, count, 'no new token before 80 %');
    await clock.step(100_000);
    await manager.setUpPodVolumes(p);
    assert.equal(objects.tokenRequests.length, count + 1);
    assert.equal(await readFile(join(proj, 'token'), 'utf8'), `token-robot-${count + 1}`);
  });

  it('mounts bound hostPath PVs and reports unbound claims as failed to process', async () => {
    objects.put({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'bound', namespace: 'ns' },
      spec: { volumeName: 'pv1' },
      status: { phase: 'Bound' },
    });
    objects.put({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'pending', namespace: 'ns' },
      spec: {},
      status: { phase: 'Pending' },
    });
    objects.put({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv1' },
      spec: { hostPath: { path: join(root, 'pv1'), type: 'DirectoryOrCreate' } },
    });
    const ok = await manager.setUpPodVolumes(
      pod([{ name: 'data', persistentVolumeClaim: { claimName: 'bound', readOnly: true } }], [{ name: 'c' }], 'uid-4'),
    );
    assert.deepEqual(ok.volumes.get('data'), { hostPath: join(root, 'pv1'), readOnly: true, refreshes: false });
    assert.ok((await stat(join(root, 'pv1'))).isDirectory());
    const waiting = await manager.setUpPodVolumes(
      pod([{ name: 'data', persistentVolumeClaim: { claimName: 'pending' } }], [{ name: 'c' }], 'uid-5'),
    );
    assert.deepEqual(waiting.failures, [
      'Unable to attach or mount volumes: unmounted volumes=[data], failed to process volumes=[data]: error processing PVC ns/pending: PVC ns/pending has non-bound phase ("Pending") or empty pvc.Spec.VolumeName ("")',
    ]);
  });

  it('makes container mounts with subPath and subPathExpr, refusing escapes', async () => {
    const p = pod([{ name: 'scratch', emptyDir: {} }], [], 'uid-6');
    const { volumes } = await manager.setUpPodVolumes(p);
    const c = {
      name: 'c',
      env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      volumeMounts: [
        { name: 'scratch', mountPath: '/s' },
        { name: 'scratch', mountPath: '/sub', subPath: 'x/y', readOnly: true },
        { name: 'scratch', mountPath: '/expr', subPathExpr: 'logs/$(POD)' },
      ],
    };
    const dir = volDir('empty-dir', 'scratch', 'uid-6');
    assert.equal((await stat(dir)).mode & 0o777, 0o777);
    assert.deepEqual(await manager.containerMounts(p, c, volumes), [
      { containerPath: '/s', hostPath: dir, readonly: false },
      { containerPath: '/sub', hostPath: join(dir, 'x', 'y'), readonly: true },
      { containerPath: '/expr', hostPath: join(dir, 'logs', 'p'), readonly: false },
    ]);
    const bad = (m: object) =>
      manager.containerMounts(p, { name: 'c', volumeMounts: [{ name: 'scratch', mountPath: '/m', ...m }] }, volumes);
    await assert.rejects(bad({ subPath: '/abs' }), {
      code: 'InvalidArgument',
      message: 'error SubPath `/abs` must not be an absolute path',
    });
    await assert.rejects(bad({ subPath: 'a/../..' }), { message: "unable to provision SubPath `a/../..`: must not contain '..'" });
    await assert.rejects(bad({ subPathExpr: '$(NOPE)' }), { message: 'missing value for NOPE' });
    await assert.rejects(manager.containerMounts(p, { name: 'c', volumeMounts: [{ name: 'other', mountPath: '/o' }] }, volumes), {
      message: 'cannot find volume "other" to mount into container "c"',
    });
  });

  it('gives volumes to the pod’s fsGroup: group-readable files, setgid directories, a 0640 token', async () => {
    const p = pod(
      [
        { name: 'scratch', emptyDir: {} },
        {
          name: 'proj',
          projected: {
            sources: [{ serviceAccountToken: { path: 'token' } }, { secret: { name: 's', items: [{ key: 'k', path: 'k', mode: 0o400 }] } }],
          },
        },
      ],
      [{ name: 'c' }],
      'uid-7',
    );
    (p['spec'] as Record<string, unknown>)['securityContext'] = { fsGroup: 1234 };
    assert.deepEqual((await manager.setUpPodVolumes(p)).failures, []);
    const scratch = await stat(volDir('empty-dir', 'scratch', 'uid-7'));
    assert.deepEqual([scratch.gid, scratch.mode & 0o7777], [1234, 0o2777]);
    const proj = volDir('projected', 'proj', 'uid-7');
    for (const [file, mode] of [
      ['token', 0o640],
      ['k', 0o440],
    ] as const) {
      const st = await stat(join(proj, file));
      assert.deepEqual([st.gid, st.mode & 0o7777], [1234, mode], file);
    }
    assert.equal((await readdir(proj)).filter((e) => e.startsWith('..2')).length, 1);
    const before = (await readdir(proj)).find((e) => e.startsWith('..2'));
    await manager.setUpPodVolumes(p);
    assert.equal(
      (await readdir(proj)).find((e) => e.startsWith('..2')),
      before,
      'the group bits do not make the next SetUp rewrite it',
    );
    await manager.tearDownPod('uid-7');
  });

  it('removes the directories of pods that no longer exist', async () => {
    const removed = await manager.cleanupOrphanedPodDirs(new Set(['uid-1']));
    assert.deepEqual(removed.sort(), ['uid-3', 'uid-6']);
    assert.deepEqual(await readdir(join(root, 'pods')), ['uid-1']);
  });

  it('touches no disk on simulated nodes but reports the same failures', async () => {
    const simulated = new VolumeManager({ rootDir: '/nonexistent', fs: new SimulatedVolumeFilesystem(), objects, clock });
    const got = await simulated.setUpPodVolumes(
      pod([
        { name: 'gone', configMap: { name: 'nope' } },
        { name: 'e', emptyDir: {} },
      ]),
    );
    assert.deepEqual(got.failures, ['MountVolume.SetUp failed for volume "gone" : configmap "nope" not found']);
    assert.equal(got.volumes.get('e')?.hostPath, '/nonexistent/pods/uid-1/volumes/kubernetes.io~empty-dir/e');
    await assert.rejects(stat('/nonexistent'), { code: 'ENOENT' });
  });

  it('expands subPathExpr like upstream', () => {
    const env = new Map([
      ['A', 'x'],
      ['E', ''],
    ]);
    assert.equal(expandSubPathExpr('$(A)/$$(A)/b', env), 'x/$(A)/b');
    assert.throws(() => expandSubPathExpr('$(E)$(Z)', env), { message: 'missing value for E, Z' });
  });
});
