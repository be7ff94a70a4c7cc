/**
 * Simulated nodes end to end: a real `k8ts server` process, the fake-node agent in this process
 * on the real HTTPS client and informers, and the real kubectl. Nodes register and are Ready,
 * leases are renewed (and stop being renewed when the agent stops), pods bound to a node run
 * with a pod IP, a pod told to exit completes, and deletion completes as a kubelet's would.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HttpsClientset } from '../src/client/rest.js';
import { type FakeNodes, startFakeNodes } from '../src/kubelet/fake-nodes.js';
import { IPPool } from '../src/kubelet/runtime/fake/ip-pool.js';
import type { KubeObject } from '../src/machinery/object.js';
import { type Kubectl, kubectl } from './support/kubectl.js';
import { REPO, startServer, type TestServer } from './support/server.js';
import { agentReady } from './support/nodes.js';
import { loadKubeconfig } from '../src/client/kubeconfig.js';
import { createCertificateRequestPem } from '../src/pki/csr.js';
import { generateKeyPair } from '../src/pki/keys.js';
import { X509Certificate } from 'node:crypto';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const EVENTS = { group: '', version: 'v1', resource: 'events' };

let server: TestServer;
let client: HttpsClientset;
let k: Kubectl;
let cacheDir: string;
let nodes: FakeNodes;
let joined: ChildProcess | undefined;
const run = promisify(execFile);
const stop = new AbortController();

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

function pod(name: string, nodeName: string, extra: { annotations?: Record<string, string>; restartPolicy?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: { nodeName, restartPolicy: extra.restartPolicy ?? 'Always', containers: [{ name: 'nginx', image: 'nginx' }] },
  };
}

const phaseOf = (p: KubeObject): string => String((p['status'] as Obj | undefined)?.['phase'] ?? '');

before(async () => {
  server = await startServer({ args: ['--enable-bootstrap-token-auth'] });
  cacheDir = await mkdtemp(join(tmpdir(), 'k8ts-agent-kubectl-'));
  k = kubectl('1.33', server.kubeconfig, cacheDir);
  client = HttpsClientset.fromKubeconfig(server.kubeconfig);
  nodes = await startFakeNodes(
    { clientset: client, count: 3, namePrefix: 'e2e-node-', renewIntervalMs: 1000, onError: (m) => console.error(`agent: ${m}`) },
    stop.signal,
  );
});

after(async () => {
  if (joined && joined.exitCode === null && joined.signalCode === null) {
    const exited = once(joined, 'exit');
    joined.kill('SIGTERM');
    await exited;
  }
  stop.abort();
  await nodes?.done;
  client?.close();
  await server?.stop();
  await server?.cleanup();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

describe('k8ts agent --runtime fake', () => {
  it('registers Ready nodes that kubectl lists with the upstream columns', async () => {
    const r = await k(['get', 'nodes']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    for (const i of [0, 1, 2]) {
      assert.match(r.stdout, new RegExp(`^e2e-node-${i}\\s+Ready\\s+<none>\\s+\\S+\\s+v1\\.33\\.0-k8ts$`, 'm'));
    }
    const node = await client.resource(NODES).get('', 'e2e-node-0');
    const labels = node.metadata.labels ?? {};
    assert.equal(labels['kubernetes.io/hostname'], 'e2e-node-0');
    assert.equal(labels['node.kubernetes.io/instance-type'], 'k8ts-fake');
    const status = node['status'] as Obj;
    assert.deepEqual(status['capacity'], {
      cpu: '32',
      'ephemeral-storage': '1Ti',
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: '256Gi',
      pods: '110',
    });
    assert.equal((status['nodeInfo'] as Obj)['containerRuntimeVersion'], 'fake://0.1.0');
    const wide = await k(['get', 'node', 'e2e-node-0', '-o', 'wide']);
    assert.match(wide.stdout, /INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME/);
    assert.match(wide.stdout, /10\.240\.0\.1\s+<none>\s+k8ts simulated node\s+6\.1\.0-k8ts\s+fake:\/\/0\.1\.0/);
  });

  it('renews each node Lease', async () => {
    const first = await client.resource(LEASES).get('kube-node-lease', 'e2e-node-1');
    const spec = first['spec'] as Obj;
    assert.equal(spec['holderIdentity'], 'e2e-node-1');
    assert.equal(spec['leaseDurationSeconds'], 40);
    assert.equal(first.metadata.ownerReferences?.[0]?.kind, 'Node');
    await until('a renewal', async () => {
      const l = await client.resource(LEASES).get('kube-node-lease', 'e2e-node-1');
      return (l['spec'] as Obj)['renewTime'] !== spec['renewTime'] ? l : undefined;
    });
  });

  it('runs a pod bound to a node: Running with a pod IP from the node range', async () => {
    await client.resource(PODS).create('default', pod('web', 'e2e-node-0'));
    const running = await until('web Running', async () => {
      const p = await client.resource(PODS).get('default', 'web');
      return phaseOf(p) === 'Running' ? p : undefined;
    });
    const status = running['status'] as Obj;
    const node = await client.resource(NODES).get('', 'e2e-node-0');
    const cidr = String((node['spec'] as Obj)['podCIDR'] ?? '10.128.0.0/24');
    assert.ok(new IPPool(cidr).contains(String(status['podIP'])), `podIP ${String(status['podIP'])} in ${cidr}`);
    assert.equal(status['hostIP'], '10.240.0.1');
    const ready = (status['conditions'] as Obj[]).find((c) => c['type'] === 'Ready');
    assert.equal(ready?.['status'], 'True');
    const r = await k(['get', 'pod', 'web', '-o', 'wide']);
    assert.match(r.stdout, /^web\s+1\/1\s+Running\s+0\s+\S+\s+10\.\d+\.\d+\.\d+\s+e2e-node-0\s/m);
    const events = await until('the Started event', async () => {
      const list = await client.resource(EVENTS).list('default', { fieldSelector: 'involvedObject.name=web' });
      return list.items.some((e) => e['reason'] === 'Started') ? list.items : undefined;
    });
    const started = events.find((e) => e['reason'] === 'Started') as Obj;
    assert.equal(started['message'], 'Started container nginx');
    assert.deepEqual(started['source'], { component: 'kubelet', host: 'e2e-node-0' });
  });

  it('completes a pod whose container is told to exit', async () => {
    await client
      .resource(PODS)
      .create('default', pod('job-like', 'e2e-node-1', { restartPolicy: 'Never', annotations: { 'k8ts.io/simulate-exit': '1s:0' } }));
    const done = await until('job-like Succeeded', async () => {
      const p = await client.resource(PODS).get('default', 'job-like');
      return phaseOf(p) === 'Succeeded' ? p : undefined;
    });
    const cs = ((done['status'] as Obj)['containerStatuses'] as Obj[])[0] as Obj;
    assert.equal(((cs['state'] as Obj)['terminated'] as Obj)['reason'], 'Completed');
    const r = await k(['get', 'pod', 'job-like']);
    assert.match(r.stdout, /^job-like\s+0\/1\s+Completed\s+0\s/m);
  });

  it('completes graceful deletion', async () => {
    const r = await k(['delete', 'pod', 'web', '--timeout=20s']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /pod "web" deleted/);
    const gone = await k(['get', 'pod', 'web']);
    assert.match(gone.stderr, /pods "web" not found/);
  });

  it('stops renewing leases once stopped', async () => {
    stop.abort();
    await nodes.done;
    const before = (await client.resource(LEASES).get('kube-node-lease', 'e2e-node-2'))['spec'] as Obj;
    await new Promise((r) => setTimeout(r, 2500));
    const later = (await client.resource(LEASES).get('kube-node-lease', 'e2e-node-2'))['spec'] as Obj;
    assert.equal(later['renewTime'], before['renewTime']);
  });
});

describe('k8ts agent --bootstrap-kubeconfig (kubelet TLS bootstrap)', () => {
  it('joins with a bootstrap token: its CSR is auto-approved and issued, and its kubelet acts as system:node:<name>', async () => {
    // `k8ts token create`: a bootstrap token in the default node token group
    const created = await run(process.execPath, [join(REPO, 'bin', 'k8ts.js'), 'token', 'create', '--kubeconfig', server.kubeconfig]);
    const token = created.stdout.trim();
    assert.match(token, /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    const id = token.slice(0, 6);
    const admin = loadKubeconfig(server.kubeconfig);
    const bootstrapConf = join(cacheDir, 'bootstrap.conf');
    const kubeletConf = join(cacheDir, 'kubelet.conf');
    const ca = Buffer.from(admin.ca ?? '').toString('base64');
    await writeFile(
      bootstrapConf,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "${admin.server}", certificate-authority-data: ${ca}}\n` +
        `contexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\nusers:\n- name: u\n  user: {token: ${token}}\n`,
    );
    const args = ['agent', '--runtime', 'fake', '--nodes', '1', '--node-name-prefix', 'tls-node-', '--kubelet-port', '0'];
    joined = spawn(
      process.execPath,
      [join(REPO, 'bin', 'k8ts.js'), ...args, '--bootstrap-kubeconfig', bootstrapConf, '--kubeconfig', kubeletConf],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    await agentReady(joined, 30_000);
    assert.equal((await stat(kubeletConf)).mode & 0o777, 0o600);
    const [csrs, node] = await Promise.all([k(['get', 'csr']), k(['get', 'node', 'tls-node-0'])]);
    assert.match(
      csrs.stdout,
      new RegExp(
        `^node-csr-\\S+\\s+\\S+\\s+kubernetes\\.io/kube-apiserver-client-kubelet\\s+system:bootstrap:${id}\\s+<none>\\s+Approved,Issued$`,
        'm',
      ),
    );
    assert.match(node.stdout, /^tls-node-0\s+(Ready|NotReady)\s/m);
    const approved = await k(['get', 'csr', '-o', 'jsonpath={.items[0].status.conditions[0].reason}']);
    assert.equal(approved.stdout, 'AutoApproved');
    // the Node authorizer holds the kubelet to its own node's objects
    const asKubelet = kubectl('1.33', kubeletConf, cacheDir);
    const refused = await asKubelet(['get', 'secret', `bootstrap-token-${id}`, '-n', 'kube-system']);
    assert.match(refused.stderr, /User "system:node:tls-node-0" cannot get resource "secrets"/);
  });

  it('kubectl certificate approve (the approval subresource) lets the signer issue a kube-apiserver-client certificate', async () => {
    const request = await createCertificateRequestPem({ keys: await generateKeyPair(), commonName: 'jane', organizations: ['dev'] });
    const csr = {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name: 'jane' },
      spec: {
        request: Buffer.from(request).toString('base64'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['client auth'],
      },
    };
    assert.equal((await k(['create', '-f', '-'], { input: JSON.stringify(csr) })).code, 0);
    const approve = await k(['certificate', 'approve', 'jane']);
    assert.equal(approve.code, 0, approve.stderr);
    assert.match(approve.stdout, /certificatesigningrequest\.certificates\.k8s\.io\/jane approved/);
    const issued = await until('jane Issued', async () => {
      const r = await k(['get', 'csr', 'jane', '-o', 'jsonpath={.status.certificate}']);
      return r.stdout ? r.stdout : undefined;
    });
    assert.match(new X509Certificate(Buffer.from(issued, 'base64')).subject, /CN=jane/);
    // CertificateSubjectRestriction: no superuser certificates through the signer
    const masters = await createCertificateRequestPem({
      keys: await generateKeyPair(),
      commonName: 'eve',
      organizations: ['system:masters'],
    });
    const refused = await k(['create', '-f', '-'], {
      input: JSON.stringify({ ...csr, metadata: { name: 'eve' }, spec: { ...csr.spec, request: Buffer.from(masters).toString('base64') } }),
    });
    assert.match(refused.stderr, /use of kubernetes\.io\/kube-apiserver-client signer with system:masters group is not allowed/);
  });
});
