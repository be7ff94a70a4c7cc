import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import '../../api/all-types.js';
import { decodeTyped, type DecodeOptions } from './typed-decoder.js';
import { TypedDecodeError, type Dialect } from './decode-errors.js';

const POD = 'io.k8s.api.core.v1.Pod';
const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
const SERVICE = 'io.k8s.api.core.v1.Service';
const SECRET = 'io.k8s.api.core.v1.Secret';
const CONFIG_MAP = 'io.k8s.api.core.v1.ConfigMap';

function messageOf(dialect: Dialect, typeName: string, value: Record<string, unknown>): string | undefined {
  try {
    decodeTyped(typeName, structuredClone(value), { dialect, prune: true, normalize: true });
    return undefined;
  } catch (err) {
    assert.ok(err instanceof TypedDecodeError, `a TypedDecodeError, got ${String(err)}`);
    return err.message;
  }
}

// [type, value, json (encoding/json), unstructured (FromUnstructured), smd (apply)]
const CASES: [string, Record<string, unknown>, string, string, string][] = [
  [
    DEPLOYMENT,
    { spec: { replicas: '3' } },
    'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    'unrecognized type: int32',
    '.spec.replicas: expected numeric (int or float), got string',
  ],
  [
    DEPLOYMENT,
    { spec: { replicas: 2147483648 } },
    'json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32',
    'cannot convert int64 to int32',
    '.spec.replicas: cannot convert int64 to int32',
  ],
  [
    DEPLOYMENT,
    { spec: 'x' },
    'json: cannot unmarshal string into Go struct field Deployment.spec of type v1.DeploymentSpec',
    'cannot restore struct from: string',
    '.spec: expected map, got &{"x"}',
  ],
  [
    CONFIG_MAP,
    { data: 5 },
    'json: cannot unmarshal number into Go struct field ConfigMap.data of type map[string]string',
    'cannot restore map from int64',
    '.data: expected map, got &{5}',
  ],
  [
    POD,
    { metadata: { labels: { a: 1 } } },
    'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
    'cannot convert int64 to string',
    '.metadata.labels.a: expected string, got &value.valueUnstructured{Value:1}',
  ],
  [
    POD,
    { spec: { containers: [{ name: 'a', command: { x: 1 } }] } },
    'json: cannot unmarshal object into Go struct field Container.spec.containers.command of type []string',
    'cannot restore slice from map',
    '.spec.containers[name="a"].command: expected list, got &{{"x":1}}',
  ],
  [
    POD,
    { spec: { containers: [{ name: 'a', resources: { limits: { cpu: true } } }] } },
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    `.spec.containers[name="a"].resources.limits.cpu: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
  ],
  [
    POD,
    { metadata: { creationTimestamp: 5 } },
    'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string',
    'json: cannot unmarshal number into Go value of type string',
    '.metadata.creationTimestamp: json: cannot unmarshal number into Go value of type string',
  ],
  [
    SERVICE,
    { spec: { ports: [{ port: 80, targetPort: 1.5 }] } },
    'json: cannot unmarshal number 1.5 into Go struct field ServicePort.spec.ports.targetPort of type int32',
    'json: cannot unmarshal number into Go value of type int32',
    '.spec.ports[port=80].targetPort: json: cannot unmarshal number into Go value of type int32',
  ],
  [
    SECRET,
    { data: { a: 'abc!' } },
    'illegal base64 data at input byte 3',
    'illegal base64 data at input byte 3',
    '.data.a: illegal base64 data at input byte 3',
  ],
];

describe('typed decoding refuses wrong JSON types with each decoder’s message', () => {
  for (const [type, value, json, unstructured, smd] of CASES) {
    it(`${type.split('.').pop()} ${JSON.stringify(value)}`, () => {
      assert.equal(messageOf('json', type, value), json);
      assert.equal(messageOf('unstructured', type, value), unstructured);
      assert.equal(messageOf('smd', type, value), smd);
    });
  }
});

describe('typed decoding accepts', () => {
  const ok: [string, Record<string, unknown>][] = [
    [POD, { metadata: { name: 'p', creationTimestamp: '2024-02-29T23:59:59Z' }, spec: { containers: [{ name: 'a', image: 'b' }] } }],
    [POD, { spec: { containers: [{ name: 'a', resources: { limits: { cpu: 0.5, memory: '1Gi' } } }] } }],
    [
      SERVICE,
      {
        spec: {
          ports: [
            { port: 80, targetPort: 'http' },
            { port: 81, targetPort: 8081 },
          ],
        },
      },
    ],
    [SECRET, { data: { a: 'YWJj', b: 'YW\nJj' } }],
    [DEPLOYMENT, { spec: { replicas: null, template: null } }],
    ['io.k8s.api.apps.v1.ControllerRevision', { data: { any: [1, { deep: true }] } }],
  ];
  for (const [type, value] of ok) {
    it(`${type.split('.').pop()} ${JSON.stringify(value)}`, () => assert.equal(messageOf('json', type, value), undefined));
  }
});

describe('typed decoding normalizes as a Go decode and encode would', () => {
  const options: DecodeOptions = { dialect: 'json', prune: true, normalize: true };

  it('drops null fields, zeroes null items and map values, encodes byte arrays in base64', () => {
    const pod = {
      metadata: { name: 'p', labels: { a: null }, annotations: null },
      spec: { containers: [null, { name: 'a', args: ['x', null] }] },
    };
    decodeTyped(POD, pod, options);
    assert.deepEqual(pod, { metadata: { name: 'p', labels: { a: '' } }, spec: { containers: [{}, { name: 'a', args: ['x', ''] }] } });
    const secret = { data: { a: [97, 98, 99] } };
    decodeTyped(SECRET, secret, options);
    assert.deepEqual(secret, { data: { a: 'YWJj' } });
  });

  it('reports and prunes unknown fields with their paths, keeping apiVersion and kind of the kind', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { foo: 1 },
      spec: { containers: [{ name: 'a', bar: 2 }], nodeSelector: { k: 'v' } },
    };
    assert.deepEqual(decodeTyped(POD, pod, options), ['metadata.foo', 'spec.containers[0].bar']);
    assert.deepEqual(pod, { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [{ name: 'a' }], nodeSelector: { k: 'v' } } });
  });

  it('leaves an apply configuration’s nulls alone', () => {
    const cm = { metadata: { labels: null }, data: { a: null } };
    decodeTyped(CONFIG_MAP, cm, { dialect: 'smd', prune: true, normalize: false });
    assert.deepEqual(cm, { metadata: { labels: null }, data: { a: null } });
  });

  it('keeps the first type error but stops at a custom unmarshaller’s, as encoding/json does', () => {
    const value = { spec: { replicas: 'x', template: { metadata: { creationTimestamp: 'never' } } } };
    assert.match(messageOf('json', DEPLOYMENT, value) ?? '', /^parsing time "never"/);
    assert.match(messageOf('json', DEPLOYMENT, { spec: { replicas: 'x', paused: 'y' } }) ?? '', /spec\.replicas of type int32$/);
  });
});
