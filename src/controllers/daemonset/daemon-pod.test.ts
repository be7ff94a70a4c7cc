import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDaemonPodTolerations, createPodTemplate, isPodUpdated, replaceNodeNameNodeAffinity, targetNodeName } from './daemon-pod.js';

test('addDaemonPodTolerations keeps an equal toleration once and replaces a matching one', () => {
  const spec = {
    hostNetwork: true,
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
      { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'mine', operator: 'Exists' },
    ],
  };
  addDaemonPodTolerations(spec);
  assert.deepEqual(
    spec.tolerations.map((t) => `${t.key}:${t.effect ?? ''}:${'tolerationSeconds' in t ? t.tolerationSeconds : '-'}`),
    [
      'node.kubernetes.io/not-ready:NoExecute:-',
      'node.kubernetes.io/unschedulable:NoSchedule:-',
      'mine::-',
      'node.kubernetes.io/unreachable:NoExecute:-',
      'node.kubernetes.io/disk-pressure:NoSchedule:-',
      'node.kubernetes.io/memory-pressure:NoSchedule:-',
      'node.kubernetes.io/pid-pressure:NoSchedule:-',
      'node.kubernetes.io/network-unavailable:NoSchedule:-',
    ],
  );
});

test('replaceNodeNameNodeAffinity replaces the required terms and keeps the rest', () => {
  const preferred = [{ weight: 1, preference: { matchExpressions: [{ key: 'a', operator: 'Exists' }] } }];
  const got = replaceNodeNameNodeAffinity(
    {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'z', operator: 'Exists' }] }] },
        preferredDuringSchedulingIgnoredDuringExecution: preferred,
      },
      podAntiAffinity: {},
    },
    'node-a',
  );
  assert.deepEqual(got, {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-a'] }] }],
      },
      preferredDuringSchedulingIgnoredDuringExecution: preferred,
    },
    podAntiAffinity: {},
  });
});

test('a pod is updated by its hash or its template generation; it targets its node by name or affinity', () => {
  const t = createPodTemplate({ metadata: { labels: { app: 'd' } }, spec: { containers: [] } }, 3, 'abc');
  assert.deepEqual(t.metadata?.labels, { app: 'd', 'pod-template-generation': '3', 'controller-revision-hash': 'abc' });
  const pod = { metadata: { labels: t.metadata?.labels ?? {} }, spec: { affinity: replaceNodeNameNodeAffinity(undefined, 'node-b') } };
  assert.equal(isPodUpdated(pod, 'abc', 9), true);
  assert.equal(isPodUpdated(pod, 'xyz', 3), true);
  assert.equal(isPodUpdated(pod, 'xyz', undefined), false);
  assert.equal(targetNodeName(pod), 'node-b');
  assert.equal(targetNodeName({ metadata: {}, spec: { nodeName: 'node-c' } }), 'node-c');
  assert.equal(targetNodeName({ metadata: {}, spec: {} }), undefined);
});
