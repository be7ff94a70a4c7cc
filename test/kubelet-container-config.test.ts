/**
 * Containers configured from their spec on a real node (k8ts server --runtime containerd):
 * environment from a ConfigMap, a Secret, the downward API, `$(VAR)` expansion and service
 * variables; runAsUser; the cluster DNS resolv.conf and the kubelet-managed /etc/hosts — all read
 * back from the containers' CRI logs. A memory limit OOM-kills (OOMKilled, 137); runAsNonRoot on
 * an image without a user, a missing ConfigMap key and a missing ConfigMap fail their containers
 * with CreateContainerConfigError while another pod keeps running.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { HttpsClientset } from '../src/client/rest.js';
import { BUSYBOX_IMAGE } from '../src/kubelet/images/busybox-image.js';
import { nodeCgroupRoot } from '../src/kubelet/pod-cgroups.js';
import type { KubeObject } from '../src/machinery/object.js';
import { parseQuantity } from '../src/machinery/quantity.js';
import { containerLog } from './support/container-log.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';
import { eventually } from './support/wait.js';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };
const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const SERVICES = { group: '', version: 'v1', resource: 'services' };
const EVENTS = { group: '', version: 'v1', resource: 'events' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const NS = 'default';

const skip = await realNodeUnavailableForTests();
let node: RealNodeServer | undefined;

const client = (): HttpsClientset => (node as RealNodeServer).client;
const status = (o: KubeObject): Obj => (o['status'] ?? {}) as Obj;
const containerStatuses = (o: KubeObject): Obj[] => (status(o)['containerStatuses'] ?? []) as Obj[];
const stateOf = (o: KubeObject, name: string): Obj => (containerStatuses(o).find((c) => c['name'] === name)?.['state'] ?? {}) as Obj;

function pod(name: string, spec: Obj): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS }, spec: { restartPolicy: 'Never', ...spec } };
}

function busybox(name: string, script: string, extra: Obj = {}): Obj {
  return { name, image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script], ...extra };
}

/** Waits until `check` holds for the pod, returning it. */
async function podWhen(name: string, what: string, check: (p: KubeObject) => boolean, timeoutMs = 60_000): Promise<KubeObject> {
  let p: KubeObject | undefined;
  await eventually(
    `pod ${name}: ${what}`,
    async () => {
      p = await client().resource(PODS).get(NS, name);
      return check(p);
    },
    timeoutMs,
  );
  return p as KubeObject;
}

/** Waits for an Event of the namespace that `match` accepts (the kubelet writes events asynchronously). */
async function eventEventually(match: (e: KubeObject) => boolean): Promise<void> {
  await eventually('the event', async () => (await client().resource(EVENTS).list(NS)).items.some(match), 20_000);
}

/** The `KEY=value` lines of `env` output as a map. */
function envOf(log: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of log.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(line.slice(0, i))) env.set(line.slice(0, i), line.slice(i + 1));
  }
  return env;
}

/** The text between `--- name ---` and the next marker in a log. */
function section(log: string, name: string): string {
  const start = log.indexOf(`--- ${name} ---\n`);
  assert.ok(start >= 0, `no ${name} section in:\n${log}`);
  const rest = log.slice(start + name.length + 9);
  const end = rest.indexOf('--- ');
  return end === -1 ? rest : rest.slice(0, end);
}

before(async () => {
  if (skip) return;
  node = await startRealNodeServer({ nodeName: 'k8ts-config-node', clusterCIDR: '10.255.0.0/16' });
  const c = client();
  await c.resource(CONFIGMAPS).create(NS, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: NS },
    data: { greeting: 'hello', color: 'blue' },
  });
  await c.resource(CONFIGMAPS).create(NS, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'extra', namespace: NS },
    data: { FROM_EXTRA: 'yes', '1st': 'x' },
  });
  await c.resource(SECRETS).create(NS, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'creds', namespace: NS },
    data: { password: Buffer.from('s3cret').toString('base64') },
  });
  await c.resource(SERVICES).create(NS, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'back-end', namespace: NS },
    spec: { selector: { app: 'none' }, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
  });
});

after(async () => {
  if (!node) return;
  assert.deepEqual(await node.stop(), [], 'the test left these behind');
});

describe('container config from the pod spec on a real node', { skip, timeout: 180_000 }, () => {
  it('sets env, runAsUser, resolv.conf and /etc/hosts from the spec', async () => {
    const script = [
      'echo "--- env ---"; env',
      'echo "--- args ---"; echo "$0 $1"',
      'echo "--- resolv ---"; cat /etc/resolv.conf',
      'echo "--- hosts ---"; cat /etc/hosts',
      'echo "--- fqdn ---"; hostname -f',
      'echo "--- cgroup ---"; grep memory /proc/self/cgroup',
      'echo "--- oom ---"; cat /proc/self/oom_score_adj',
    ].join('; ');
    const created = await client()
      .resource(PODS)
      .create(
        NS,
        pod('env-demo', {
          hostname: 'web',
          subdomain: 'group',
          hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local', 'bar.local'] }],
          securityContext: { supplementalGroups: [4000] },
          containers: [
            busybox('env', script, {
              args: ['$(GREETING)', '$$(GREETING)'],
              resources: { limits: { memory: '64Mi' }, requests: { memory: '32Mi', cpu: '100m' } },
              envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'settings' } }, { configMapRef: { name: 'extra' } }],
              env: [
                { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'settings', key: 'greeting' } } },
                { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
                { name: 'OPTIONAL', valueFrom: { secretKeyRef: { name: 'creds', key: 'absent', optional: true } } },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                { name: 'MEMORY_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
                { name: 'MESSAGE', value: '$(GREETING) from $(POD_NAME), not $$(GREETING) or $(UNDEFINED)' },
              ],
            }),
            busybox('user', 'id -u; id -G; grep NoNewPrivs /proc/self/status', {
              securityContext: { runAsUser: 1000, runAsGroup: 2000, allowPrivilegeEscalation: false },
            }),
          ],
        }),
      );
    const uid = String(created.metadata.uid);
    const done = await podWhen('env-demo', 'Succeeded', (p) => status(p)['phase'] === 'Succeeded', 90_000);
    const socket = (node as RealNodeServer).socket;
    const log = await containerLog(socket, uid, 'env');
    const env = envOf(section(log, 'env'));
    const podIP = String(status(done)['podIP']);
    assert.match(podIP, /^10\.255\./);
    assert.equal(env.get('GREETING'), 'hello');
    assert.equal(env.get('PASSWORD'), 's3cret');
    assert.equal(env.has('OPTIONAL'), false);
    assert.equal(env.get('CFG_greeting'), 'hello');
    assert.equal(env.get('CFG_color'), 'blue');
    assert.equal(env.get('FROM_EXTRA'), 'yes');
    assert.equal(env.get('POD_NAME'), 'env-demo');
    assert.equal(env.get('NODE_NAME'), 'k8ts-config-node');
    assert.equal(env.get('POD_IP'), podIP);
    assert.equal(env.get('MEMORY_MI'), '64');
    assert.equal(env.get('MESSAGE'), 'hello from env-demo, not $(GREETING) or $(UNDEFINED)');
    const backend = await client().resource(SERVICES).get(NS, 'back-end');
    const ip = String((backend['spec'] as Obj)['clusterIP']);
    assert.equal(env.get('BACK_END_SERVICE_HOST'), ip);
    assert.equal(env.get('BACK_END_SERVICE_PORT'), '8080');
    assert.equal(env.get('BACK_END_SERVICE_PORT_HTTP'), '8080');
    assert.equal(env.get('BACK_END_PORT'), `tcp://${ip}:8080`);
    assert.equal(env.get('BACK_END_PORT_8080_TCP_ADDR'), ip);
    assert.match(env.get('KUBERNETES_SERVICE_HOST') ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(section(log, 'args'), 'hello $(GREETING)\n');

    const resolv = section(log, 'resolv');
    assert.match(resolv, /^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local\b/m);
    assert.match(resolv, /^nameserver 10\.96\.0\.10$/m);
    assert.match(resolv, /^options ndots:5$/m);
    assert.equal(
      section(log, 'hosts'),
      [
        '# Kubernetes-managed hosts file.',
        '127.0.0.1\tlocalhost',
        '::1\tlocalhost ip6-localhost ip6-loopback',
        'fe00::0\tip6-localnet',
        'fe00::0\tip6-mcastprefix',
        'fe00::1\tip6-allnodes',
        'fe00::2\tip6-allrouters',
        `${podIP}\tweb.group.default.svc.cluster.local\tweb`,
        '',
        '# Entries added by HostAliases.',
        '10.1.2.3\tfoo.local\tbar.local',
        '',
      ].join('\n'),
    );
    assert.equal(section(log, 'fqdn'), 'web.group.default.svc.cluster.local\n');
    assert.match(section(log, 'cgroup'), new RegExp(`:memory:/k8ts/[0-9a-f]{12}/kubepods/burstable/pod${uid}/[0-9a-f]{64}\n$`));
    assert.equal(await containerLog(socket, uid, 'user'), '1000\n2000 4000\nNoNewPrivs:\t1\n');
    // Burstable: 1000 - 1000 × request / the node's memory (containerd keeps it at or above its own, 0)
    const nodeObj = await client().resource(NODES).get('', 'k8ts-config-node');
    const capacity = parseQuantity(String(((nodeObj['status'] as Obj)['capacity'] as Obj)['memory'])).value();
    assert.equal(section(log, 'oom'), `${1000 - Math.floor((1000 * 32 * 1024 * 1024) / capacity)}\n`);

    await eventEventually(
      (e) =>
        e['reason'] === 'InvalidEnvironmentVariableNames' &&
        e['message'] ===
          'Keys [1st] from the EnvFrom configMap default/extra were skipped since they are considered invalid environment variable names.',
    );
  });

  it('OOM-kills a container over its memory limit: OOMKilled, exit code 137', async () => {
    await client()
      .resource(PODS)
      .create(
        NS,
        pod('oom', {
          containers: [busybox('hog', 'dd if=/dev/zero of=/dev/null bs=128M count=1', { resources: { limits: { memory: '16Mi' } } })],
        }),
      );
    const created = await client().resource(PODS).get(NS, 'oom');
    const cgroup = `/sys/fs/cgroup/memory${nodeCgroupRoot((node as RealNodeServer).dataDir)}/kubepods/burstable/pod${created.metadata.uid}`;
    // containerd may hear of the OOM kill after the exit: the kubelet looks again (container-status.ts)
    const p = await podWhen(
      'oom',
      'its container OOMKilled',
      (o) => (stateOf(o, 'hog')['terminated'] as Obj | undefined)?.['reason'] === 'OOMKilled',
    );
    assert.equal((await readFile(`${cgroup}/memory.limit_in_bytes`, 'utf8')).trim(), String(16 * 1024 * 1024), 'the pod cgroup’s limit');
    const terminated = stateOf(p, 'hog')['terminated'] as Obj;
    assert.equal(terminated['reason'], 'OOMKilled');
    assert.equal(terminated['exitCode'], 137);
    assert.equal(status(p)['phase'], 'Failed');
  });

  it('refuses runAsNonRoot for an image running as root and missing ConfigMaps or keys, while another pod runs', async () => {
    const pods = client().resource(PODS);
    await pods.create(NS, pod('steady', { containers: [busybox('sleep', 'exec sleep 3600')] }));
    const nonroot = await pods.create(
      NS,
      pod('nonroot', { securityContext: { runAsNonRoot: true }, containers: [busybox('app', 'exec sleep 3600')] }),
    );
    await pods.create(
      NS,
      pod('missing', {
        containers: [
          busybox('nokey', 'true', { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'settings', key: 'nokey' } } }] }),
          busybox('nomap', 'true', { envFrom: [{ configMapRef: { name: 'absent' } }] }),
        ],
      }),
    );
    const waiting = (o: KubeObject, c: string): Obj => (stateOf(o, c)['waiting'] ?? {}) as Obj;
    const failed = (o: KubeObject, c: string): boolean => waiting(o, c)['reason'] === 'CreateContainerConfigError';
    const n = await podWhen('nonroot', 'CreateContainerConfigError', (o) => failed(o, 'app'));
    assert.equal(
      waiting(n, 'app')['message'],
      `container has runAsNonRoot and image will run as root (pod: "nonroot_default(${nonroot.metadata.uid})", container: app)`,
    );
    const m = await podWhen('missing', 'CreateContainerConfigError twice', (o) => failed(o, 'nokey') && failed(o, 'nomap'));
    assert.equal(waiting(m, 'nokey')['message'], "couldn't find key nokey in ConfigMap default/settings");
    assert.equal(waiting(m, 'nomap')['message'], 'configmap "absent" not found');
    assert.equal(status(m)['phase'], 'Pending');
    await podWhen('steady', 'Running', (o) => status(o)['phase'] === 'Running');
    for (const message of ["couldn't find key nokey in ConfigMap default/settings", 'configmap "absent" not found']) {
      await eventEventually((e) => e['reason'] === 'Failed' && e['message'] === `Error: ${message}`);
    }

    // the kubelet tries again (after its back-off) and starts the container once the ConfigMap exists
    await client()
      .resource(CONFIGMAPS)
      .create(NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'absent', namespace: NS }, data: { A: '1' } });
    const later = await podWhen('missing', 'nomap ran', (o) => stateOf(o, 'nomap')['terminated'] !== undefined, 40_000);
    assert.equal((stateOf(later, 'nomap')['terminated'] as Obj)['exitCode'], 0);
    assert.equal(waiting(later, 'nokey')['reason'], 'CreateContainerConfigError');
  });

  it('runs host-network, capability-dropping, read-only and privileged containers; rejects a taken host port', async () => {
    const pods = client().resource(PODS);
    const nodeName = (node as RealNodeServer).nodeName;
    const hostPort = (name: string): KubeObject =>
      pod(name, {
        nodeName,
        restartPolicy: 'Always',
        containers: [busybox('web', 'exec sleep 3600', { ports: [{ containerPort: 80, hostPort: 18080 }] })],
      });
    const created = await Promise.all([
      pods.create(
        NS,
        pod('hostnet', {
          hostNetwork: true,
          hostPID: true,
          containers: [
            busybox('c', 'head -n 1 /etc/hosts; echo "ip=$POD_IP"; grep "^Seccomp:" /proc/self/status; echo "pid=$$$$"', {
              env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
            }),
          ],
        }),
      ),
      pods.create(
        NS,
        pod('locked', {
          securityContext: {
            runAsUser: 1234,
            seccompProfile: { type: 'RuntimeDefault' },
            sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }],
          },
          containers: [
            busybox(
              'c',
              'id -u; grep -E "^(CapEff|Seccomp):" /proc/self/status; touch /probe 2>/dev/null || echo read-only; cat /proc/sys/net/ipv4/ip_unprivileged_port_start',
              {
                securityContext: { capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
              },
            ),
          ],
        }),
      ),
      pods.create(
        NS,
        pod('privileged', { containers: [busybox('c', 'grep CapEff /proc/self/status', { securityContext: { privileged: true } })] }),
      ),
      pods.create(NS, hostPort('port-a')),
      pods.create(
        NS,
        pod('guaranteed', {
          containers: [
            busybox(
              'c',
              'grep -E ":(cpu|memory):" /proc/self/cgroup; cat /sys/fs/cgroup/cpu/cpu.shares /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/memory/memory.limit_in_bytes',
              {
                resources: { limits: { cpu: '100m', memory: '32Mi' } },
              },
            ),
          ],
        }),
      ),
    ]);
    const uid = (name: string) => String(created.find((p) => p.metadata.name === name)?.metadata.uid);
    const socket = (node as RealNodeServer).socket;
    const succeeded = (o: KubeObject) => status(o)['phase'] === 'Succeeded';

    const h = await podWhen('hostnet', 'Succeeded', succeeded);
    assert.equal(status(h)['podIP'], status(h)['hostIP']);
    const hostnetLog = await containerLog(socket, uid('hostnet'), 'c');
    const pid = Number(/^pid=(\d+)$/m.exec(hostnetLog)?.[1]);
    assert.ok(pid > 1, `in the node's PID namespace the shell is not PID 1 (got ${pid})`);
    assert.equal(
      hostnetLog.replace(/^pid=\d+\n/m, ''),
      `# Kubernetes-managed hosts file (host network).\nip=${status(h)['hostIP']}\nSeccomp:\t0\n`,
    );

    // a Guaranteed pod's cgroup is kubepods/pod<uid>; the container's has cpu shares and quota from 100m, the memory limit
    const g = await podWhen('guaranteed', 'Succeeded', succeeded);
    assert.equal(status(g)['qosClass'], 'Guaranteed');
    const podCgroup = `${nodeCgroupRoot((node as RealNodeServer).dataDir)}/kubepods/pod${uid('guaranteed')}/[0-9a-f]{64}`;
    const lines = (await containerLog(socket, uid('guaranteed'), 'c')).trimEnd().split('\n');
    for (const controller of ['memory', 'cpu']) {
      assert.ok(
        lines.some((l) => new RegExp(`^\\d+:${controller}:${podCgroup}$`).test(l)),
        `${controller} cgroup in ${lines.join(' ')}`,
      );
    }
    assert.deepEqual(lines.slice(-3), ['102', '10000', '33554432']);

    await podWhen('locked', 'Succeeded', succeeded);
    assert.equal(await containerLog(socket, uid('locked'), 'c'), '1234\nCapEff:\t0000000000000000\nSeccomp:\t2\nread-only\n80\n');

    await podWhen('privileged', 'Succeeded', succeeded);
    const capEff = /^CapEff:\t([0-9a-f]+)$/m.exec(await containerLog(socket, uid('privileged'), 'c'))?.[1] ?? '';
    const hostCapEff = /^CapEff:\s*([0-9a-f]+)$/m.exec(await readFile('/proc/self/status', 'utf8'))?.[1];
    assert.equal(capEff, hostCapEff, 'a privileged container has every capability the node has');

    await podWhen('port-a', 'Running', (o) => status(o)['phase'] === 'Running');
    await pods.create(NS, hostPort('port-b'));
    await pods.create(
      NS,
      pod('unsafe', { securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1024' }] }, containers: [busybox('c', 'true')] }),
    );
    const b = await podWhen('port-b', 'Failed', (o) => status(o)['phase'] === 'Failed');
    assert.deepEqual([status(b)['reason'], status(b)['message']], ['NodePorts', 'Pod was rejected: Predicate NodePorts failed']);
    await eventEventually(
      (e) =>
        e['reason'] === 'NodePorts' && e['message'] === 'Predicate NodePorts failed' && (e['involvedObject'] as Obj)['name'] === 'port-b',
    );
    assert.equal(status(await pods.get(NS, 'port-a'))['phase'], 'Running');
    const unsafe = await podWhen('unsafe', 'Failed', (o) => status(o)['phase'] === 'Failed');
    assert.deepEqual(
      [status(unsafe)['reason'], status(unsafe)['message']],
      ['SysctlForbidden', 'Pod was rejected: forbidden sysctl: "kernel.msgmax" not allowlisted'],
    );
  });
});
