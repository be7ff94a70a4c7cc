import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../api/all-types.js';
import { appsResources } from '../../api/apps/resources.js';
import { coreResources } from '../../api/core/resources.js';
import { OpenApiService } from './service.js';
import { refName, type JsonSchema } from './well-known.js';

type Doc = {
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema> };
  info: JsonSchema;
  openapi: string;
};

const service = new OpenApiService({ resources: [...coreResources, ...appsResources] });
const parse = (path: string): Doc => JSON.parse(service.v3Document(path)?.body.toString() ?? 'null') as Doc;
const core = parse('api/v1');
const apps = parse('apis/apps/v1');

function refsIn(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsIn(v, into);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') into.push(v);
      else refsIn(v, into);
    }
  }
  return into;
}

test('documents carry upstream headers and one document per group-version', () => {
  assert.equal(core.openapi, '3.0.0');
  assert.deepEqual(core.info, { title: 'Kubernetes', version: 'v1.33.0' });
  assert.deepEqual(service.groupVersionPaths(), ['api/v1', 'apis/apps/v1']);
  assert.equal(service.v3Document('apis/batch/v1'), undefined);
});

test('root lists each group-version with the sha512 hash of its document', () => {
  const root = JSON.parse(service.v3Root().body.toString()) as { paths: Record<string, { serverRelativeURL: string }> };
  const hash = service.v3Document('apis/apps/v1')?.hash ?? '';
  assert.match(hash, /^[0-9A-F]{128}$/);
  assert.deepEqual(root.paths['apis/apps/v1'], { serverRelativeURL: `/openapi/v3/apis/apps/v1?hash=${hash}` });
  assert.ok(root.paths['api/v1']);
});

test('every $ref resolves inside its own document', () => {
  for (const doc of [core, apps]) {
    for (const ref of new Set(refsIn(doc))) {
      const name = refName(ref);
      assert.ok(name && doc.components.schemas[name], `dangling ${ref}`);
    }
  }
});

test('operationIds follow upstream naming', () => {
  const cases: Array<[Doc, string, string, string]> = [
    [core, '/api/v1/namespaces/{namespace}/pods', 'get', 'listCoreV1NamespacedPod'],
    [core, '/api/v1/namespaces/{namespace}/pods', 'post', 'createCoreV1NamespacedPod'],
    [core, '/api/v1/namespaces/{namespace}/pods', 'delete', 'deleteCoreV1CollectionNamespacedPod'],
    [core, '/api/v1/namespaces/{namespace}/pods/{name}', 'get', 'readCoreV1NamespacedPod'],
    [core, '/api/v1/namespaces/{namespace}/pods/{name}', 'put', 'replaceCoreV1NamespacedPod'],
    [core, '/api/v1/namespaces/{namespace}/pods/{name}/status', 'patch', 'patchCoreV1NamespacedPodStatus'],
    [core, '/api/v1/namespaces/{namespace}/pods/{name}/eviction', 'post', 'createCoreV1NamespacedPodEviction'],
    [core, '/api/v1/namespaces/{namespace}/pods/{name}/exec', 'get', 'connectCoreV1GetNamespacedPodExec'],
    [core, '/api/v1/namespaces/{namespace}/pods/{name}/log', 'get', 'readCoreV1NamespacedPodLog'],
    [core, '/api/v1/pods', 'get', 'listCoreV1PodForAllNamespaces'],
    [core, '/api/v1/watch/namespaces/{namespace}/pods', 'get', 'watchCoreV1NamespacedPodList'],
    [core, '/api/v1/nodes/{name}', 'delete', 'deleteCoreV1Node'],
    [core, '/api/v1/nodes', 'get', 'listCoreV1Node'],
    [apps, '/apis/apps/v1/namespaces/{namespace}/deployments/{name}', 'patch', 'patchAppsV1NamespacedDeployment'],
    [apps, '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale', 'get', 'readAppsV1NamespacedDeploymentScale'],
  ];
  for (const [doc, path, method, want] of cases) {
    assert.equal(doc.paths[path]?.[method]?.['operationId'], want, `${method} ${path}`);
  }
});

test('deployment patch carries fieldValidation and friends, its GVK, action and patch content types', () => {
  const patch = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']?.['patch'] ?? {};
  const params = (patch['parameters'] as Array<{ name: string; in: string }>).map((p) => `${p.in}:${p.name}`);
  for (const name of ['fieldValidation', 'dryRun', 'fieldManager', 'force']) assert.ok(params.includes(`query:${name}`), `missing ${name}`);
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
  assert.equal(patch['x-kubernetes-action'], 'patch');
  const content = (patch['requestBody'] as { content: Record<string, { schema: JsonSchema }> }).content;
  assert.deepEqual(Object.keys(content).sort(), [
    'application/apply-patch+yaml',
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/strategic-merge-patch+json',
  ]);
  assert.deepEqual(content['application/json-patch+json']?.schema, {
    $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
  });
  const ok = (patch['responses'] as Record<string, { content: Record<string, { schema: JsonSchema }> }>)['200'];
  assert.deepEqual(ok?.content['application/json']?.schema, { $ref: '#/components/schemas/io.k8s.api.apps.v1.Deployment' });
});

test('scale subresource is published with the autoscaling/v1 Scale kind', () => {
  const scale = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']?.['patch'] ?? {};
  assert.deepEqual(scale['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
  assert.ok(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale']);
});

test('components hold kinds, lists and the shared meta definitions', () => {
  for (const name of [
    'io.k8s.api.apps.v1.Deployment',
    'io.k8s.api.apps.v1.DeploymentList',
    'io.k8s.api.apps.v1.DeploymentStrategy',
    'io.k8s.api.core.v1.PodTemplateSpec',
    'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
    'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
    'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
    'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent',
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  ]) {
    assert.ok(apps.components.schemas[name], `missing ${name}`);
  }
  assert.equal(apps.components.schemas['io.k8s.api.core.v1.Pod'], undefined, 'apps/v1 does not reach Pod');
  assert.deepEqual(apps.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']?.['x-kubernetes-group-version-kind'], [
    { group: '', kind: 'DeleteOptions', version: 'v1' },
    { group: 'apps', kind: 'DeleteOptions', version: 'v1' },
  ]);
});

test('explain finds the kind through the list path operation GVK', () => {
  const list = core.paths['/api/v1/namespaces/{namespace}/pods']?.['get'] ?? {};
  assert.deepEqual(list['x-kubernetes-group-version-kind'], { group: '', kind: 'Pod', version: 'v1' });
  assert.equal(list['x-kubernetes-action'], 'list');
});

test('documents are cached and stable', () => {
  const again = new OpenApiService({ resources: [...coreResources, ...appsResources] });
  assert.equal(again.v3Document('api/v1')?.hash, service.v3Document('api/v1')?.hash);
  assert.equal(service.v3Document('api/v1'), service.v3Document('api/v1'));
});
