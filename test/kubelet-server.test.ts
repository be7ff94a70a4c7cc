/**
 * The kubelet server end to end on a real node (k8ts server --runtime containerd): `kubectl
 * logs` through the apiserver's pods/log proxy and the kubelet's /containerLogs (plain, -f
 * until the container exits, --previous after a restart, --tail, --timestamps, -c, and
 * --all-containers) with kubectl 1.27 and 1.33; upstream's 400s for bad log parameters and
 * unknown containers; `kubectl get --raw` on nodes/N/proxy (healthz, stats/summary); and the
 * kubelet port refusing a client certificate that is not the apiserver's.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HttpsClientset } from '../src/client/rest.js';
import { BUSYBOX_IMAGE } from '../src/kubelet/images/busybox-image.js';
import type { KubeObject } from '../src/machinery/object.js';
import { kubectl, ok, type Kubectl } from './support/kubectl.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';
import { eventually } from './support/wait.js';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const NODE = 'k8ts-logs-node';

const skip = await realNodeUnavailableForTests();
let node: RealNodeServer | undefined;
let cacheDir = '';
let kubectls: Kubectl[] = [];

const status = (o: KubeObject | undefined): Obj => (o?.['status'] ?? {}) as Obj;

function pod(name: string, containers: Obj[], restartPolicy = 'Always'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      restartPolicy,
      terminationGracePeriodSeconds: 1,
      containers: containers.map((c) => ({ image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', ...c })),
    },
  };
}

async function podStatus(name: string): Promise<Obj> {
  return status(await (node as RealNodeServer).client.resource(PODS).get('default', name));
}

before(async () => {
  if (skip) return;
  node = await startRealNodeServer({ nodeName: NODE, clusterCIDR: '10.253.0.0/16' });
  cacheDir = await mkdtemp(join(tmpdir(), 'k8ts-logs-kubectl-'));
  kubectls = (['1.27', '1.33'] as const).map((v) => kubectl(v, node?.server.kubeconfig ?? '', join(cacheDir, v)));
  const pods = node.client.resource(PODS);
  await pods.create(
    'default',
    pod('two', [
      { name: 'a', command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo a$i; done; exec sleep 3600'] },
      { name: 'b', command: ['sh', '-c', 'echo b-out; echo b-err >&2; exec sleep 3600'] },
    ]),
  );
  await pods.create(
    'default',
    pod('restarts', [{ name: 'c', command: ['sh', '-c', 'echo run $(cut -d" " -f1 /proc/uptime); sleep 1; exit 1'] }]),
  );
  await eventually('pod two running', async () => (await podStatus('two'))['phase'] === 'Running', 90_000);
});

after(async () => {
  if (!node) return;
  await rm(cacheDir, { recursive: true, force: true });
  assert.deepEqual(await node.stop(), [], 'the test left these behind');
});

describe('kubelet server', { skip, timeout: 180_000 }, () => {
  it('reports its real port in daemonEndpoints', async () => {
    const n = await (node as RealNodeServer).client.resource(NODES).get('', NODE);
    const port = ((status(n)['daemonEndpoints'] as Obj)['kubeletEndpoint'] as Obj)['Port'];
    assert.ok(typeof port === 'number' && port > 0 && port !== 10250, `port ${String(port)}`);
  });

  it('kubectl logs: plain, -c, --tail, --timestamps, --all-containers', async () => {
    for (const k of kubectls) {
      await eventually(`${k.version}: a's five lines`, async () => (await k(['logs', 'two', '-c', 'a'])).stdout === 'a1\na2\na3\na4\na5\n');
      assert.equal(ok(await k(['logs', 'two', '-c', 'a', '--tail', '2']), 'logs --tail'), 'a4\na5\n');
      const both = ok(await k(['logs', 'two', '-c', 'b']), 'logs -c b');
      assert.deepEqual(both.split('\n').sort(), ['', 'b-err', 'b-out']);
      const stamped = ok(await k(['logs', 'two', '-c', 'a', '--timestamps', '--tail', '1']), 'logs --timestamps');
      assert.match(stamped, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}) a5\n$/);
      const since = Date.parse(stamped.split(' ')[0] as string);
      assert.ok(Math.abs(Date.now() - since) < 5 * 60_000, `timestamp ${stamped}`);
      const all = ok(await k(['logs', 'two', '--all-containers']), 'logs --all-containers');
      for (const want of ['a1', 'a5', 'b-out', 'b-err']) assert.ok(all.split('\n').includes(want), `${k.version}: ${want} in ${all}`);
      assert.equal(ok(await k(['logs', 'two', '-c', 'a', '--limit-bytes', '5']), 'logs --limit-bytes'), 'a1\na2');
      assert.equal(ok(await k(['logs', 'two', '-c', 'a', '--since', '1h']), 'logs --since'), 'a1\na2\na3\na4\na5\n');
    }
  });

  it('kubectl logs -f follows until the container exits', async () => {
    const pods = (node as RealNodeServer).client.resource(PODS);
    for (const k of kubectls) {
      const name = `follow-${k.version.replace('.', '-')}`;
      await pods.create(
        'default',
        pod(name, [{ name: 'f', command: ['sh', '-c', 'for i in 1 2 3; do echo f$i; sleep 1; done'] }], 'Never'),
      );
      await eventually(`${name} started`, async () => ['Running', 'Succeeded'].includes(String((await podStatus(name))['phase'])), 60_000);
      const started = Date.now();
      const r = await k(['logs', '-f', name], { timeoutMs: 30_000 });
      assert.equal(ok(r, 'logs -f'), 'f1\nf2\nf3\n');
      assert.ok(Date.now() - started < 20_000);
    }
  });

  it('kubectl logs --previous shows the attempt before a restart', async () => {
    // a pod update makes the kubelet sync (and restart) it even where the runtime sends no container events
    const pods = (node as RealNodeServer).client.resource(PODS);
    let nudge = 0;
    await eventually(
      'a restart',
      async () => {
        await pods.patch('default', 'restarts', 'merge', { metadata: { annotations: { nudge: String(nudge++) } } });
        return Number(((((await podStatus('restarts'))['containerStatuses'] ?? []) as Obj[])[0] ?? {})['restartCount'] ?? 0) >= 1;
      },
      60_000,
      1000,
    );
    for (const k of kubectls) {
      const previous = ok(await k(['logs', 'restarts', '--previous']), 'logs --previous');
      assert.match(previous, /^run \d+\.\d+\n$/);
      const current = (await k(['logs', 'restarts'])).stdout;
      if (current !== '') assert.notEqual(current, previous);
      const none = await k(['logs', 'two', '-c', 'a', '--previous']);
      assert.notEqual(none.code, 0);
      assert.match(none.stderr, /previous terminated container "a" in pod "two" not found/);
    }
  });

  it('answers bad log requests with upstream’s Status', async () => {
    const raw = async (query: string): Promise<Obj> => {
      const r = await (kubectls[1] as Kubectl)(['get', '--raw', `/api/v1/namespaces/default/pods/two/log?${query}`]);
      assert.notEqual(r.code, 0, query);
      return { stderr: r.stderr };
    };
    assert.match(String((await raw('container=nope'))['stderr']), /container nope is not valid for pod two/);
    assert.match(String((await raw('container=a&tailLines=abc'))['stderr']), /strconv.ParseInt: parsing "abc": invalid syntax/);
    assert.match(
      String((await raw('container=a&tailLines=-1'))['stderr']),
      /tailLines: Invalid value: -1: must be greater than or equal to 0/,
    );
    assert.match(String((await raw(''))['stderr']), /a container name must be specified for pod two, choose one of: \[a b\]/);
    const r = await (kubectls[0] as Kubectl)(['logs', 'two', '-c', 'a', '--since-time', 'yesterday']);
    assert.notEqual(r.code, 0);
  });

  it('kubectl get --raw reaches the kubelet through nodes/N/proxy', async () => {
    const k = kubectls[1] as Kubectl;
    assert.equal(ok(await k(['get', '--raw', `/api/v1/nodes/${NODE}/proxy/healthz`]), 'proxy healthz'), 'ok');
    const pods = JSON.parse(ok(await k(['get', '--raw', `/api/v1/nodes/${NODE}/proxy/pods`]), 'proxy pods')) as { items: KubeObject[] };
    assert.ok(pods.items.some((p) => p.metadata.name === 'two'));
    const missing = await k(['get', '--raw', '/api/v1/nodes/nope/proxy/healthz']);
    assert.match(missing.stderr, /nodes "nope" not found/);
  });

  it('the kubelet port refuses clients that are not the apiserver', async () => {
    const n = await (node as RealNodeServer).client.resource(NODES).get('', NODE);
    const port = ((status(n)['daemonEndpoints'] as Obj)['kubeletEndpoint'] as Obj)['Port'] as number;
    const admin = (await readFile((node as RealNodeServer).server.kubeconfig, 'utf8')).match(
      /client-certificate-data: (\S+)[\s\S]*client-key-data: (\S+)/,
    );
    const get = (auth: { cert?: string; key?: string }): Promise<{ code: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/pods', rejectUnauthorized: false, ...auth }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    assert.equal((await get({})).code, 401);
    const asAdmin = await get({
      cert: Buffer.from(admin?.[1] ?? '', 'base64').toString(),
      key: Buffer.from(admin?.[2] ?? '', 'base64').toString(),
    });
    assert.equal(asAdmin.code, 403);
    assert.match(asAdmin.body, /Forbidden \(user=kubernetes-admin, verb=get, resource=nodes, subresource\(s\)=\[pods\]\)/);
  });
});
