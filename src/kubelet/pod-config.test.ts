import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { EventRecorder } from '../client/interface.js';
import type { KubeObject } from '../machinery/object.js';
import { CreateContainerConfigError } from './container-config-error.js';
import { generateContainerConfig, generatePodSandboxConfig, type PodConfigContext, removePodResources } from './pod-config.js';
import type { PodSandboxStatus } from './runtime/interface.js';
import { FakeRuntime } from './runtime/fake/fake-runtime.js';
import { FakePodObjects } from './testing/fake-pod-objects.js';

type Obj = Record<string, unknown>;

let dir = '';
const events: string[] = [];
const recorder: EventRecorder = { event: (_o, type, reason, message) => void events.push(`${type} ${reason} ${message}`) };
const objects = new FakePodObjects([
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'apps' }, data: { who: 'world' } },
]);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8ts-pod-config-'));
  await writeFile(join(dir, 'resolv.conf'), 'nameserver 192.0.2.53\nsearch corp.example\n');
});
after(() => rm(dir, { recursive: true, force: true }));

function context(runtime: FakeRuntime, config: Partial<PodConfigContext['config']> = {}): PodConfigContext {
  return {
    runtime,
    recorder,
    objects,
    nodeIP: '192.0.2.10',
    config: {
      clusterDNS: ['10.96.0.10'],
      clusterDomain: 'cluster.local',
      resolvConf: join(dir, 'resolv.conf'),
      podsDir: join(dir, 'pods'),
      cgroupRoot: '/k8ts/test',
      allocatable: { cpu: '4', memory: '8Gi' },
      ...config,
    },
  };
}

function pod(container: Obj, spec: Obj = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'apps', uid: 'uid-1' },
    spec: { containers: [container], ...spec },
    status: { qosClass: 'BestEffort' },
  };
}

const sandbox: PodSandboxStatus = {
  id: 's1',
  metadata: { name: 'web-0', namespace: 'apps', uid: 'uid-1', attempt: 0 },
  state: 'SANDBOX_READY',
  createdAt: 0,
  labels: {},
  annotations: {},
  runtimeHandler: '',
  network: { ip: '10.244.1.9', additionalIps: [] },
};

test('the sandbox config: hostname, cluster DNS, namespaces, security context, cgroup parent', async () => {
  const p = pod(
    { name: 'c', image: 'busybox', securityContext: { privileged: true } },
    {
      hostname: 'h',
      hostPID: true,
      securityContext: { runAsUser: 7, sysctls: [{ name: 'net/ipv4/ip_unprivileged_port_start', value: '80' }] },
    },
  );
  const config = await generatePodSandboxConfig(context(new FakeRuntime({ nodeIP: '192.0.2.10' })), p, 0);
  assert.equal(config.hostname, 'h');
  assert.deepEqual(config.dnsConfig, {
    servers: ['10.96.0.10'],
    searches: ['apps.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example'],
    options: ['ndots:5'],
  });
  assert.deepEqual(config.linux, {
    hostNetwork: false,
    hostPID: true,
    hostIPC: false,
    shareProcessNamespace: false,
    cgroupParent: '/k8ts/test/kubepods/besteffort/poduid-1',
    securityContext: { privileged: true, supplementalGroups: [], seccomp: { profileType: 'Unconfined' }, runAsUser: 7 },
    sysctls: { 'net.ipv4.ip_unprivileged_port_start': '80' },
  });
});

test('ClusterFirst without cluster DNS falls back to the node’s resolv.conf with upstream’s event', async () => {
  events.length = 0;
  const config = await generatePodSandboxConfig(context(new FakeRuntime({ nodeIP: 'n' }), { clusterDNS: [] }), pod({ name: 'c' }), 0);
  assert.deepEqual(config.dnsConfig, { servers: ['192.0.2.53'], searches: ['corp.example'], options: [] });
  assert.deepEqual(events, [
    'Warning MissingClusterDNS pod: "web-0_apps(uid-1)". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.',
  ]);
});

test('the container config: env, expanded command, resources, security context and the managed /etc/hosts', async () => {
  const runtime = new FakeRuntime({ nodeIP: '192.0.2.10' });
  const ref = await runtime.pullImage({ image: 'busybox' });
  const c = {
    name: 'c',
    image: 'busybox',
    command: ['echo', 'hello $(WHO) at $(POD_IP)'],
    env: [
      { name: 'WHO', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'who' } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    ],
    securityContext: { runAsUser: 1000, allowPrivilegeEscalation: false },
  };
  const p = pod(c);
  const config = await generateContainerConfig(context(runtime), p, c, ref, 0, false, sandbox);
  assert.deepEqual(config.command, ['echo', 'hello world at 10.244.1.9']);
  assert.deepEqual(config.envs?.slice(0, 2), [
    { key: 'WHO', value: 'world' },
    { key: 'POD_IP', value: '10.244.1.9' },
  ]);
  assert.deepEqual(config.linux?.resources, { cpuShares: 2, cpuPeriod: 100000, cpuQuota: 0, oomScoreAdj: 1000 });
  assert.equal(config.linux?.securityContext?.runAsUser, 1000);
  assert.equal(config.linux?.securityContext?.noNewPrivs, true);
  const hosts = join(dir, 'pods', 'uid-1', 'etc-hosts');
  assert.deepEqual(config.mounts, [{ containerPath: '/etc/hosts', hostPath: hosts }]);
  assert.match(await readFile(hosts, 'utf8'), /^10\.244\.1\.9\tweb-0$/m);
  await removePodResources({ podsDir: join(dir, 'pods') }, 'uid-1');
  await assert.rejects(readFile(hosts, 'utf8'));
});

test('a container that mounts /etc/hosts itself keeps its own', async () => {
  const runtime = new FakeRuntime({ nodeIP: 'n' });
  const ref = await runtime.pullImage({ image: 'busybox' });
  const c = { name: 'c', image: 'busybox', volumeMounts: [{ name: 'v', mountPath: '/etc/hosts' }] };
  const config = await generateContainerConfig(context(runtime), pod(c), c, ref, 0, false, sandbox);
  assert.equal(config.mounts?.some((m) => m.containerPath === '/etc/hosts') ?? false, false);
});

test('runAsNonRoot with an image that names no user is refused before anything else', async () => {
  const runtime = new FakeRuntime({ nodeIP: 'n' });
  const ref = await runtime.pullImage({ image: 'busybox' });
  const c = { name: 'c', image: 'busybox', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k' } } }] };
  await assert.rejects(
    generateContainerConfig(context(runtime), pod(c, { securityContext: { runAsNonRoot: true } }), c, ref, 0, false, sandbox),
    (err: unknown) =>
      err instanceof CreateContainerConfigError &&
      err.message === 'container has runAsNonRoot and image will run as root (pod: "web-0_apps(uid-1)", container: c)',
  );
});
