/**
 * The kubelet server end to end on a real node (k8ts server --runtime containerd): `kubectl
 * logs` through the apiserver's pods/log proxy and the kubelet's /containerLogs (plain, -f
 * until the container exits, --previous after a restart, --tail, --timestamps, -c, and
 * --all-containers) with every kubectl 1.27–1.33; upstream's 400s for bad log parameters and
 * unknown containers; `kubectl get --raw` on nodes/N/proxy (healthz, stats/summary); and the
 * kubelet port refusing a client certificate that is not the apiserver's.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BUSYBOX_IMAGE } from '../src/kubelet/images/busybox-image.js';
import { rotateContainerLogs } from '../src/kubelet/logs/container-log-manager.js';
import { CriRuntime } from '../src/kubelet/runtime/cri/cri-runtime.js';
import type { KubeObject } from '../src/machinery/object.js';
import { KUBECTL_VERSIONS, kubectl, ok, type Kubectl } from './support/kubectl.js';
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

/**
 * Waits for a pod's condition, updating the pod every second: an update makes the kubelet sync
 * it, also where the runtime sends no container events (containerd 1.6) and nothing relists.
 */
async function eventuallyNudged(name: string, check: () => Promise<boolean>): Promise<void> {
  const pods = (node as RealNodeServer).client.resource(PODS);
  let nudge = 0;
  await eventually(
    `${name}: the condition`,
    async () => {
      await pods.patch('default', name, 'merge', { metadata: { annotations: { nudge: String(nudge++) } } });
      return check();
    },
    60_000,
    1000,
  );
}

before(async () => {
  if (skip) return;
  node = await startRealNodeServer({ nodeName: NODE, clusterCIDR: '10.253.0.0/16' });
  cacheDir = await mkdtemp(join(tmpdir(), 'k8ts-logs-kubectl-'));
  kubectls = KUBECTL_VERSIONS.map((v) => kubectl(v, node?.server.kubeconfig ?? '', join(cacheDir, v)));
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

/** Runs `check` with every kubectl version at once. */
async function forEachKubectl(check: (k: Kubectl) => Promise<void>): Promise<void> {
  await Promise.all(kubectls.map((k) => check(k)));
}

describe('kubelet server', { skip, timeout: 300_000 }, () => {
  it('reports its real port in daemonEndpoints', async () => {
    const n = await (node as RealNodeServer).client.resource(NODES).get('', NODE);
    const port = ((status(n)['daemonEndpoints'] as Obj)['kubeletEndpoint'] as Obj)['Port'];
    assert.ok(typeof port === 'number' && port > 0 && port !== 10250, `port ${String(port)}`);
  });

  it('kubectl logs: plain, -c, --tail, --timestamps, --all-containers', async () => {
    // every kubectl version at once: they only read
    await forEachKubectl(async (k) => {
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
    });
  });

  it('containers log in CRI format under DATA/log/pods, removed with the pod', async () => {
    const pods = (node as RealNodeServer).client.resource(PODS);
    const uid = (await pods.get('default', 'two')).metadata.uid ?? '';
    const dir = join((node as RealNodeServer).dataDir, 'log', 'pods', `default_two_${uid}`);
    const log = await readFile(join(dir, 'a', '0.log'), 'utf8');
    assert.match(log.split('\n')[0] ?? '', /^\d{4}-\d{2}-\d{2}T\S+ stdout F a1$/);
    await pods.create('default', pod('short', [{ name: 's', command: ['sh', '-c', 'echo bye'] }], 'Never'));
    await eventuallyNudged('short', async () => (await podStatus('short'))['phase'] === 'Succeeded');
    const shortDir = join(
      (node as RealNodeServer).dataDir,
      'log',
      'pods',
      `default_short_${(await pods.get('default', 'short')).metadata.uid}`,
    );
    assert.equal(await readFile(join(shortDir, 's', '0.log'), 'utf8').then((t) => t.endsWith(' stdout F bye\n')), true);
    await pods.delete('default', 'short', { gracePeriodSeconds: 0 });
    await eventually('the log directory removed with the pod', async () => !(await stat(shortDir).catch(() => undefined)), 30_000);
  });

  it('rotates a log on containerd: rename, ReopenContainerLog, a fresh file goes on', async () => {
    const n = node as RealNodeServer;
    const pods = n.client.resource(PODS);
    await pods.create(
      'default',
      pod('chatty', [{ name: 'w', command: ['sh', '-c', 'i=0; while true; do echo line$i; i=$((i+1)); sleep 0.02; done'] }]),
    );
    await eventually('chatty running', async () => (await podStatus('chatty'))['phase'] === 'Running', 60_000);
    const dir = join(n.dataDir, 'log', 'pods', `default_chatty_${(await pods.get('default', 'chatty')).metadata.uid}`, 'w');
    await eventually('some output', async () => ((await stat(join(dir, '0.log')).catch(() => undefined))?.size ?? 0) > 500);
    const runtime = new CriRuntime({ endpoint: `unix://${n.socket}` });
    // other pods' containers come and go meanwhile: their errors only explain a failure here
    const errors: string[] = [];
    try {
      await rotateContainerLogs({ runtime, maxSize: 500, onError: (m) => errors.push(m) });
    } finally {
      runtime.close();
    }
    const rotated = (await readdir(dir)).filter((f) => f.startsWith('0.log.'));
    assert.equal(rotated.length, 1, `${(await readdir(dir)).join(' ')} ${errors.join('; ')}`);
    await eventually(
      'the runtime writes a fresh 0.log',
      async () => ((await stat(join(dir, '0.log')).catch(() => undefined))?.size ?? 0) > 0,
    );
    const fresh = await readFile(join(dir, '0.log'), 'utf8');
    const before = await readFile(join(dir, rotated[0] as string), 'utf8');
    const last = (text: string) => Number(/line(\d+)\n$/.exec(text)?.[1]);
    assert.ok(Number(/line(\d+)/.exec(fresh)?.[1]) > last(before), 'the fresh file goes on where the rotated one ended');
    assert.match(ok(await (kubectls.at(-1) as Kubectl)(['logs', 'chatty', '--tail', '1']), 'logs after rotation'), /^line\d+\n$/);
    await pods.delete('default', 'chatty', { gracePeriodSeconds: 0 });
  });

  it('kubectl logs -f follows until the container exits', async () => {
    const pods = (node as RealNodeServer).client.resource(PODS);
    await forEachKubectl(async (k) => {
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
    });
  });

  it('kubectl logs --previous shows the attempt before a restart', async () => {
    await eventuallyNudged(
      'restarts',
      async () => Number((((await podStatus('restarts'))['containerStatuses'] ?? []) as Obj[])[0]?.['restartCount'] ?? 0) >= 1,
    );
    await forEachKubectl(async (k) => {
      // while the newest attempt lies dead in its back-off, the one before it may be garbage already
      // (one dead container is kept per container, as upstream): ask again once it runs
      let r = await k(['logs', 'restarts', '--previous']);
      await eventually(
        `${k.version}: logs --previous`,
        async () => {
          if (r.code !== 0) r = await k(['logs', 'restarts', '--previous']);
          return r.code === 0;
        },
        60_000,
        500,
      ).catch(() => undefined);
      const previous = ok(r, 'logs --previous');
      assert.match(previous, /^run \d+\.\d+\n$/);
      const current = (await k(['logs', 'restarts'])).stdout;
      if (current !== '') assert.notEqual(current, previous);
      const none = await k(['logs', 'two', '-c', 'a', '--previous']);
      assert.notEqual(none.code, 0);
      assert.match(none.stderr, /previous terminated container "a" in pod "two" not found/);
    });
  });

  it('answers bad log requests with upstream’s Status', async () => {
    const raw = async (query: string): Promise<Obj> => {
      const r = await (kubectls.at(-1) as Kubectl)(['get', '--raw', `/api/v1/namespaces/default/pods/two/log?${query}`]);
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
    const k = kubectls.at(-1) as Kubectl;
    assert.equal(ok(await k(['get', '--raw', `/api/v1/nodes/${NODE}/proxy/healthz`]), 'proxy healthz'), 'ok');
    const pods = JSON.parse(ok(await k(['get', '--raw', `/api/v1/nodes/${NODE}/proxy/pods`]), 'proxy pods')) as { items: KubeObject[] };
    assert.ok(pods.items.some((p) => p.metadata.name === 'two'));
    const missing = await k(['get', '--raw', '/api/v1/nodes/nope/proxy/healthz']);
    assert.match(missing.stderr, /nodes "nope" not found/);
  });

  it('/stats/summary has the node’s and the running pods’ usage', async () => {
    const k = kubectls[0] as Kubectl;
    type Summary = { node: Obj; pods: { podRef: Obj; cpu: Obj; memory: Obj; containers: { name: string; cpu: Obj; memory: Obj }[] }[] };
    const summary = JSON.parse(ok(await k(['get', '--raw', `/api/v1/nodes/${NODE}/proxy/stats/summary`]), 'stats/summary')) as Summary;
    assert.equal(summary.node['nodeName'], NODE);
    const cpu = summary.node['cpu'] as Obj;
    // a rate over /proc/stat's 10 ms ticks: an idle machine can show none in the 100 ms between two samples
    assert.ok(typeof cpu['usageNanoCores'] === 'number' && Number(cpu['usageCoreNanoSeconds']) > 0, JSON.stringify(cpu));
    assert.ok(Number((summary.node['memory'] as Obj)['workingSetBytes']) > 0);
    assert.ok(Number((summary.node['fs'] as Obj)['capacityBytes']) > 0);
    const two = summary.pods.find((p) => p.podRef['name'] === 'two');
    assert.ok(two, JSON.stringify(summary.pods.map((p) => p.podRef)));
    assert.deepEqual(two.containers.map((c) => c.name).sort(), ['a', 'b']);
    for (const c of two.containers) {
      assert.ok(Number(c.cpu['usageCoreNanoSeconds']) > 0, JSON.stringify(c.cpu));
      assert.ok(typeof c.cpu['usageNanoCores'] === 'number', JSON.stringify(c.cpu));
      assert.ok(Number(c.memory['workingSetBytes']) > 0, JSON.stringify(c.memory));
    }
    assert.ok(Number(two.memory['workingSetBytes']) > 0);
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
