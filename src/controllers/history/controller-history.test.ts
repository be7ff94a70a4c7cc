import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import type { KubeObject } from '../../machinery/object.js';
import { newControllerRef } from '../controller-utils/controller-ref.js';
import {
  CONTROLLER_REVISION_HASH_LABEL,
  CONTROLLER_REVISIONS,
  ControllerHistory,
  type ControllerRevision,
  controllerRevisionName,
  equalRevision,
  findEqualRevisions,
  newControllerRevision,
  nextRevision,
  sortControllerRevisions,
} from './controller-history.js';

const parent: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default', uid: 'u1' } };
const ref = newControllerRef(parent, 'apps/v1', 'StatefulSet');

function revision(data: unknown, n: number, collisionCount?: number): ControllerRevision {
  return newControllerRevision({
    parent,
    controllerRef: ref,
    templateLabels: { app: 'web' },
    data,
    revision: n,
    ...(collisionCount !== undefined ? { collisionCount } : {}),
  });
}

const dataA = { spec: { template: { $patch: 'replace', spec: { containers: [{ name: 'c', image: 'a' }] } } } };
const dataB = { spec: { template: { $patch: 'replace', spec: { containers: [{ name: 'c', image: 'b' }] } } } };

describe('controller history', () => {
  it('names a revision <parent>-<hash>, labels it with the hash and the template labels, owned by the parent', () => {
    const r = revision(dataA, 1);
    const hash = r.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(r.metadata.name, `web-${hash}`);
    assert.equal(r.metadata.labels?.['app'], 'web');
    assert.deepEqual(r.metadata.ownerReferences, [ref]);
    assert.equal(r.revision, 1);
    assert.notEqual(revision(dataA, 1, 1).metadata.name, r.metadata.name, 'a collision count gives another name');
    assert.notEqual(revision(dataB, 1).metadata.name, r.metadata.name);
  });

  it('cuts a long parent name to 223 characters', () => {
    assert.equal(controllerRevisionName('x'.repeat(300), 'h'), `${'x'.repeat(223)}-h`);
  });

  it('compares revisions by hash and data, sorts them by revision and finds the next number', () => {
    const a = revision(dataA, 3);
    const b = revision(dataB, 1);
    assert.ok(equalRevision(a, revision(structuredClone(dataA), 7)));
    assert.ok(!equalRevision(a, b));
    assert.ok(!equalRevision(a, undefined));
    assert.deepEqual(findEqualRevisions([a, b], revision(dataB, 9)), [b]);
    assert.deepEqual(
      sortControllerRevisions([a, b]).map((r) => r.revision),
      [1, 3],
    );
    assert.equal(nextRevision([a, b]), 4);
    assert.equal(nextRevision([]), 1);
  });

  it('creates a revision, returns an equal one already stored, and steps past a collision', async () => {
    const cs = new FakeClientset();
    const history = new ControllerHistory({ client: cs.resource(CONTROLLER_REVISIONS) });
    const first = await history.create(parent, revision(dataA, 1), 0);
    assert.equal(first.collisionCount, 0);
    const again = await history.create(parent, revision(dataA, 1), 0);
    assert.equal(again.revision.metadata.name, first.revision.metadata.name);
    assert.equal(cs.writes('create').length, 2);

    // another revision stored under the name dataB's hash gives: a collision
    const squatter = { ...revision(dataB, 1), data: { other: true } };
    await cs.resource(CONTROLLER_REVISIONS).create('default', squatter);
    const bumped = await history.create(parent, revision(dataB, 2), 0);
    assert.equal(bumped.collisionCount, 1);
    assert.equal(bumped.revision.metadata.name, revision(dataB, 2, 1).metadata.name);
  });

  it('updates the revision number and deletes, a missing revision being fine', async () => {
    const cs = new FakeClientset();
    const history = new ControllerHistory({ client: cs.resource(CONTROLLER_REVISIONS) });
    const { revision: stored } = await history.create(parent, revision(dataA, 1), 0);
    const updated = await history.updateRevision(stored, 5);
    assert.equal(updated.revision, 5);
    assert.equal(await history.updateRevision(updated, 5), updated, 'no write when the number is already right');
    await history.delete(updated);
    await history.delete(updated);
    assert.equal(cs.tracker.get(CONTROLLER_REVISIONS, 'default', updated.metadata.name ?? ''), undefined);
  });
});
