import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteStorage } from '../../storage/index.js';
import { ApiRegistry } from '../api-registry.js';
import { managedFieldsTracker } from '../registry/managed-fields-tracker.js';
import { deleteObject } from '../registry/delete.js';
import { isStatusError, type StatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { smallGroupResources } from '../../api/others.js';
import { startCustomResources } from './index.js';
import { systemWriteOptions } from './system.js';
import { asCRD, CLEANUP_FINALIZER } from './crd-object.js';

const CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { cronSpec: { type: 'string' }, replicas: { type: 'integer', default: 1, minimum: 0 } } },
              status: { type: 'object', properties: { replicas: { type: 'integer' } } },
            },
          },
        },
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
      },
    ],
  },
};

async function setup() {
  const storage = await openSqliteStorage({ path: ':memory:' });
  const registry = new ApiRegistry({ storage, tracker: managedFieldsTracker });
  const crdType = smallGroupResources.find((t) => t.plural === 'customresourcedefinitions');
  assert.ok(crdType);
  await registry.add(crdType);
  const running = await startCustomResources({ registry, onError: () => {} });
  const crdStore = registry.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
  assert.ok(crdStore);
  return {
    registry,
    crdStore,
    controller: running.controller,
    async settle() {
      for (let i = 0; i < 50; i++) {
        await new Promise((r) => setTimeout(r, 10));
        await running.controller.whenIdle();
      }
    },
    async close() {
      running.stop();
      registry.stop();
      await storage.close();
    },
  };
}

test('a CRD is validated, established and served; deleting it removes its custom resources', async () => {
  const env = await setup();
  try {
    const created = await env.crdStore.create('', structuredClone(CRD), systemWriteOptions());
    assert.deepEqual(asCRD(created).status?.storedVersions, ['v1']);
    await env.settle();
    const crd = asCRD(env.crdStore.get('', 'crontabs.stable.example.com'));
    const conds = (crd.status?.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message]);
    assert.deepEqual(conds, [
      ['NamesAccepted', 'True', 'NoConflicts', 'no conflicts found'],
      ['Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted'],
    ]);
    assert.equal(crd.status?.acceptedNames?.kind, 'CronTab');

    const crs = env.registry.lookup('stable.example.com', 'v1', 'crontabs');
    assert.ok(crs, 'custom resources are served');
    assert.deepEqual(crs.type.shortNames, ['ct']);
    assert.equal(crs.type.status, true);
    const cr = await crs.create(
      'default',
      {
        apiVersion: 'stable.example.com/v1',
        kind: 'CronTab',
        metadata: { name: 'x' },
        spec: { cronSpec: '* * * * *', bogus: 1 },
        status: { replicas: 5 },
      },
      systemWriteOptions(),
    );
    assert.deepEqual(cr['spec'], { cronSpec: '* * * * *', replicas: 1 });
    assert.equal(cr['status'], undefined, 'status is dropped on create with a status subresource');
    assert.equal(cr.metadata.generation, 1);

    await assert.rejects(
      crs.create(
        'default',
        { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'y' }, spec: { replicas: 'many' } },
        systemWriteOptions(),
      ),
      (err: unknown) =>
        isStatusError(err, 'Invalid') &&
        /spec\.replicas: Invalid value: "string": spec\.replicas in body must be of type integer: "string"/.test(
          (err as StatusError).message,
        ),
    );

    // CRD delete: marked with the cleanup finalizer first, then removed with its custom resources
    await deleteObject(env.crdStore, '', 'crontabs.stable.example.com', {}, systemWriteOptions());
    const marked = await env.crdStore.read('', 'crontabs.stable.example.com');
    if (marked) {
      assert.ok(marked.obj.metadata.finalizers?.includes(CLEANUP_FINALIZER) || marked.obj.metadata.deletionTimestamp);
    }
    await env.settle();
    assert.equal(await env.crdStore.read('', 'crontabs.stable.example.com'), undefined, 'the CRD is gone');
    assert.equal(env.registry.lookup('stable.example.com', 'v1', 'crontabs'), undefined, 'no longer served');
    const left = await env.crdStore.storage.list('/registry/stable.example.com/crontabs/');
    assert.equal(left.items.length, 0, 'custom resources deleted');
  } finally {
    await env.close();
  }
});

test('an invalid CRD is refused with upstream messages', async () => {
  const env = await setup();
  try {
    const bad = structuredClone(CRD) as KubeObject & { spec: { group: string } };
    bad.spec.group = 'example';
    bad.metadata.name = 'crontabs.example';
    await assert.rejects(env.crdStore.create('', bad, systemWriteOptions()), (err: unknown) => {
      assert.ok(isStatusError(err, 'Invalid'));
      assert.equal(
        err.message,
        'CustomResourceDefinition.apiextensions.k8s.io "crontabs.example" is invalid: spec.group: Invalid value: "example": should be a domain with at least one dot',
      );
      return true;
    });
  } finally {
    await env.close();
  }
});

test('a second CRD with a kind already in use in the group is not established', async () => {
  const env = await setup();
  try {
    await env.crdStore.create('', structuredClone(CRD), systemWriteOptions());
    await env.settle();
    const dup = structuredClone(CRD) as KubeObject & { spec: { names: { plural: string; singular: string; shortNames?: string[] } } };
    dup.metadata.name = 'othertabs.stable.example.com';
    dup.spec.names.plural = 'othertabs';
    dup.spec.names.singular = 'othertab';
    delete dup.spec.names.shortNames;
    await env.crdStore.create('', dup, systemWriteOptions());
    await env.settle();
    const got = asCRD(env.crdStore.get('', 'othertabs.stable.example.com'));
    const named = got.status?.conditions?.find((c) => c.type === 'NamesAccepted');
    assert.equal(named?.status, 'False');
    assert.equal(named?.reason, 'ListKindConflict');
    assert.equal(got.status?.conditions?.find((c) => c.type === 'Established')?.status, 'False');
    assert.equal(env.registry.lookup('stable.example.com', 'v1', 'othertabs'), undefined);
  } finally {
    await env.close();
  }
});
