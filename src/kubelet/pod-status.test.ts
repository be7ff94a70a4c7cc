import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../machinery/object.js';
import { generatePodStatus } from './pod-status.js';
import type { ContainerRuntimeView, PodRuntimeView } from './runtime-view.js';
import type { ContainerStatus } from './runtime/interface.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');

function cri(name: string, state: 'running' | 'exited', exitCode = 0, attempt = 0): ContainerStatus {
  return {
    id: `${name}-${attempt}`,
    metadata: { name, attempt },
    state: state === 'running' ? 'CONTAINER_RUNNING' : 'CONTAINER_EXITED',
    createdAt: T0,
    startedAt: T0,
    finishedAt: state === 'exited' ? T0 : 0,
    exitCode,
    image: { image: 'docker.io/library/nginx:latest' },
    imageRef: 'docker.io/library/nginx@sha256:00',
    reason: state === 'exited' ? (exitCode === 0 ? 'Completed' : 'Error') : '',
    message: '',
    labels: {},
    annotations: {},
    mounts: [],
    logPath: '',
  };
}

function pod(restartPolicy: string, names: string[]): KubeObject {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u' },
    spec: { restartPolicy, containers: names.map((name) => ({ name, image: 'nginx' })) },
    status: { phase: 'Pending' },
  };
}

function view(containers: Record<string, ContainerStatus | undefined>): PodRuntimeView {
  const map = new Map<string, ContainerRuntimeView>();
  for (const [name, current] of Object.entries(containers)) if (current) map.set(name, { current, previous: undefined });
  return {
    sandbox: {
      id: 's',
      metadata: { name: 'p', namespace: 'default', uid: 'u', attempt: 0 },
      state: 'SANDBOX_READY',
      createdAt: T0,
      labels: {},
      annotations: {},
      runtimeHandler: '',
      network: { ip: '10.244.0.2', additionalIps: [] },
    },
    sandboxAttempts: 1,
    containers: map,
  };
}

describe('pod phase (getPhase)', () => {
  const cases: { policy: string; a?: ContainerStatus; b?: ContainerStatus; terminating?: boolean; want: string }[] = [
    { policy: 'Always', want: 'Pending' },
    { policy: 'Always', a: cri('a', 'running'), want: 'Pending' },
    { policy: 'Always', a: cri('a', 'running'), b: cri('b', 'running'), want: 'Running' },
    { policy: 'Never', a: cri('a', 'running'), b: cri('b', 'exited', 0), want: 'Running' },
    { policy: 'Never', a: cri('a', 'exited', 0), b: cri('b', 'exited', 0), want: 'Succeeded' },
    { policy: 'Never', a: cri('a', 'exited', 0), b: cri('b', 'exited', 1), want: 'Failed' },
    { policy: 'OnFailure', a: cri('a', 'exited', 0), b: cri('b', 'exited', 0), want: 'Succeeded' },
    { policy: 'Always', a: cri('a', 'exited', 0), b: cri('b', 'exited', 0), terminating: true, want: 'Succeeded' },
    { policy: 'Always', a: cri('a', 'exited', 137), b: cri('b', 'exited', 0), terminating: true, want: 'Failed' },
  ];
  for (const c of cases) {
    const label = `${c.policy} ${c.a?.state ?? 'none'}/${c.a?.exitCode ?? ''} ${c.b?.state ?? 'none'}/${c.b?.exitCode ?? ''}${c.terminating ? ' terminating' : ''}`;
    it(`${label} → ${c.want}`, () => {
      const { status } = generatePodStatus({
        pod: pod(c.policy, ['a', 'b']),
        view: view({ a: c.a, b: c.b }),
        hostIP: '10.240.0.1',
        now: T0 + 1000,
        runtimeName: 'fake',
        terminating: c.terminating ?? false,
      });
      assert.equal(status['phase'], c.want);
    });
  }

  it('keeps foreign conditions and reports readiness gates', () => {
    const p = pod('Always', ['a']);
    (p['spec'] as Record<string, unknown>)['readinessGates'] = [{ conditionType: 'example.com/lb' }];
    p['status'] = { conditions: [{ type: 'DisruptionTarget', status: 'False' }] };
    const { status } = generatePodStatus({ pod: p, view: view({ a: cri('a', 'running') }), hostIP: 'h', now: T0, runtimeName: 'fake' });
    const conditions = status['conditions'] as Record<string, unknown>[];
    assert.deepEqual(
      conditions.map((c) => c['type']),
      ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled', 'DisruptionTarget'],
    );
    const ready = conditions[2] ?? {};
    assert.deepEqual(
      [ready['status'], ready['reason'], ready['message']],
      ['False', 'ReadinessGatesNotReady', 'corresponding condition of pod readiness gate "example.com/lb" does not exist.'],
    );
  });

  it('looks again shortly after a SIGKILL exit without the OOMKilled reason, not after one with it', () => {
    const status = (reason: string, now: number) => {
      const c = { ...cri('a', 'exited', 137), reason };
      return generatePodStatus({ pod: pod('Never', ['a']), view: view({ a: c }), hostIP: 'h', now, runtimeName: 'fake' });
    };
    assert.equal(status('Error', T0 + 500).changesAt, T0 + 2_000, 'containerd may report the OOM kill after the exit');
    assert.equal(status('Error', T0 + 2_500).changesAt, undefined, 'once is enough');
    assert.equal(status('OOMKilled', T0 + 500).changesAt, undefined);
  });

  it('gives a pod on the host network the node’s IP', () => {
    const p = pod('Always', ['a']);
    (p['spec'] as Record<string, unknown>)['hostNetwork'] = true;
    const v = view({ a: cri('a', 'running') });
    if (v.sandbox) v.sandbox.network = { ip: '', additionalIps: [] };
    const { status } = generatePodStatus({ pod: p, view: v, hostIP: '192.0.2.7', now: T0, runtimeName: 'fake' });
    assert.equal(status['podIP'], '192.0.2.7');
    assert.deepEqual(status['podIPs'], [{ ip: '192.0.2.7' }]);
  });
});
