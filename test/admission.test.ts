/**
 * PodSecurity and LimitRanger admission with real kubectl against `k8ts server --disable-agent`:
 * a restricted namespace refuses a privileged pod with upstream's message, a warn level and a
 * Deployment's template come back as kubectl warnings, labelling a namespace warns about its
 * existing pods; a LimitRange's defaults decide the QoS class and a pod over max is refused.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from './support/server.js';
import { kubectl, type Kubectl, ok } from './support/kubectl.js';

let server: TestServer;
let cache: string;
let k: Kubectl;

const namespace = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

function pod(name: string, resources?: Record<string, unknown>) {
  const container = { name: 'c', image: 'busybox', ...(resources ? { resources } : {}) };
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'limited' }, spec: { containers: [container] } };
}

before(async () => {
  cache = await mkdtemp(join(tmpdir(), 'k8ts-admission-'));
  // unlabelled namespaces warn at restricted; the namespace "exempt" is never evaluated
  const config = join(cache, 'admission.yaml');
  await writeFile(
    config,
    [
      'apiVersion: apiserver.config.k8s.io/v1',
      'kind: AdmissionConfiguration',
      'plugins:',
      '- name: PodSecurity',
      '  configuration:',
      '    apiVersion: pod-security.admission.config.k8s.io/v1',
      '    kind: PodSecurityConfiguration',
      '    defaults: {warn: restricted}',
      '    exemptions: {namespaces: [exempt]}',
    ].join('\n'),
  );
  server = await startServer({ args: ['--disable-agent', '--admission-control-config-file', config] });
  k = kubectl('1.33', server.kubeconfig, cache);
  const limitRange = {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'limits', namespace: 'limited' },
    spec: {
      limits: [
        {
          type: 'Container',
          max: { cpu: '1' },
          default: { cpu: '500m', memory: '128Mi' },
          defaultRequest: { cpu: '100m', memory: '64Mi' },
        },
      ],
    },
  };
  const fixtures = [
    namespace('secure', { 'pod-security.kubernetes.io/enforce': 'restricted' }),
    namespace('audited', { 'pod-security.kubernetes.io/warn': 'baseline' }),
    namespace('limited', {}),
    limitRange,
  ];
  ok(await k(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: fixtures }) }), 'fixtures');
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  if (cache) await rm(cache, { recursive: true, force: true });
});

describe('admission: PodSecurity and LimitRanger', { timeout: 60_000 }, () => {
  it('a restricted namespace refuses a privileged pod with upstream’s message', async () => {
    const r = await k(['run', 'priv', '--image=busybox', '--privileged', '-n', 'secure']);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /Error from server \(Forbidden\): pods "priv" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "priv" must set securityContext.allowPrivilegeEscalation=false\), .*privileged \(container "priv" must not set securityContext.privileged=true\), .*seccompProfile \(pod or container "priv" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"\)/,
    );
  });

  it('a Deployment in a restricted namespace is created with a warning', async () => {
    const r = await k(['create', 'deployment', 'web', '--image=busybox', '-n', 'secure']);
    assert.match(ok(r, 'create deployment'), /deployment.apps\/web created/);
    assert.match(
      r.stderr,
      /Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "busybox" must set/,
    );
  });

  it('a warn level prints a warning and admits the pod; a new enforce level warns about it', async () => {
    const r = await k(['run', 'priv', '--image=busybox', '--privileged', '-n', 'audited']);
    assert.match(ok(r, 'run'), /pod\/priv created/);
    assert.match(
      r.stderr,
      /Warning: would violate PodSecurity "baseline:latest": privileged \(container "priv" must not set securityContext.privileged=true\)/,
    );
    const labelled = await k(['label', 'ns', 'audited', 'pod-security.kubernetes.io/enforce=baseline']);
    assert.match(ok(labelled, 'label'), /namespace\/audited labeled/);
    assert.match(
      labelled.stderr,
      /Warning: existing pods in namespace "audited" violate the new PodSecurity enforce level "baseline:latest"\nWarning: priv: privileged/,
    );
    const bad = await k(['label', 'ns', 'audited', 'pod-security.kubernetes.io/enforce=strict', '--overwrite']);
    assert.match(
      bad.stderr,
      /metadata.labels\[pod-security.kubernetes.io\/enforce\]: Invalid value: "strict": must be one of privileged, baseline, restricted/,
    );
  });

  it('--admission-control-config-file: defaults for unlabelled namespaces, exempt namespaces', async () => {
    const plain = await k(['run', 'plain', '--image=busybox', '-n', 'default']);
    assert.match(ok(plain, 'run in default'), /pod\/plain created/);
    assert.match(plain.stderr, /Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
    ok(await k(['create', 'namespace', 'exempt']), 'create namespace exempt');
    ok(await k(['label', 'ns', 'exempt', 'pod-security.kubernetes.io/enforce=restricted']), 'label exempt');
    const exempt = await k(['run', 'priv', '--image=busybox', '--privileged', '-n', 'exempt']);
    assert.match(ok(exempt, 'run in exempt'), /pod\/priv created/);
    assert.doesNotMatch(exempt.stderr, /PodSecurity/);
  });

  it('a LimitRange sets defaults, the QoS class follows, and a pod over max is refused', async () => {
    const pods = { apiVersion: 'v1', kind: 'List', items: [pod('burst'), pod('guaranteed', { limits: { cpu: '1', memory: '256Mi' } })] };
    ok(await k(['apply', '-f', '-'], { input: JSON.stringify(pods) }), 'pods');
    const got = JSON.parse(ok(await k(['get', 'pods', '-n', 'limited', '-o', 'json']), 'get')) as {
      items: {
        metadata: { name: string; annotations?: Record<string, string> };
        spec: { containers: { resources: unknown }[] };
        status: { qosClass: string };
      }[];
    };
    const [burst, guaranteed] = ['burst', 'guaranteed'].map((n) => got.items.find((p) => p.metadata.name === n));
    assert.deepEqual(burst?.spec.containers[0]?.resources, {
      limits: { cpu: '500m', memory: '128Mi' },
      requests: { cpu: '100m', memory: '64Mi' },
    });
    assert.equal(burst?.status.qosClass, 'Burstable');
    assert.equal(
      burst?.metadata.annotations?.['kubernetes.io/limit-ranger'],
      'LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for container c',
    );
    assert.equal(guaranteed?.status.qosClass, 'Guaranteed');
    const over = await k(['apply', '-f', '-'], { input: JSON.stringify(pod('big', { limits: { cpu: '2' } })) });
    assert.notEqual(over.code, 0);
    assert.match(over.stderr, /pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2/);
  });
});
