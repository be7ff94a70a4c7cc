/**
 * Typed decoding end to end: bodies with a wrong JSON type get upstream's answer on every path
 * that stores an object (create, update, each patch type, subresources, DeleteOptions), and
 * nothing stored changes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from './support/server.js';
import { ApiClient, type Response } from './support/http.js';

let server: TestServer;
let api: ApiClient;
const NS = '/api/v1/namespaces/default';
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';
const JSON_BODY = { 'Content-Type': 'application/json' };

interface Status {
  kind: string;
  code: number;
  reason: string;
  message: string;
  details?: { causes?: { reason: string; field: string; message: string }[] };
}

function deployment(name: string, replicas: unknown): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  };
}

before(async () => {
  server = await startServer();
  api = new ApiClient(server.kubeconfig);
  for (const [path, body] of [
    [`${NS}/configmaps`, { metadata: { name: 'cm' }, data: { a: 'b' } }],
    [DEPLOYS, deployment('web', 1)],
    [`${NS}/pods`, { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }],
  ] as const) {
    const res = await api.request('POST', path, body, JSON_BODY);
    assert.equal(res.status, 201, res.body);
  }
});

after(async () => {
  api?.close();
  await server?.stop();
  await server?.cleanup();
});

/** The resourceVersion of an object, or 'absent'. */
async function version(path: string): Promise<string> {
  const res = await api.request('GET', path);
  return res.status === 404 ? 'absent' : res.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
}

async function expectRefused(
  method: string,
  path: string,
  body: unknown,
  contentType: string,
  code: number,
  message: string | RegExp,
  stored = path,
): Promise<Status> {
  const before = await version(stored);
  const res: Response = await api.request(method, path, body, { 'Content-Type': contentType });
  assert.equal(res.status, code, `want ${code}, got ${res.status}: ${res.body}`);
  const status = res.json<Status>();
  assert.equal(status.kind, 'Status');
  if (typeof message === 'string') assert.equal(status.message, message);
  else assert.match(status.message, message);
  assert.equal(await version(stored), before, 'nothing stored changed');
  return status;
}

describe('a wrong JSON type is refused with the decoder’s own message', () => {
  it('create: 400 with encoding/json’s message', async () => {
    await expectRefused(
      'POST',
      DEPLOYS,
      deployment('d', '3'),
      'application/json',
      400,
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
      `${DEPLOYS}/d`,
    );
    for (const [body, field] of [
      [{ metadata: { name: 'x', labels: { a: 1 } } }, 'ObjectMeta.metadata.labels of type string'],
      [{ metadata: { name: 12345 } }, 'ObjectMeta.metadata.name of type string'],
      [{ metadata: { name: 'x' }, data: 5 }, 'ConfigMap.data of type map[string]string'],
    ] as const) {
      await expectRefused(
        'POST',
        `${NS}/configmaps`,
        body,
        'application/json',
        400,
        new RegExp(`Go struct field ${field.replace(/[[\]]/g, '\\$&')}$`),
        `${NS}/configmaps/x`,
      );
    }
    await expectRefused(
      'POST',
      `${NS}/pods`,
      { metadata: { name: 'x' }, spec: { containers: [{ name: 'c', image: 'i', command: { x: 1 } }] } },
      'application/json',
      400,
      /Container\.spec\.containers\.command of type \[\]string$/,
      `${NS}/pods/x`,
    );
    await expectRefused(
      'POST',
      `${NS}/secrets`,
      { metadata: { name: 's' }, data: { k: 'not base64!' } },
      'application/json',
      400,
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
      `${NS}/secrets/s`,
    );
  });

  it('a YAML body is read the same way', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n  labels: [x]\n';
    await expectRefused(
      'POST',
      `${NS}/configmaps`,
      yaml,
      'application/yaml',
      400,
      /json: cannot unmarshal array into Go struct field ObjectMeta\.metadata\.labels of type map\[string\]string$/,
      `${NS}/configmaps/y`,
    );
  });

  it('update: 400 like create', async () => {
    const cm = (await api.request('GET', `${NS}/configmaps/cm`)).json<Record<string, unknown>>();
    await expectRefused(
      'PUT',
      `${NS}/configmaps/cm`,
      { ...cm, data: { a: true } },
      'application/json',
      400,
      /ConfigMap\.data of type string$/,
    );
  });

  it('JSON and merge patches: 422 on patch, showing the patched object', async () => {
    const merge = await expectRefused(
      'PATCH',
      `${DEPLOYS}/web`,
      { spec: { replicas: 'x' } },
      'application/merge-patch+json',
      422,
      /^ "" is invalid: patch: Invalid value: ".*": json: cannot unmarshal string into Go struct field DeploymentSpec\.spec\.replicas of type int32$/,
    );
    assert.equal(merge.details?.causes?.[0]?.field, 'patch');
    assert.equal(merge.details?.causes?.[0]?.reason, 'FieldValueInvalid');
    await expectRefused(
      'PATCH',
      `${NS}/configmaps/cm`,
      [{ op: 'add', path: '/data/b', value: 5 }],
      'application/json-patch+json',
      422,
      /json: cannot unmarshal number into Go struct field ConfigMap\.data of type string$/,
    );
  });

  it('strategic merge patch: 422 with the unstructured converter’s message and the patch', async () => {
    await expectRefused(
      'PATCH',
      `${NS}/configmaps/cm`,
      { data: { a: 5 } },
      'application/strategic-merge-patch+json',
      422,
      ' "" is invalid: patch: Invalid value: "map[data:map[a:5]]": cannot convert int64 to string',
    );
  });

  it('server-side apply: structured-merge-diff’s message (400 here, not upstream’s 500)', async () => {
    await expectRefused(
      'PATCH',
      `${NS}/configmaps/cm?fieldManager=test`,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: [1]\n',
      'application/apply-patch+yaml',
      400,
      'failed to create typed patch object (default/cm; /v1, Kind=ConfigMap): .data.a: expected string, got &value.valueUnstructured{Value:[1]}',
    );
  });

  it('subresources: scale, status, binding, eviction', async () => {
    await expectRefused(
      'PATCH',
      `${DEPLOYS}/web/scale`,
      { spec: { replicas: 'x' } },
      'application/merge-patch+json',
      422,
      /ScaleSpec\.spec\.replicas of type int32$/,
      `${DEPLOYS}/web`,
    );
    await expectRefused(
      'PUT',
      `${DEPLOYS}/web/scale`,
      { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: '2' } },
      'application/json',
      400,
      'Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal string into Go struct field ScaleSpec.spec.replicas of type int32',
      `${DEPLOYS}/web`,
    );
    await expectRefused(
      'PATCH',
      `${DEPLOYS}/web/status`,
      { status: { replicas: 'two' } },
      'application/merge-patch+json',
      422,
      /DeploymentStatus\.status\.replicas of type int32$/,
      `${DEPLOYS}/web`,
    );
    await expectRefused(
      'POST',
      `${NS}/pods/p/binding`,
      { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { name: 7 } },
      'application/json',
      400,
      'Binding in version "v1" cannot be handled as a Binding: json: cannot unmarshal number into Go struct field ObjectReference.target.name of type string',
      `${NS}/pods/p`,
    );
    await expectRefused(
      'POST',
      `${NS}/pods/p/eviction`,
      { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p' }, deleteOptions: { gracePeriodSeconds: 'now' } },
      'application/json',
      400,
      /Go struct field DeleteOptions\.deleteOptions\.gracePeriodSeconds of type int64$/,
      `${NS}/pods/p`,
    );
  });

  it('DeleteOptions bodies', async () => {
    await expectRefused(
      'DELETE',
      `${NS}/configmaps/cm`,
      { propagationPolicy: ['Background'] },
      'application/json',
      400,
      'DeleteOptions in version "v1" cannot be handled as a DeleteOptions: json: cannot unmarshal array into Go struct field DeleteOptions.propagationPolicy of type string',
    );
  });

  it('null is the zero value anywhere; an int-or-string and a quantity take either form', async () => {
    const res = await api.request(
      'POST',
      `${NS}/services`,
      {
        metadata: { name: 'svc', labels: null },
        spec: {
          selector: null,
          ports: [
            { name: 'a', port: 80, targetPort: 'http' },
            { name: 'b', port: 81, targetPort: 8081 },
          ],
        },
      },
      JSON_BODY,
    );
    assert.equal(res.status, 201, res.body);
    const pod = await api.request(
      'POST',
      `${NS}/pods`,
      { metadata: { name: 'q' }, spec: { containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: 0.5, memory: '64Mi' } } }] } },
      JSON_BODY,
    );
    assert.equal(pod.status, 201, pod.body);
  });
});
