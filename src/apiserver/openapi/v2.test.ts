import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../api/all-types.js';
import { appsResources } from '../../api/apps/resources.js';
import { coreResources } from '../../api/core/resources.js';
import { decodeGnosticDocument, encodeSwaggerDocument } from './gnostic.js';
import { OpenApiService } from './service.js';
import { refName, type JsonSchema } from './well-known.js';

type Swagger = { swagger: string; paths: Record<string, Record<string, JsonSchema>>; definitions: Record<string, JsonSchema> };

const service = new OpenApiService({ resources: [...coreResources, ...appsResources] });
const doc = JSON.parse(service.v2Json().body.toString()) as Swagger;

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

test('Swagger 2.0 document: definitions referenced as #/definitions/, all resolvable', () => {
  assert.equal(doc.swagger, '2.0');
  const refs = new Set(refsIn(doc));
  assert.ok(refs.size > 100);
  for (const ref of refs) {
    assert.ok(ref.startsWith('#/definitions/'), ref);
    assert.ok(doc.definitions[refName(ref) ?? ''], `dangling ${ref}`);
  }
  assert.ok(!JSON.stringify(doc).includes('allOf'), 'v2 uses $ref beside description, not allOf');
});

test('v2 patch operations carry GVK, action, fieldValidation and a body parameter', () => {
  const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']?.['patch'] ?? {};
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
  assert.equal(patch['x-kubernetes-action'], 'patch');
  const params = patch['parameters'] as Array<{ name: string; in: string; schema?: JsonSchema }>;
  assert.deepEqual(params[0], {
    name: 'body',
    in: 'body',
    required: true,
    schema: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' },
  });
  assert.ok(params.some((p) => p.name === 'fieldValidation' && p.in === 'query'));
  assert.ok((patch['consumes'] as string[]).includes('application/strategic-merge-patch+json'));
  const containers = (doc.definitions['io.k8s.api.core.v1.PodSpec']?.['properties'] as Record<string, JsonSchema> | undefined)?.[
    'containers'
  ];
  assert.equal(containers?.['x-kubernetes-patch-merge-key'], 'name');
});

test('gnostic protobuf starts like the hand-checked stub and round-trips', () => {
  const bytes = service.v2Protobuf().body;
  // field 1 (swagger) = "2.0", then field 2 (info)
  assert.deepEqual([...bytes.subarray(0, 6)], [0x0a, 0x03, 0x32, 0x2e, 0x30, 0x12]);
  assert.equal(service.v2Protobuf().contentType, 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
  const decoded = decodeGnosticDocument(bytes) as {
    swagger: string;
    info: { title: string; version: string };
    paths: {
      path: Array<{
        name: string;
        value: {
          patch?: {
            operationId: string;
            vendorExtension: Array<{ name: string; value: { yaml: string } }>;
            parameters: Array<Record<string, unknown>>;
          };
        };
      }>;
    };
    definitions: { additionalProperties: Array<{ name: string; value: Record<string, unknown> }> };
  };
  assert.equal(decoded.swagger, '2.0');
  assert.deepEqual(decoded.info, { title: 'Kubernetes', version: 'v1.33.0' });
  const item = decoded.paths.path.find((p) => p.name === '/apis/apps/v1/namespaces/{namespace}/deployments/{name}');
  const patch = item?.value.patch;
  assert.equal(patch?.operationId, 'patchAppsV1NamespacedDeployment');
  const gvk = patch?.vendorExtension.find((e) => e.name === 'x-kubernetes-group-version-kind');
  assert.deepEqual(JSON.parse(gvk?.value.yaml ?? 'null'), { group: 'apps', kind: 'Deployment', version: 'v1' });
  const names = patch?.parameters.map((p) => {
    const nb = (p['parameter'] as { nonBodyParameter?: { queryParameterSubSchema?: { name: string } } } | undefined)?.nonBodyParameter;
    return nb?.queryParameterSubSchema?.name;
  });
  assert.ok(names?.includes('fieldValidation'));
  const pod = decoded.definitions.additionalProperties.find((d) => d.name === 'io.k8s.api.core.v1.Pod')?.value;
  assert.deepEqual((pod?.['type'] as { value: string[] } | undefined)?.value, ['object']);
  assert.equal(decoded.definitions.additionalProperties.length, Object.keys(doc.definitions).length);
});

test('schema details survive the encoding: items, additionalProperties, enum, default, required', () => {
  const small: JsonSchema = {
    swagger: '2.0',
    info: { title: 'T', version: 'v' },
    paths: {},
    definitions: {
      X: {
        type: 'object',
        required: ['a'],
        properties: {
          a: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
          m: { type: 'object', additionalProperties: { $ref: '#/definitions/Y' } },
          e: { type: 'string', enum: ['On', 'Off'], default: 'On', maxLength: 5 },
        },
      },
      Y: { type: 'string' },
    },
  };
  const decoded = decodeGnosticDocument(encodeSwaggerDocument(small)) as {
    definitions: {
      additionalProperties: Array<{
        name: string;
        value: { required: string[]; properties: { additionalProperties: Array<{ name: string; value: Record<string, unknown> }> } };
      }>;
    };
  };
  const x = decoded.definitions.additionalProperties[0]?.value;
  assert.deepEqual(x?.required, ['a']);
  const props = Object.fromEntries((x?.properties.additionalProperties ?? []).map((p) => [p.name, p.value]));
  assert.deepEqual(props['a']?.['items'], { schema: [{ type: { value: ['string'] } }] });
  assert.deepEqual(props['a']?.['vendorExtension'], [{ name: 'x-kubernetes-list-type', value: { yaml: '"set"' } }]);
  assert.deepEqual(props['m']?.['additionalProperties'], { schema: { ref: '#/definitions/Y' } });
  assert.deepEqual(props['e']?.['enum'], [{ yaml: '"On"' }, { yaml: '"Off"' }]);
  assert.deepEqual(props['e']?.['default'], { yaml: '"On"' });
  assert.equal(props['e']?.['maxLength'], 5);
});
