/**
 * StatefulSets with real kubectl against `k8ts server --runtime fake` (simulated nodes): web-0,
 * web-1, web-2 start in order, a deleted pod comes back with its name and its claim, scaling
 * down removes the highest ordinal first, a partitioned rolling update, rollout
 * status/history/undo/restart (kubectl 1.33, and 1.27 for status), and a Parallel set whose
 * claims follow its retention policy to the garbage collector.
 *
 * Claims: the controller creates www-web-0..2 before their pods; the PV controller binds them
 * to hostPath PVs the test reserved for them (claimRef), and the scheduler holds each pod until
 * its claim is Bound. A claim without a volume (www-web-3, class "") stays Pending.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpsClientset } from '../src/client/rest.js';
import type { WatchEvent } from '../src/client/interface.js';
import { startServer, type TestServer } from './support/server.js';
import { kubectl, type Kubectl, ok } from './support/kubectl.js';
import { eventually } from './support/wait.js';

let server: TestServer;
let cache: string;
let k: Kubectl;
let client: HttpsClientset;
const watching = new AbortController();
/** Pod watch events of app=web, with the pods Ready at that moment. */
const seen: { type: string; name: string; uid: string; readyNow: string[] }[] = [];
/** The app=web pods as the watch last showed them (polling this costs no kubectl run). */
const live = new Map<string, PodItem>();

interface PodItem {
  metadata: { name: string; uid: string; labels: Record<string, string> };
  spec: {
    hostname?: string;
    subdomain?: string;
    containers: { image: string }[];
    volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[];
  };
  status: { phase?: string; conditions?: { type: string; status: string }[] };
}

const isReady = (p: PodItem) =>
  p.status.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** A hostPath PV reserved (claimRef) for the claim www-web-<i> the controller will create. */
const volume = (i: number) => `apiVersion: v1
kind: PersistentVolume
metadata: {name: k8ts-sts-e2e-www-web-${i}}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: ""
  hostPath: {path: /tmp/k8ts-sts-e2e-${i}}
  claimRef: {namespace: default, name: www-web-${i}}
`;

const WEB = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: 80, name: web}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: "nginx:1.27.0"
        volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]
  volumeClaimTemplates:
  - metadata: {name: www}
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: ""
      resources: {requests: {storage: 1Gi}}
`;

async function pods(): Promise<PodItem[]> {
  return [...live.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

async function images(): Promise<string> {
  return (await pods()).map((p) => `${p.metadata.name}=${p.spec.containers[0]?.image}`).join(' ');
}

before(async () => {
  server = await startServer({ args: ['--runtime', 'fake', '--fake-nodes', '2'] });
  cache = await mkdtemp(join(tmpdir(), 'k8ts-sts-'));
  k = kubectl('1.33', server.kubeconfig, cache);
  client = new HttpsClientset({ kubeconfig: server.kubeconfig });
  const ready = new Map<string, boolean>();
  const podsClient = client.resource({ group: '', version: 'v1', resource: 'pods' });
  void podsClient
    .watch(
      'default',
      { labelSelector: 'app=web' },
      (e: WatchEvent) => {
        const p = e.object as unknown as PodItem;
        if (e.type === 'DELETED') live.delete(p.metadata.name);
        else live.set(p.metadata.name, p);
        if (e.type === 'DELETED') ready.delete(p.metadata.name);
        else ready.set(p.metadata.name, isReady(p));
        const readyNow = [...ready]
          .filter(([, r]) => r)
          .map(([n]) => n)
          .sort();
        seen.push({ type: e.type, name: p.metadata.name, uid: p.metadata.uid, readyNow });
      },
      watching.signal,
    )
    .done.catch(() => {});
});

after(async () => {
  watching.abort();
  client?.close();
  await server?.stop();
  await server?.cleanup();
  if (cache) await rm(cache, { recursive: true, force: true });
});

describe('StatefulSet on simulated nodes', { timeout: 120_000 }, () => {
  it('starts web-0, web-1, web-2 in order, each once its predecessor is Ready', async () => {
    await eventually('2 Ready nodes', async () => (ok(await k(['get', 'nodes']), 'get nodes').match(/\sReady\s/g) ?? []).length === 2);
    ok(await k(['apply', '-f', '-'], { input: [0, 1, 2].map(volume).join('---\n') }), 'apply volumes');
    ok(await k(['apply', '-f', '-'], { input: WEB }), 'apply web');
    const status = ok(await k(['rollout', 'status', 'sts/web', '--timeout=60s']), 'rollout status');
    assert.match(ok(await k(['get', 'pvc', 'www-web-2']), 'get pvc'), /www-web-2\s+Bound\s+k8ts-sts-e2e-www-web-2\s/);
    assert.match(status, /partitioned roll out complete: 3 new pods have been updated/);
    const added = seen.filter((e) => e.type === 'ADDED').map((e) => `${e.name} after [${e.readyNow.join(',')}]`);
    assert.deepEqual(added, ['web-0 after []', 'web-1 after [web-0]', 'web-2 after [web-0,web-1]']);
    const listed = (JSON.parse(ok(await k(['get', 'pods', '-l', 'app=web', '-o', 'json']), 'get pods')) as { items: PodItem[] }).items;
    const web1 = listed.find((p) => p.metadata.name === 'web-1');
    assert.equal(web1?.spec.hostname, 'web-1');
    assert.equal(web1?.spec.subdomain, 'web');
    assert.equal(web1?.metadata.labels['statefulset.kubernetes.io/pod-name'], 'web-1');
    assert.equal(web1?.metadata.labels['apps.kubernetes.io/pod-index'], '1');
    assert.match(web1?.metadata.labels['controller-revision-hash'] ?? '', /^web-[a-z0-9]+$/);
    assert.match(ok(await k(['get', 'sts', 'web']), 'get sts'), /web\s+3\/3\s/);
    const described = ok(await k(['describe', 'sts', 'web']), 'describe');
    assert.match(described, /Normal\s+SuccessfulCreate\s+\S+\s+statefulset-controller\s+create Pod web-0 in StatefulSet web successful/);
  });

  it('brings a deleted pod back with the same name and the same claim', async () => {
    const before = (await pods()).find((p) => p.metadata.name === 'web-1');
    const claimUid = ok(await k(['get', 'pvc', 'www-web-1', '-o', 'jsonpath={.metadata.uid}']), 'pvc uid');
    ok(await k(['delete', 'pod', 'web-1', '--wait=true', '--timeout=120s']), 'delete pod');
    await eventually('web-1 back and Ready', async () => {
      const p = (await pods()).find((x) => x.metadata.name === 'web-1');
      return p !== undefined && p.metadata.uid !== before?.metadata.uid && isReady(p);
    });
    const back = (await pods()).find((p) => p.metadata.name === 'web-1');
    assert.deepEqual(back?.spec.volumes?.find((v) => v.name === 'www')?.persistentVolumeClaim, { claimName: 'www-web-1' });
    assert.equal(ok(await k(['get', 'pvc', 'www-web-1', '-o', 'jsonpath={.metadata.uid}']), 'pvc uid'), claimUid);
  });

  it('creates the next claim with the next pod, and scales down from the highest ordinal', async () => {
    ok(await k(['scale', 'sts', 'web', '--replicas=4']), 'scale up');
    await eventually('web-3 and its claim', async () => (await pods()).some((p) => p.metadata.name === 'web-3'));
    assert.match(ok(await k(['get', 'pvc', 'www-web-3']), 'get pvc'), /www-web-3\s+Pending/);
    const mark = seen.length;
    ok(await k(['scale', 'sts', 'web', '--replicas=2']), 'scale down');
    await eventually('2 pods', async () => (await pods()).length === 2);
    const deleted = seen
      .slice(mark)
      .filter((e) => e.type === 'DELETED')
      .map((e) => e.name);
    assert.deepEqual(deleted, ['web-3', 'web-2']);
    assert.match(ok(await k(['get', 'pvc']), 'claims are kept'), /www-web-3/);
    ok(await k(['scale', 'sts', 'web', '--replicas=3']), 'scale back');
    ok(await k(['rollout', 'status', 'sts/web', '--timeout=60s']), 'rollout status');
  });

  it('rolls out a new image above a partition, then everywhere', async () => {
    ok(await k(['patch', 'sts', 'web', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}']), 'partition');
    ok(await k(['set', 'image', 'sts/web', 'nginx=nginx:1.27.1']), 'set image');
    const partial = ok(await k(['rollout', 'status', 'sts/web', '--timeout=60s']), 'rollout status');
    assert.match(partial, /partitioned roll out complete: 1 new pods have been updated/);
    assert.equal(await images(), 'web-0=nginx:1.27.0 web-1=nginx:1.27.0 web-2=nginx:1.27.1');
    const st = ok(
      await k(['get', 'sts', 'web', '-o', 'jsonpath={.status.currentRevision} {.status.updateRevision} {.status.updatedReplicas}']),
      'st',
    );
    const [current, update, updated] = st.split(' ');
    assert.notEqual(current, update);
    assert.equal(updated, '1');
    ok(await k(['patch', 'sts', 'web', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}']), 'partition 0');
    ok(await k(['rollout', 'status', 'sts/web', '--timeout=60s']), 'rollout status');
    await eventually('every pod updated', async () => (await images()) === 'web-0=nginx:1.27.1 web-1=nginx:1.27.1 web-2=nginx:1.27.1');
    await eventually('the update revision is current', async () => {
      const s = ok(await k(['get', 'sts', 'web', '-o', 'jsonpath={.status.currentRevision} {.status.currentReplicas}']), 'st');
      return s === `${update} 3`;
    });
  });

  it('keeps history, undoes, and restarts', async () => {
    const history = ok(await k(['rollout', 'history', 'sts/web']), 'history');
    assert.match(history, /^1\s+<none>/m);
    assert.match(history, /^2\s+<none>/m);
    const rev1 = ok(await k(['rollout', 'history', 'sts/web', '--revision=1']), 'history revision 1');
    assert.match(rev1, /Image:\s+nginx:1\.27\.0/);
    assert.match(ok(await k(['rollout', 'undo', 'sts/web']), 'undo'), /statefulset.apps\/web rolled back/);
    ok(await k(['rollout', 'status', 'sts/web', '--timeout=60s']), 'rollout status after undo');
    await eventually(
      'every pod back on 1.27.0',
      async () => (await images()) === 'web-0=nginx:1.27.0 web-1=nginx:1.27.0 web-2=nginx:1.27.0',
    );
    const after = ok(await k(['rollout', 'history', 'sts/web']), 'history after undo');
    assert.doesNotMatch(after, /^1\s/m, 'revision 1 became revision 3');
    assert.match(after, /^3\s+<none>/m);
    assert.match(
      ok(await k(['rollout', 'undo', 'sts/web', '--to-revision=3']), 'undo to the current revision'),
      /skipped rollback \(current template already matches revision 3\)/,
    );
    const uids = (await pods()).map((p) => p.metadata.uid);
    assert.match(ok(await k(['rollout', 'restart', 'sts/web']), 'restart'), /statefulset.apps\/web restarted/);
    const old = kubectl('1.27', server.kubeconfig, cache);
    ok(await old(['rollout', 'status', 'sts/web', '--timeout=60s']), 'rollout status (kubectl 1.27)');
    await eventually('every pod replaced', async () => {
      const now = await pods();
      return now.length === 3 && now.every((p) => !uids.includes(p.metadata.uid) && isReady(p));
    });
    assert.match(ok(await k(['rollout', 'history', 'sts/web']), 'history after restart'), /^4\s+<none>/m);
  });
  it("deletes claims by the retention policy: a scaled-down pod's, then the set's", async () => {
    const db = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  podManagementPolicy: Parallel
  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Delete}
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: "busybox"}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: ""
      resources: {requests: {storage: 1Gi}}
`;
    ok(await k(['apply', '-f', '-'], { input: db }), 'apply db');
    const claims = async () => ok(await k(['get', 'pvc', '-l', 'app=db', '-o', 'jsonpath={.items[*].metadata.name}']), 'claims').trim();
    await eventually('both claims', async () => (await claims()) === 'data-db-0 data-db-1');
    const owner = ok(await k(['get', 'pvc', 'data-db-0', '-o', 'jsonpath={.metadata.ownerReferences[0].kind}']), 'owner');
    assert.equal(owner, 'StatefulSet');
    ok(await k(['scale', 'sts', 'db', '--replicas=1']), 'scale db');
    await eventually('the scaled-down claim collected', async () => (await claims()) === 'data-db-0');
    ok(await k(['delete', 'sts', 'db']), 'delete db');
    await eventually('every claim collected', async () => (await claims()) === '');
  });
});
