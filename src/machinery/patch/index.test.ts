import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boolean, defineTypes, field, int32, list, map, ref, string } from '../schema/dsl.js';
import { isStatusError } from '../errors.js';
import type { KubeObject } from '../object.js';
import { applyPatch, contentTypeForPatchType, patchTypeForContentType } from './index.js';

// A small Pod and Deployment shaped like upstream's, under test-only names.
const P = 'test.patch.index.v1';
defineTypes(
  {
    name: `${P}.Pod`,
    gvk: { group: '', version: 'v1', kind: 'Pod' },
    fields: { metadata: field(1, ref(`${P}.ObjectMeta`)), spec: field(2, ref(`${P}.PodSpec`)) },
  },
  {
    name: `${P}.ObjectMeta`,
    fields: {
      name: field(1, string),
      labels: field(11, map(string)),
      finalizers: field(14, list(string), undefined, { patchStrategy: 'merge', listType: 'set' }),
      ownerReferences: field(13, list(ref(`${P}.OwnerReference`)), undefined, { patchStrategy: 'merge', patchMergeKey: 'uid' }),
    },
  },
  { name: `${P}.OwnerReference`, fields: { uid: field(4, string), name: field(3, string), controller: field(6, boolean) } },
  {
    name: `${P}.PodSpec`,
    fields: {
      containers: field(2, list(ref(`${P}.Container`)), undefined, { patchStrategy: 'merge', patchMergeKey: 'name' }),
      volumes: field(1, list(ref(`${P}.Volume`)), undefined, { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name' }),
      nodeSelector: field(7, map(string)),
    },
  },
  {
    name: `${P}.Container`,
    fields: {
      name: field(1, string),
      image: field(2, string),
      args: field(4, list(string), undefined, { listType: 'atomic' }),
      ports: field(6, list(ref(`${P}.ContainerPort`)), undefined, { patchStrategy: 'merge', patchMergeKey: 'containerPort' }),
      env: field(7, list(ref(`${P}.EnvVar`)), undefined, { patchStrategy: 'merge', patchMergeKey: 'name' }),
    },
  },
  { name: `${P}.ContainerPort`, fields: { name: field(1, string), containerPort: field(3, int32), protocol: field(4, string) } },
  { name: `${P}.EnvVar`, fields: { name: field(1, string), value: field(2, string) } },
  {
    name: `${P}.Volume`,
    fields: {
      name: field(1, string),
      hostPath: field(2, ref(`${P}.HostPath`)),
      emptyDir: field(3, ref(`${P}.EmptyDir`)),
      configMap: field(19, ref(`${P}.ConfigMap`)),
    },
  },
  { name: `${P}.HostPath`, fields: { path: field(1, string) } },
  { name: `${P}.EmptyDir`, fields: { medium: field(1, string) } },
  { name: `${P}.ConfigMap`, fields: { name: field(1, string) } },
);
const POD = `${P}.Pod`;

function pod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', labels: { app: 'web', tier: 'fe' }, finalizers: ['a/x', 'b/y'] },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'nginx:1',
          ports: [{ containerPort: 80 }, { containerPort: 443 }],
          env: [{ name: 'A', value: '1' }],
          args: ['-v'],
        },
        { name: 'sidecar', image: 'busybox' },
      ],
      volumes: [{ name: 'data', hostPath: { path: '/srv' } }],
    },
  };
}

const spec = (o: KubeObject): Record<string, unknown> => o['spec'] as Record<string, unknown>;
const containers = (o: KubeObject): Array<Record<string, unknown>> => spec(o)['containers'] as Array<Record<string, unknown>>;

test('content types map to patch types', () => {
  assert.equal(patchTypeForContentType('application/json-patch+json'), 'json');
  assert.equal(patchTypeForContentType('application/merge-patch+json; charset=utf-8'), 'merge');
  assert.equal(patchTypeForContentType('application/strategic-merge-patch+json'), 'strategic');
  assert.equal(patchTypeForContentType('application/apply-patch+yaml'), undefined);
  assert.equal(patchTypeForContentType('application/json'), undefined);
  assert.equal(contentTypeForPatchType('merge'), 'application/merge-patch+json');
});

test('strategic: image change merges into the container by name', () => {
  const out = applyPatch('strategic', pod(), '{"spec":{"containers":[{"name":"app","image":"nginx:2"}]}}', POD);
  assert.deepEqual(
    containers(out).map((c) => [c['name'], c['image']]),
    [
      ['app', 'nginx:2'],
      ['sidecar', 'busybox'],
    ],
  );
  assert.deepEqual(containers(out)[0]?.['ports'], [{ containerPort: 80 }, { containerPort: 443 }]);
});

test('strategic: nested merge by containerPort and env name; atomic args replaced', () => {
  const body = {
    spec: {
      containers: [
        {
          name: 'app',
          ports: [{ containerPort: 443, name: 'https' }],
          env: [
            { name: 'B', value: '2' },
            { name: 'A', $patch: 'delete' },
          ],
          args: ['-q'],
        },
      ],
    },
  };
  const app = containers(applyPatch('strategic', pod(), JSON.stringify(body), POD))[0] ?? {};
  // Items the live list already has keep their live order relative to server-only items.
  assert.deepEqual(app['ports'], [{ containerPort: 80 }, { containerPort: 443, name: 'https' }]);
  assert.deepEqual(app['env'], [{ name: 'B', value: '2' }]);
  assert.deepEqual(app['args'], ['-q']);
});

test('strategic: delete a container and replace the list', () => {
  const del = applyPatch('strategic', pod(), '{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}', POD);
  assert.deepEqual(
    containers(del).map((c) => c['name']),
    ['app'],
  );
  const rep = applyPatch('strategic', pod(), '{"spec":{"containers":[{"name":"only","image":"x"},{"$patch":"replace"}]}}', POD);
  assert.deepEqual(containers(rep), [{ name: 'only', image: 'x' }]);
});

test('strategic: finalizers merge as a set; $deleteFromPrimitiveList removes', () => {
  const add = applyPatch('strategic', pod(), '{"metadata":{"finalizers":["b/y","c/z"]}}', POD);
  assert.deepEqual(add.metadata.finalizers, ['a/x', 'b/y', 'c/z']);
  const del = applyPatch('strategic', pod(), '{"metadata":{"$deleteFromPrimitiveList/finalizers":["a/x"]}}', POD);
  assert.deepEqual(del.metadata.finalizers, ['b/y']);
});

test('strategic: volume source swap with $retainKeys', () => {
  const body = '{"spec":{"volumes":[{"name":"data","emptyDir":{},"$retainKeys":["emptyDir","name"]}]}}';
  const out = applyPatch('strategic', pod(), body, POD);
  assert.deepEqual(spec(out)['volumes'], [{ name: 'data', emptyDir: {} }]);
  const without = applyPatch('strategic', pod(), '{"spec":{"volumes":[{"name":"data","emptyDir":{}}]}}', POD);
  assert.deepEqual(spec(without)['volumes'], [{ name: 'data', hostPath: { path: '/srv' }, emptyDir: {} }]);
});

test('strategic: labels null deletes; $setElementOrder reorders containers', () => {
  const body = {
    metadata: { labels: { tier: null, env: 'prod' } },
    spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }] },
  };
  const out = applyPatch('strategic', pod(), JSON.stringify(body), POD);
  assert.deepEqual(out.metadata.labels, { app: 'web', env: 'prod' });
  assert.deepEqual(
    containers(out).map((c) => c['name']),
    ['sidecar', 'app'],
  );
});

test('strategic: malformed bodies are 400 with Go text; no type is 415', () => {
  assert.throws(
    () => applyPatch('strategic', pod(), '{"spec":', POD),
    (e: unknown) => isStatusError(e, 'BadRequest') && e.status.message === 'unexpected end of JSON input',
  );
  assert.throws(
    () => applyPatch('strategic', pod(), '[]', POD),
    (e: unknown) =>
      isStatusError(e, 'BadRequest') && e.status.message === 'json: cannot unmarshal array into Go value of type map[string]interface {}',
  );
  assert.throws(
    () => applyPatch('strategic', pod(), '{}'),
    (e: unknown) => isStatusError(e, 'UnsupportedMediaType') && e.code === 415,
  );
  assert.deepEqual(applyPatch('strategic', pod(), 'null', POD), pod());
});

test('strategic: missing merge key is a 500 with the upstream message', () => {
  assert.throws(
    () => applyPatch('strategic', pod(), '{"spec":{"containers":[{"image":"x"}]}}', POD),
    (e: unknown) =>
      isStatusError(e) && e.code === 500 && e.status.message === 'map: map[image:x] does not contain declared merge key: name',
  );
});

test('merge: containers list is replaced whole, null deletes', () => {
  const out = applyPatch('merge', pod(), Buffer.from('{"metadata":{"labels":{"app":null}},"spec":{"containers":[{"name":"x"}]}}'));
  assert.deepEqual(out.metadata.labels, { tier: 'fe' });
  assert.deepEqual(containers(out), [{ name: 'x' }]);
});

test('json: patch by index and escaped keys; original untouched', () => {
  const original = pod();
  const body =
    '[{"op":"replace","path":"/spec/containers/1/image","value":"alpine"},{"op":"add","path":"/metadata/labels/a.io~1b","value":"c"}]';
  const out = applyPatch('json', original, body);
  assert.equal(containers(out)[1]?.['image'], 'alpine');
  assert.equal(out.metadata.labels?.['a.io/b'], 'c');
  assert.deepEqual(original, pod());
});

test('json: failed test op is the generic 422', () => {
  assert.throws(
    () => applyPatch('json', pod(), '[{"op":"test","path":"/metadata/name","value":"other"}]'),
    (e: unknown) => isStatusError(e, 'Invalid') && e.status.message === 'the server rejected our request due to an error in our request',
  );
});

test('a patched document that is not an object is 422 patch: Invalid value', () => {
  assert.throws(
    () => applyPatch('json', pod(), '[{"op":"replace","path":"","value":[1]}]'),
    (e: unknown) =>
      isStatusError(e, 'Invalid') &&
      e.status.details?.causes?.[0]?.field === 'patch' &&
      (e.status.message ?? '').startsWith(
        ' "" is invalid: patch: Invalid value: "[1]": couldn\'t get version/kind; json parse error: json: cannot unmarshal array',
      ),
  );
  assert.throws(
    () => applyPatch('merge', pod(), '{"metadata":"x"}'),
    (e: unknown) =>
      isStatusError(e, 'Invalid') &&
      /cannot unmarshal string into Go struct field Pod\.metadata of type v1\.ObjectMeta/.test(e.status.message ?? ''),
  );
});

test('removing metadata leaves an empty ObjectMeta', () => {
  const out = applyPatch('json', pod(), '[{"op":"remove","path":"/metadata"}]');
  assert.deepEqual(out.metadata, {});
});
