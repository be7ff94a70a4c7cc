import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../controller-utils/types.js';
import {
  claimName,
  identityMatches,
  isMemberOf,
  maxUnavailable,
  newStatefulSetPod,
  parentNameAndOrdinal,
  podInOrdinalRange,
  storageMatches,
  updateIdentity,
  updateStorage,
} from './stateful-set-utils.js';
import { statefulSet } from './testing-world.js';

const named = (name: string): Pod => ({ metadata: { name, namespace: 'default' } });
const ref = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true, blockOwnerDeletion: true };
const www = { metadata: { name: 'www' }, spec: {} };

test('ordinals are parsed from the end of the name', () => {
  const cases: [string, [string, number]][] = [
    ['web-0', ['web', 0]],
    ['my-web-12', ['my-web', 12]],
    ['web', ['', -1]],
    ['web-x', ['', -1]],
    ['web-99999999999', ['web', -1]],
  ];
  for (const [name, want] of cases) assert.deepEqual(parentNameAndOrdinal(named(name)), want, name);
  assert.equal(isMemberOf(statefulSet('web', 1), named('web-3')), true);
  assert.equal(isMemberOf(statefulSet('web', 1), named('web-x-3')), false);
});

test('the ordinal range starts at spec.ordinals.start', () => {
  const set = statefulSet('web', 2, { ordinals: { start: 3 } });
  assert.deepEqual(
    ['web-2', 'web-3', 'web-4', 'web-5'].map((n) => podInOrdinalRange(named(n), set)),
    [false, true, true, false],
  );
});

test('a new pod has its identity, hostname, subdomain and claims; volumes of the template are kept', () => {
  const set = statefulSet('web', 3, { volumeClaimTemplates: [www] });
  set.spec!.template!.spec!['volumes'] = [
    { name: 'cache', emptyDir: {} },
    { name: 'www', emptyDir: {} },
  ];
  const pod = newStatefulSetPod(set, 2, ref);
  assert.equal(pod.metadata.name, 'web-2');
  assert.deepEqual(pod.metadata.labels, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-2', 'apps.kubernetes.io/pod-index': '2' });
  assert.equal(pod.spec?.['hostname'], 'web-2');
  assert.equal(pod.spec?.['subdomain'], 'web');
  assert.deepEqual(pod.spec?.['volumes'], [
    { name: 'www', persistentVolumeClaim: { claimName: 'www-web-2' } },
    { name: 'cache', emptyDir: {} },
  ]);
  assert.equal(claimName(set, 'www', 2), 'www-web-2');
  assert.ok(identityMatches(set, pod) && storageMatches(set, pod));
});

test('identity and storage are restored on a pod that lost them', () => {
  const set = statefulSet('web', 3, { volumeClaimTemplates: [www] });
  const pod: Pod = { metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } }, spec: { volumes: [] } };
  assert.equal(identityMatches(set, pod), false);
  assert.equal(storageMatches(set, pod), false);
  updateIdentity(set, pod);
  updateStorage(set, pod);
  assert.ok(identityMatches(set, pod) && storageMatches(set, pod));
});

test('maxUnavailable: an int or a percentage of the replicas rounded down, at least 1', () => {
  const cases: [number | string | undefined, number][] = [
    [undefined, 1],
    [3, 3],
    ['50%', 5],
    ['1%', 1],
  ];
  for (const [v, want] of cases) {
    const set = statefulSet('web', 10, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: v } } });
    assert.equal(maxUnavailable(set), want, String(v));
  }
});
