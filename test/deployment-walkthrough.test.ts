/**
 * Seed 004's Deployment walk-through with real kubectl against `k8ts server --runtime fake`:
 * create, get -o wide, describe with events, a deleted pod replaced, scale, expose as
 * NodePort, a rolling update of the image, rollout history, undo and status. The components act
 * with their own least-privileged identities: the audit log names the deployment controller's
 * ServiceAccount as the ReplicaSet's creator, and the scheduler's kubeconfig cannot delete a namespace.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from './support/server.js';
import { kubectl, type Kubectl, ok } from './support/kubectl.js';
import { eventually } from './support/wait.js';

let server: TestServer;
let cache: string;
let k: Kubectl;

/** Who created ReplicaSets: the only requests the audit policy records. */
const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
  verbs: [create]
  resources: [{ group: apps, resources: [replicasets] }]
- level: None
`;

before(async () => {
  cache = await mkdtemp(join(tmpdir(), 'k8ts-walkthrough-'));
  await writeFile(join(cache, 'audit-policy.yaml'), AUDIT_POLICY);
  server = await startServer({
    args: [
      ...['--runtime', 'fake', '--fake-nodes', '3'],
      ...['--audit-policy-file', join(cache, 'audit-policy.yaml'), '--audit-log-path', join(cache, 'audit.log')],
    ],
  });
  k = kubectl('1.33', server.kubeconfig, cache);
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  if (cache) await rm(cache, { recursive: true, force: true });
});

interface PodList {
  items: {
    metadata: { name: string; labels: Record<string, string> };
    spec: { nodeName?: string };
    status: { phase: string; podIP?: string };
  }[];
}

async function runningPods(): Promise<PodList['items']> {
  const list = JSON.parse(ok(await k(['get', 'pods', '-l', 'app=nginx', '-o', 'json']), 'get pods')) as PodList;
  return list.items.filter((p) => p.status.phase === 'Running' && p.status.podIP && p.spec.nodeName);
}

describe('the Deployment walk-through of seed 004', { timeout: 240_000 }, () => {
  it('creates a deployment whose pod runs on a node', async () => {
    await eventually('3 Ready nodes', async () => (ok(await k(['get', 'nodes']), 'get nodes').match(/\sReady\s/g) ?? []).length === 3);
    assert.match(ok(await k(['create', 'deployment', 'nginx', '--image=nginx:1.27.0']), 'create'), /deployment.apps\/nginx created/);
    ok(await k(['rollout', 'status', 'deployment/nginx', '--timeout=60s']), 'rollout status');
    const wide = ok(await k(['get', 'deploy,rs,po', '-o', 'wide']), 'get -o wide');
    assert.match(wide, /deployment.apps\/nginx\s+1\/1\s+1\s+1\s/);
    assert.match(wide, /replicaset.apps\/nginx-[a-z0-9]+\s+1\s+1\s+1\s/);
    assert.match(wide, /pod\/nginx-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.\d+\.\d+\s+fake-node-\d/);
  });

  it('describes the deployment and the pod with their events', async () => {
    // events are recorded asynchronously by each component
    await eventually('the ScalingReplicaSet event', async () =>
      /Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set nginx-[a-z0-9]+ from 0 to 1/.test(
        ok(await k(['describe', 'deployment', 'nginx']), 'describe deploy'),
      ),
    );
    const [pod] = await runningPods();
    assert.ok(pod);
    await eventually('the Scheduled and Started events', async () => {
      const described = ok(await k(['describe', 'pod', pod.metadata.name]), 'describe pod');
      return (
        /Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/nginx-\S+ to fake-node-\d/.test(described) &&
        /Normal\s+Started\s+\S+\s+kubelet\s+Started container nginx/.test(described)
      );
    });
  });

  it('replaces a deleted pod', async () => {
    const [pod] = await runningPods();
    assert.ok(pod);
    ok(await k(['delete', 'pod', pod.metadata.name, '--wait=true', '--timeout=60s']), 'delete pod');
    await eventually('a replacement pod', async () => {
      const pods = await runningPods();
      return pods.length === 1 && pods[0]?.metadata.name !== pod.metadata.name;
    });
  });

  it('scales to 3 and exposes the deployment as a NodePort service', async () => {
    ok(await k(['scale', 'deployment', 'nginx', '--replicas=3']), 'scale');
    ok(await k(['rollout', 'status', 'deployment/nginx', '--timeout=60s']), 'rollout status');
    assert.equal((await runningPods()).length, 3);
    ok(await k(['expose', 'deployment', 'nginx', '--type=NodePort', '--port=80']), 'expose');
    const svc = ok(await k(['get', 'svc', 'nginx']), 'get svc');
    assert.match(svc, /nginx\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:3\d{4}\/TCP/);
    await eventually('3 endpoints', async () => {
      const ips = ok(await k(['get', 'endpoints', 'nginx', '-o', 'jsonpath={.subsets[*].addresses[*].ip}']), 'get ep').trim();
      return ips.split(/\s+/).filter(Boolean).length === 3;
    });
  });

  it('rolls out a new image, keeps history, and undoes it', async () => {
    ok(await k(['set', 'image', 'deployment/nginx', 'nginx=nginx:1.27.1']), 'set image');
    ok(await k(['rollout', 'status', 'deployment/nginx', '--timeout=90s']), 'rollout status');
    const images = ok(await k(['get', 'pods', '-l', 'app=nginx', '-o', 'jsonpath={.items[*].spec.containers[0].image}']), 'images');
    assert.deepEqual([...new Set(images.trim().split(/\s+/))], ['nginx:1.27.1']);
    const rs = ok(await k(['get', 'rs', '-l', 'app=nginx']), 'get rs');
    assert.match(rs, /nginx-[a-z0-9]+\s+3\s+3\s+3\s/);
    assert.match(rs, /nginx-[a-z0-9]+\s+0\s+0\s+0\s/);
    const history = ok(await k(['rollout', 'history', 'deployment/nginx']), 'history');
    assert.match(history, /^1\s+<none>/m);
    assert.match(history, /^2\s+<none>/m);
    ok(await k(['rollout', 'undo', 'deployment/nginx']), 'undo');
    ok(await k(['rollout', 'status', 'deployment/nginx', '--timeout=90s']), 'rollout status after undo');
    const back = ok(
      await k([
        'get',
        'deploy',
        'nginx',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}',
      ]),
      'revision',
    );
    assert.equal(back.trim(), 'nginx:1.27.0 3');
  });

  it('runs each component as its own identity, never system:masters', async () => {
    type AuditEvent = { user: { username: string; groups?: string[] }; responseStatus?: { code: number } };
    let events: AuditEvent[] = [];
    await eventually('the ReplicaSet creates in the audit log', async () => {
      const log = await readFile(join(cache, 'audit.log'), 'utf8').catch(() => '');
      events = log
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AuditEvent);
      return events.length >= 2;
    });
    const creators = new Set(events.filter((e) => e.responseStatus?.code === 201).map((e) => e.user.username));
    assert.deepEqual([...creators], ['system:serviceaccount:kube-system:deployment-controller']);
    assert.ok(events.every((e) => !e.user.groups?.includes('system:masters')));
    const scheduler = kubectl('1.33', join(server.dataDir, 'scheduler.conf'), cache);
    const denied = await scheduler(['delete', 'namespace', 'default']);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /Forbidden.*User "system:kube-scheduler" cannot delete resource "namespaces"/);
    assert.match(ok(await scheduler(['auth', 'can-i', 'create', 'pods', '--subresource', 'binding']), 'can-i'), /^yes/);
  });
});
