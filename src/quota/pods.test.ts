import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../machinery/object.js';
import type { ScopeSelectorRequirement } from './interface.js';
import { isExtendedResourceName, podEvaluator } from './pods.js';
import { resourceListJSON } from './resources.js';

const NOW = new Date('2026-01-01T00:00:00Z');

function pod(spec: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject {
  return { metadata: { name: 'p', namespace: 'ns' }, spec, ...extra };
}

const container = (name: string, requests?: Record<string, string>, limits?: Record<string, string>, more = {}) => ({
  name,
  image: 'busybox',
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
  ...more,
});

describe('pod evaluator usage', () => {
  const cases: { name: string; pod: KubeObject; want: Record<string, string> }[] = [
    {
      name: 'a BestEffort pod counts as a pod only',
      pod: pod({ containers: [container('a')] }),
      want: { 'count/pods': '1', pods: '1' },
    },
    {
      name: 'requests, limits and the short names; containers summed',
      pod: pod({
        containers: [
          container('a', { cpu: '100m', memory: '64Mi', 'ephemeral-storage': '1Gi' }, { cpu: '200m', memory: '128Mi' }),
          container('b', { cpu: '300m' }, { cpu: '1' }),
        ],
      }),
      want: {
        'count/pods': '1',
        cpu: '400m',
        'ephemeral-storage': '1Gi',
        'limits.cpu': '1200m',
        'limits.memory': '128Mi',
        memory: '64Mi',
        pods: '1',
        'requests.cpu': '400m',
        'requests.ephemeral-storage': '1Gi',
        'requests.memory': '64Mi',
      },
    },
    {
      name: 'an init container larger than the containers sets the request; a sidecar adds; overhead adds to requests and to set limits',
      pod: pod({
        initContainers: [container('init', { cpu: '2' }), container('sidecar', { cpu: '100m' }, undefined, { restartPolicy: 'Always' })],
        containers: [container('a', { cpu: '500m' }, { cpu: '1' })],
        overhead: { cpu: '10m', memory: '1Mi' },
      }),
      want: {
        'count/pods': '1',
        cpu: '2010m',
        'limits.cpu': '1010m',
        memory: '1Mi',
        pods: '1',
        'requests.cpu': '2010m',
        'requests.memory': '1Mi',
      },
    },
    {
      name: 'hugepages and extended resources',
      pod: pod({ containers: [container('a', { 'hugepages-2Mi': '4Mi', 'example.com/gpu': '2', 'kubernetes.io/x': '1' })] }),
      want: {
        'count/pods': '1',
        'hugepages-2Mi': '4Mi',
        pods: '1',
        'requests.example.com/gpu': '2',
        'requests.hugepages-2Mi': '4Mi',
      },
    },
    {
      name: 'a terminal pod keeps only its object count',
      pod: pod({ containers: [container('a', { cpu: '1' })] }, { status: { phase: 'Succeeded' } }),
      want: { 'count/pods': '1' },
    },
    {
      name: 'a pod past its deletion grace period no longer counts',
      pod: {
        metadata: { name: 'p', deletionTimestamp: '2025-12-31T23:59:00Z', deletionGracePeriodSeconds: 30 },
        spec: { containers: [container('a', { cpu: '1' })] },
      },
      want: { 'count/pods': '1' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(resourceListJSON(podEvaluator.usage(c.pod, NOW)), c.want));
  }
});

describe('pod evaluator', () => {
  it('matches the quota names pods are charged under', () => {
    const names = [
      'pods',
      'count/pods',
      'requests.cpu',
      'cpu',
      'hugepages-1Gi',
      'requests.hugepages-2Mi',
      'requests.example.com/gpu',
      'services',
      'configmaps',
      'requests.storage',
    ];
    assert.deepEqual(podEvaluator.matchingResources(names), names.slice(0, 7));
  });

  it('constraints name each container missing a tracked cpu or memory request or limit', () => {
    const p = pod({
      initContainers: [container('init', { cpu: '1', memory: '1Gi' }, { cpu: '1' })],
      containers: [container('b'), container('a', { cpu: '1' })],
    });
    assert.equal(
      podEvaluator.constraints(['limits.cpu', 'requests.memory', 'pods', 'requests.storage'], p),
      'must specify limits.cpu for: a,b; requests.memory for: a,b',
    );
    assert.equal(podEvaluator.constraints(['cpu'], p), 'must specify cpu for: b');
    assert.equal(podEvaluator.constraints(['pods', 'requests.example.com/gpu'], p), undefined);
  });

  it('scopes', () => {
    const bestEffort = pod({ containers: [container('a')] });
    const terminating = pod({ activeDeadlineSeconds: 10, containers: [container('a', { cpu: '1' })], priorityClassName: 'high' });
    const crossNamespace = pod({
      containers: [container('a')],
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'x', namespaceSelector: {} } }],
        },
      },
    });
    const cases: [ScopeSelectorRequirement, KubeObject, boolean][] = [
      [{ scopeName: 'BestEffort', operator: 'Exists' }, bestEffort, true],
      [{ scopeName: 'BestEffort', operator: 'Exists' }, terminating, false],
      [{ scopeName: 'NotBestEffort', operator: 'Exists' }, terminating, true],
      [{ scopeName: 'Terminating', operator: 'Exists' }, terminating, true],
      [{ scopeName: 'Terminating', operator: 'Exists' }, bestEffort, false],
      [{ scopeName: 'NotTerminating', operator: 'Exists' }, bestEffort, true],
      [{ scopeName: 'PriorityClass', operator: 'Exists' }, terminating, true],
      [{ scopeName: 'PriorityClass', operator: 'Exists' }, bestEffort, false],
      [{ scopeName: 'PriorityClass', operator: 'In', values: ['high', 'low'] }, terminating, true],
      [{ scopeName: 'PriorityClass', operator: 'In', values: ['low'] }, terminating, false],
      [{ scopeName: 'PriorityClass', operator: 'NotIn', values: ['low'] }, terminating, true],
      [{ scopeName: 'PriorityClass', operator: 'NotIn', values: ['low'] }, bestEffort, true],
      // upstream matches {PriorityClass: name} as a label set, which always has the key
      [{ scopeName: 'PriorityClass', operator: 'DoesNotExist' }, bestEffort, false],
      [{ scopeName: 'CrossNamespacePodAffinity', operator: 'Exists' }, crossNamespace, true],
      [{ scopeName: 'CrossNamespacePodAffinity', operator: 'Exists' }, bestEffort, false],
    ];
    for (const [selector, p, want] of cases) {
      assert.equal(podEvaluator.matchesScope(selector, p), want, `${JSON.stringify(selector)} on ${JSON.stringify(p['spec'])}`);
    }
  });

  it('extended resource names are qualified names outside kubernetes.io', () => {
    assert.deepEqual(
      ['example.com/gpu', 'kubernetes.io/x', 'foo.kubernetes.io/y', 'cpu', 'requests.example.com/gpu'].map(isExtendedResourceName),
      [true, false, false, false, false],
    );
  });
});
