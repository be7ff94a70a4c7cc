import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../api/all-types.js';
import { appsResources } from '../../api/apps/resources.js';
import { coreResources } from '../../api/core/resources.js';
import { OpenApiService } from './service.js';
import { CRONTAB } from './testing/fixtures.js';
import type { JsonSchema } from './well-known.js';

type Doc = { paths: Record<string, Record<string, JsonSchema>>; components: { schemas: Record<string, JsonSchema> } };

test('custom resources add a group-version document and change the root', () => {
  const service = new OpenApiService({ resources: [...coreResources, ...appsResources] });
  const before = service.v3Root().hash;
  service.setCustomResource(CRONTAB);
  assert.notEqual(service.v3Root().hash, before);
  assert.ok(service.groupVersionPaths().includes('apis/stable.example.com/v1'));
  const doc = JSON.parse(service.v3Document('apis/stable.example.com/v1')?.body.toString() ?? 'null') as Doc;
  const kind = doc.components.schemas['com.example.stable.v1.CronTab'] as { properties: Record<string, JsonSchema> } & JsonSchema;
  assert.deepEqual(kind['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
  assert.deepEqual((kind.properties['metadata']?.['allOf'] as JsonSchema[] | undefined)?.[0], {
    $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
  });
  assert.equal(kind.properties['apiVersion']?.['type'], 'string');
  assert.ok(doc.components.schemas['com.example.stable.v1.CronTabList']);
  assert.ok(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'], 'ObjectMeta reached through the CRD schema');
  const patch = doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}']?.['patch'] ?? {};
  assert.equal(patch['operationId'], 'patchStableExampleComV1NamespacedCronTab');
  const types = Object.keys((patch['requestBody'] as { content: JsonSchema }).content);
  assert.ok(!types.includes('application/strategic-merge-patch+json'), 'no strategic merge patch for custom resources');
  assert.ok(doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/status']);
});

test('v2 carries custom resources converted to Swagger 2.0', () => {
  const service = new OpenApiService({ resources: coreResources });
  const before = service.v2Json().hash;
  service.setCustomResource(CRONTAB);
  assert.notEqual(service.v2Json().hash, before);
  const doc = JSON.parse(service.v2Json().body.toString()) as { definitions: Record<string, { properties: Record<string, JsonSchema> }> };
  const spec = doc.definitions['com.example.stable.v1.CronTab']?.properties['spec'] as { properties: Record<string, JsonSchema> };
  assert.deepEqual(spec.properties['replicas'], { type: 'integer', description: 'How many to run.' });
  assert.deepEqual(spec.properties['port'], { 'x-kubernetes-int-or-string': true });
  assert.deepEqual(
    doc.definitions['com.example.stable.v1.CronTab']?.properties['metadata']?.['$ref'],
    '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
  );
});

test('removing a custom resource removes its document; unknown removals report false', () => {
  const service = new OpenApiService({ resources: coreResources });
  service.setCustomResource(CRONTAB);
  assert.ok(service.v3Document('apis/stable.example.com/v1'));
  assert.equal(service.removeCustomResource('stable.example.com', 'v1', 'crontabs'), true);
  assert.equal(service.v3Document('apis/stable.example.com/v1'), undefined);
  assert.ok(!service.groupVersionPaths().includes('apis/stable.example.com/v1'));
  assert.equal(service.removeCustomResource('stable.example.com', 'v1', 'crontabs'), false);
});

test('a schemaless custom resource preserves unknown fields', () => {
  const service = new OpenApiService();
  service.setCustomResource({ group: 'x.io', version: 'v1alpha1', kind: 'Thing', plural: 'things', namespaced: false });
  const doc = JSON.parse(service.v3Document('apis/x.io/v1alpha1')?.body.toString() ?? 'null') as Doc;
  assert.equal(doc.components.schemas['io.x.v1alpha1.Thing']?.['x-kubernetes-preserve-unknown-fields'], true);
  assert.ok(doc.paths['/apis/x.io/v1alpha1/things/{name}']);
});

test('generating every document stays fast (printed, not asserted)', (t) => {
  const start = performance.now();
  const service = new OpenApiService({ resources: [...coreResources, ...appsResources] });
  service.warm();
  t.diagnostic(`all OpenAPI documents (core+apps, v3 + v2 json + v2 protobuf): ${(performance.now() - start).toFixed(1)} ms`);
});
