/**
 * Pod volumes on a real node (`k8ts server --runtime containerd`): a busybox pod sees its
 * configMap, secret, downwardAPI, projected (pod-bound token), emptyDir (disk and Memory) and
 * hostPath volumes — it copies what it reads into a hostPath directory the test reads from the
 * host; a ConfigMap update and a label change reach the mounted files; the projected token
 * authenticates against the apiserver; a pod whose ConfigMap is missing stays ContainerCreating
 * with upstream's FailedMount event while the other pod runs, and starts once the ConfigMap
 * exists; a bound hostPath PV is mounted read-only and an unbound claim gives FailedMount; a
 * finished pod's volumes are unmounted; a static pod from DATA/agent/manifests gets a mirror pod that comes back when deleted
 * and goes with the manifest; deleting the pods leaves no mount or directory under DATA/kubelet.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HttpsClientset } from '../src/client/rest.js';
import { ctr } from '../src/kubelet/containerd/ctr.js';
import { BUSYBOX_IMAGE } from '../src/kubelet/images/busybox-image.js';
import { mountPointsUnder } from '../src/kubelet/mounts.js';
import { kubeletRootDir } from '../src/kubelet/real-node.js';
import type { KubeObject } from '../src/machinery/object.js';
import { ApiClient } from './support/http.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';
import { eventually } from './support/wait.js';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };
const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const EVENTS = { group: '', version: 'v1', resource: 'events' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const PVS = { group: '', version: 'v1', resource: 'persistentvolumes' };
const PVCS = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
const NODE = 'k8ts-volumes-node';

const skip = await realNodeUnavailableForTests();
let node: RealNodeServer | undefined;
let client: HttpsClientset;
let out = '';

const status = (o: KubeObject | undefined): Obj => (o?.['status'] ?? {}) as Obj;
const readOut = (name: string) => readFile(join(out, name), 'utf8').catch(() => '');

/** Polls until the file the pod copies to the hostPath directory reads `want`; returns what it read. */
async function outFile(name: string, want: (text: string) => boolean, timeoutMs = 60_000): Promise<string> {
  let text = '';
  await eventually(
    `out/${name}`,
    async () => {
      text = await readOut(name);
      return want(text);
    },
    timeoutMs,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; out/${name} was ${JSON.stringify(text)}`);
  });
  return text;
}

before(async () => {
  if (skip) return;
  node = await startRealNodeServer({ nodeName: NODE, clusterCIDR: '10.254.0.0/16' });
  client = node.client;
  out = join(node.dataDir, 'out');
});

after(async () => {
  if (!node) return;
  assert.deepEqual(await node.stop(), [], 'the test left these behind');
});

const script = [
  'while true; do',
  'cp /cfg/greeting.txt /out/cfg; cp /sec/password /out/sec; cp /info/labels /out/labels; cp /info/name /out/name;',
  'cp /tok/token /out/token; cp /tok/greeting /out/tok-greeting;',
  'echo ok > /scratch/f && cp /scratch/f /out/scratch; grep " /mem " /proc/mounts > /out/mem;',
  'touch /sec/x 2> /out/ro-err; sleep 1; done',
].join(' ');

describe('pod volumes on a real node', { skip, timeout: 240_000 }, () => {
  let reader: KubeObject | undefined;

  it('shows configMap, secret, downwardAPI, projected token, emptyDir and hostPath volumes to a container', async () => {
    await client
      .resource(CONFIGMAPS)
      .create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { greeting: 'hello' } });
    await client.resource(SECRETS).create('default', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'sec' },
      data: { password: Buffer.from('s3cret').toString('base64') },
    });
    await client.resource(PODS).create('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'reader', labels: { app: 'reader' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'main',
            image: BUSYBOX_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            command: ['sh', '-c', script],
            volumeMounts: [
              { name: 'cfg', mountPath: '/cfg' },
              { name: 'sec', mountPath: '/sec' },
              { name: 'info', mountPath: '/info' },
              { name: 'tok', mountPath: '/tok' },
              { name: 'scratch', mountPath: '/scratch' },
              { name: 'mem', mountPath: '/mem' },
              { name: 'out', mountPath: '/out' },
            ],
          },
        ],
        volumes: [
          { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'greeting', path: 'greeting.txt' }] } },
          { name: 'sec', secret: { secretName: 'sec' } },
          {
            name: 'info',
            downwardAPI: {
              items: [
                { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
                { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
              ],
            },
          },
          {
            name: 'tok',
            projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }, { configMap: { name: 'cfg' } }] },
          },
          { name: 'scratch', emptyDir: {} },
          { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
          { name: 'out', hostPath: { path: out, type: 'DirectoryOrCreate' } },
        ],
      },
    });
    await eventually(
      'reader Running',
      async () => {
        reader = await client.resource(PODS).get('default', 'reader');
        return status(reader)['phase'] === 'Running';
      },
      90_000,
    );
    assert.equal(await outFile('cfg', (t) => t === 'hello'), 'hello');
    assert.equal(await outFile('sec', (t) => t !== ''), 's3cret');
    assert.equal(await outFile('labels', (t) => t !== ''), 'app="reader"');
    assert.equal(await outFile('name', (t) => t !== ''), 'reader');
    assert.equal(await outFile('tok-greeting', (t) => t !== ''), 'hello');
    assert.equal(await outFile('scratch', (t) => t !== ''), 'ok\n');
    assert.match(await outFile('mem', (t) => t !== ''), /^tmpfs \/mem tmpfs \S*size=16384k/);
    assert.match(await outFile('ro-err', (t) => t !== ''), /Read-only file system/);

    // the secret and the projected volume live on tmpfs on the host, under the upstream layout
    const uid = reader?.metadata.uid ?? '';
    const volumes = join(kubeletRootDir(node?.dataDir ?? ''), 'pods', uid, 'volumes');
    const mounts = await mountPointsUnder(volumes);
    for (const dir of [
      'kubernetes.io~secret/sec',
      'kubernetes.io~projected/tok',
      'kubernetes.io~downward-api/info',
      'kubernetes.io~empty-dir/mem',
    ]) {
      assert.ok(mounts.includes(join(volumes, dir)), `${dir} is a mount: ${mounts.join(', ')}`);
    }
    assert.ok(!mounts.includes(join(volumes, 'kubernetes.io~configmap/cfg')), 'configMap volumes are on disk');
    assert.deepEqual(await readdir(join(volumes, 'kubernetes.io~empty-dir', 'scratch')), ['f']);
  });

  it('gives the pod a token bound to it that authenticates as its ServiceAccount', async () => {
    const token = await outFile('token', (t) => t.split('.').length === 3);
    const anonymous = new ApiClient((node as RealNodeServer).server.kubeconfig, { anonymous: true });
    const res = await anonymous.request(
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      { Authorization: `Bearer ${token}` },
    );
    assert.equal(res.status, 201, res.body);
    const user = (res.json<Obj>()['status'] as Obj)['userInfo'] as Obj;
    assert.equal(user['username'], 'system:serviceaccount:default:default');
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Obj;
    const bound = (claims['kubernetes.io'] as Obj)['pod'] as Obj;
    assert.deepEqual(bound, { name: 'reader', uid: reader?.metadata.uid });
  });

  it('brings a ConfigMap update and a label change into the mounted files', async () => {
    const cms = client.resource(CONFIGMAPS);
    await cms.patch('default', 'cfg', 'merge', { data: { greeting: 'bonjour' } });
    // nothing about the pod changes: the kubelet's volume resync (10 s on the real node) brings it
    const since = Date.now();
    assert.equal(await outFile('cfg', (t) => t === 'bonjour', 40_000), 'bonjour');
    assert.equal(await outFile('tok-greeting', (t) => t === 'bonjour', 40_000), 'bonjour');
    assert.ok(Date.now() - since < 25_000, `the update took ${Date.now() - since} ms`);
    await client.resource(PODS).patch('default', 'reader', 'merge', { metadata: { labels: { tier: 'back' } } });
    assert.equal(await outFile('labels', (t) => t.includes('tier'), 40_000), 'app="reader"\ntier="back"');
  });

  it('keeps a pod whose ConfigMap is missing ContainerCreating with FailedMount, and starts it once the ConfigMap exists', async () => {
    const pods = client.resource(PODS);
    await pods.create('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'broken' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'main',
            image: BUSYBOX_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            command: ['sleep', '3600'],
            volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }],
          },
        ],
        volumes: [{ name: 'cfg', configMap: { name: 'absent' } }],
      },
    });
    await eventually('the FailedMount event', async () => {
      const events = (await client.resource(EVENTS).list('default')).items;
      return events.some(
        (e) =>
          (e['involvedObject'] as Obj)['name'] === 'broken' &&
          e['reason'] === 'FailedMount' &&
          e['type'] === 'Warning' &&
          e['message'] === 'MountVolume.SetUp failed for volume "cfg" : configmap "absent" not found',
      );
    });
    const broken = await pods.get('default', 'broken');
    assert.equal(status(broken)['phase'], 'Pending');
    const state = (status(broken)['containerStatuses'] as Obj[] | undefined)?.[0]?.['state'] as Obj | undefined;
    assert.equal((state?.['waiting'] as Obj | undefined)?.['reason'], 'ContainerCreating');
    assert.equal(status(await pods.get('default', 'reader'))['phase'], 'Running');

    await client
      .resource(CONFIGMAPS)
      .create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'absent' }, data: { k: 'v' } });
    await eventually('broken Running', async () => status(await pods.get('default', 'broken'))['phase'] === 'Running', 60_000);
  });

  it('mounts the path of a bound hostPath PV read-only, and reports an unbound claim as FailedMount', async () => {
    const dataDir = (node as RealNodeServer).dataDir;
    const pvPath = join(dataDir, 'pv');
    await mkdir(pvPath);
    await writeFile(join(pvPath, 'hello'), 'from the PV');
    await client.resource(PVS).create('', {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'host-pv' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: pvPath, type: 'Directory' } },
    });
    const claims = client.resource(PVCS);
    for (const [name, volumeName] of [
      ['bound', 'host-pv'],
      ['unbound', ''],
    ] as const) {
      // storageClassName "": no class (not the default one), so the PV binder binds the named PV
      // and leaves the other claim Pending (too big for any PV, so it cannot take host-pv first)
      await claims.create('default', {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: volumeName ? '1Gi' : '100Gi' } },
          storageClassName: '',
          ...(volumeName ? { volumeName } : {}),
        },
      });
    }
    const pods = client.resource(PODS);
    for (const claimName of ['bound', 'unbound']) {
      await pods.create('default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `pvc-${claimName}` },
        spec: {
          // the scheduler keeps a pod with an unbound claim; placed directly, the kubelet reports it
          ...(claimName === 'unbound' ? { nodeName: NODE } : {}),
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'main',
              image: BUSYBOX_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              command: ['sh', '-c', 'cp /data/hello /out/pvc; touch /data/x 2> /out/pvc-ro; exec sleep 3600'],
              volumeMounts: [
                { name: 'data', mountPath: '/data' },
                { name: 'out', mountPath: '/out' },
              ],
            },
          ],
          volumes: [
            { name: 'data', persistentVolumeClaim: { claimName, readOnly: true } },
            { name: 'out', hostPath: { path: out } },
          ],
        },
      });
    }
    assert.equal(await outFile('pvc', (t) => t !== ''), 'from the PV');
    assert.match(await outFile('pvc-ro', (t) => t !== ''), /Read-only file system/);
    await eventually('the unbound claim’s FailedMount event', async () => {
      const events = (await client.resource(EVENTS).list('default')).items;
      return events.some(
        (e) =>
          (e['involvedObject'] as Obj)['name'] === 'pvc-unbound' &&
          e['reason'] === 'FailedMount' &&
          e['message'] ===
            'Unable to attach or mount volumes: unmounted volumes=[data], failed to process volumes=[data]: error processing PVC default/unbound: PVC default/unbound has non-bound phase ("Pending") or empty pvc.Spec.VolumeName ("")',
      );
    });
    assert.equal(status(await pods.get('default', 'pvc-unbound'))['phase'], 'Pending');
  });

  it('unmounts the volumes of a pod that finished', async () => {
    const pods = client.resource(PODS);
    const done = await pods.create('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'done' },
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'main',
            image: BUSYBOX_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            command: ['true'],
            volumeMounts: [
              { name: 'mem', mountPath: '/mem' },
              { name: 'info', mountPath: '/info' },
            ],
          },
        ],
        // containerd 1.6 sends no container events and the kubelet does not relist yet: the
        // downwardAPI volume's resync is what notices the exit
        volumes: [
          { name: 'mem', emptyDir: { medium: 'Memory' } },
          { name: 'info', downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
        ],
      },
    });
    let last: Obj = {};
    await eventually(
      'done Succeeded',
      async () => {
        last = status(await pods.get('default', 'done'));
        return last['phase'] === 'Succeeded';
      },
      60_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; status ${JSON.stringify(last)}`);
    });
    const podDir = join(kubeletRootDir((node as RealNodeServer).dataDir), 'pods', done.metadata.uid ?? '');
    await eventually(
      'its tmpfs unmounted and its directory removed',
      async () => (await readdir(podDir).catch(() => undefined)) === undefined,
      20_000,
    );
  });

  it('runs a static pod from DATA/agent/manifests with a mirror pod that comes back when deleted and goes with the manifest', async () => {
    const manifests = join((node as RealNodeServer).dataDir, 'agent', 'manifests');
    await mkdir(manifests, { recursive: true });
    const manifest = join(manifests, 'static-web.yaml');
    await writeFile(
      manifest,
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: static-web\nspec:\n  terminationGracePeriodSeconds: 1\n  containers:\n  - name: main\n    image: ${BUSYBOX_IMAGE}\n    imagePullPolicy: IfNotPresent\n    command: [sleep, '3600']\n`,
    );
    const pods = client.resource(PODS);
    const name = `static-web-${NODE}`;
    let mirror: KubeObject | undefined;
    await eventually(
      'the mirror pod Running',
      async () => {
        mirror = await pods.get('default', name).catch(() => undefined);
        return status(mirror)['phase'] === 'Running';
      },
      60_000,
    );
    const annotations = mirror?.metadata.annotations ?? {};
    assert.equal(annotations['kubernetes.io/config.source'], 'file');
    assert.match(annotations['kubernetes.io/config.hash'] ?? '', /^[0-9a-f]{32}$/);
    assert.equal(annotations['kubernetes.io/config.mirror'], annotations['kubernetes.io/config.hash']);
    assert.match(annotations['kubernetes.io/config.seen'] ?? '', /^\d{4}-\d\d-\d\dT/);
    const nodeUID = (await client.resource(NODES).get('', NODE)).metadata.uid;
    assert.deepEqual(mirror?.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: NODE, uid: nodeUID, controller: true }]);
    const containerID = (status(mirror)['containerStatuses'] as Obj[] | undefined)?.[0]?.['containerID'];
    assert.match(String(containerID), /^containerd:\/\//);

    // deleting the mirror pod re-creates it; the static pod's container keeps running
    await pods.delete('default', name);
    let again: KubeObject | undefined;
    await eventually(
      'a new mirror pod',
      async () => {
        again = await pods.get('default', name).catch(() => undefined);
        return again !== undefined && again.metadata.uid !== mirror?.metadata.uid && status(again)['phase'] === 'Running';
      },
      30_000,
    );
    assert.equal((status(again)['containerStatuses'] as Obj[] | undefined)?.[0]?.['containerID'], containerID);

    // removing the manifest removes the pod and its mirror
    await rm(manifest);
    await eventually(
      'the mirror pod gone',
      () =>
        pods.get('default', name).then(
          () => false,
          () => true,
        ),
      30_000,
    );
    const socket = (node as RealNodeServer).socket;
    const id = String(containerID).replace('containerd://', '');
    await eventually(
      'the static pod’s container gone',
      async () => !(await ctr(['containers', 'ls', '-q'], { address: socket })).includes(id),
      30_000,
    );
  });

  it('leaves no mount or pod directory behind once the pods are deleted', async () => {
    const pods = client.resource(PODS);
    const names = ['reader', 'broken', 'pvc-bound', 'pvc-unbound', 'done'];
    for (const name of names) await pods.delete('default', name, { gracePeriodSeconds: 1 });
    for (const name of names) {
      await eventually(
        `${name} gone`,
        () =>
          pods.get('default', name).then(
            () => false,
            () => true,
          ),
        60_000,
      );
    }
    const root = kubeletRootDir((node as RealNodeServer).dataDir);
    await eventually('no pod directories', async () => (await readdir(join(root, 'pods'))).length === 0, 20_000);
    assert.deepEqual(await mountPointsUnder(root), []);
  });
});
