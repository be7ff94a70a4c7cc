import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OwnerReference } from '../../machinery/object.js';
import type { Pod } from '../controller-utils/types.js';
import { isClaimOwnerUpToDate, updateClaimOwnerRefs } from './retention.js';
import { statefulSet } from './testing-world.js';
import type { PersistentVolumeClaim, RetentionPolicyType } from './types.js';

const setRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true, blockOwnerDeletion: true };
const podRef = (uid: string): OwnerReference => ({
  apiVersion: 'v1',
  kind: 'Pod',
  name: 'web-1',
  uid,
  controller: true,
  blockOwnerDeletion: true,
});
const pod: Pod = { metadata: { name: 'web-1', namespace: 'default', uid: 'pod-uid' } };
const claim = (refs: OwnerReference[] = []): PersistentVolumeClaim => ({ metadata: { name: 'www-web-1', ownerReferences: refs } });

function set(whenDeleted: RetentionPolicyType, whenScaled: RetentionPolicyType, replicas = 2) {
  const s = statefulSet('web', replicas, { persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled } });
  s.metadata.uid = 'set-uid';
  return s;
}

test('the claim refs each policy asks for, in range and scaled down', () => {
  const cases: [RetentionPolicyType, RetentionPolicyType, number, string[]][] = [
    ['Retain', 'Retain', 2, []],
    ['Delete', 'Retain', 2, ['StatefulSet']],
    ['Retain', 'Delete', 2, []],
    ['Retain', 'Delete', 1, ['Pod']],
    ['Delete', 'Delete', 2, ['StatefulSet']],
    ['Delete', 'Delete', 1, ['Pod']],
  ];
  for (const [whenDeleted, whenScaled, replicas, want] of cases) {
    const s = set(whenDeleted, whenScaled, replicas);
    const c = claim();
    updateClaimOwnerRefs(c, s, pod);
    const what = `${whenDeleted}/${whenScaled} replicas=${replicas}`;
    assert.deepEqual(
      (c.metadata.ownerReferences ?? []).map((r) => r.kind),
      want,
      what,
    );
    assert.equal(isClaimOwnerUpToDate(c, s, pod), true, what);
    assert.equal(isClaimOwnerUpToDate(claim(), s, pod), want.length === 0, `${what}: bare claim`);
  }
});

test('a ref to an earlier pod of the same name is left alone; a foreign controller is not joined', () => {
  const s = set('Delete', 'Delete', 1);
  assert.equal(isClaimOwnerUpToDate(claim([podRef('old-uid')]), s, pod), true);
  const foreign = { apiVersion: 'x/v1', kind: 'Other', name: 'o', uid: 'o', controller: true };
  const c = claim([foreign, setRef]);
  assert.equal(isClaimOwnerUpToDate(c, s, pod), false, 'our ref beside another controller is removed');
  updateClaimOwnerRefs(c, s, pod);
  assert.deepEqual(c.metadata.ownerReferences, [foreign]);
  assert.equal(isClaimOwnerUpToDate(c, s, pod), true);
});

test('a non-controller ref of ours is replaced by a controller ref', () => {
  const s = set('Delete', 'Retain');
  const c = claim([{ ...setRef, controller: false }]);
  assert.equal(isClaimOwnerUpToDate(c, s, pod), false);
  updateClaimOwnerRefs(c, s, pod);
  assert.deepEqual(c.metadata.ownerReferences, [setRef]);
});
