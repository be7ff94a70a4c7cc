import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allTypes, lookupType, typeForKind } from '../../../machinery/schema/dsl.js';
import type { FieldDef, TypeDef } from '../../../machinery/schema/dsl.js';
import '../../meta/types.js';
import { refsOf, fieldOf } from '../../../machinery/schema/testing/lookups.js';

// Register everything else first, so the names our files add can be told apart.
const before = new Set([...allTypes()].map((t) => t.name));
const OUR_FILES = [
  './namespace.js',
  './service.js',
  './endpoints.js',
  './config.js',
  './serviceaccount.js',
  './node.js',
  './node-status.js',
  './event.js',
  './replicationcontroller.js',
  './persistentvolume.js',
  './persistentvolume-sources.js',
  './persistentvolumeclaim.js',
  './resourcequota.js',
  './limitrange.js',
  './binding.js',
  './requests.js',
];
for (const file of OUR_FILES) await import(file);
const ours: TypeDef[] = [...allTypes()].filter((t) => !before.has(t.name));
const names = await import('./index.js');

const CORE = 'io.k8s.api.core.v1';
/** Declared by the pod-*, volume-* … files (everything reachable from Pod, plus the object references). */
const POD_FILES = new Set(
  [
    'ObjectReference',
    'LocalObjectReference',
    'PodTemplateSpec',
    'TypedLocalObjectReference',
    'TypedObjectReference',
    'NodeSelector',
    'HostPathVolumeSource',
    'NFSVolumeSource',
    'GCEPersistentDiskVolumeSource',
    'AWSElasticBlockStoreVolumeSource',
    'FCVolumeSource',
    'FlockerVolumeSource',
    'VsphereVirtualDiskVolumeSource',
    'QuobyteVolumeSource',
    'AzureDiskVolumeSource',
    'PhotonPersistentDiskVolumeSource',
    'PortworxVolumeSource',
  ].map((n) => `${CORE}.${n}`),
);

test('our files declare the expected number of types, none of the types reachable from Pod', () => {
  assert.equal(ours.length, 90);
  for (const def of ours) assert.ok(!POD_FILES.has(def.name), `${def.name} is declared by the pod-* files`);
});

test('every ref resolves to a declared type or to a type of the pod-* files', () => {
  for (const def of ours) {
    for (const [name, f] of Object.entries(def.fields)) {
      for (const r of refsOf(f.type)) {
        assert.ok(lookupType(r) !== undefined || POD_FILES.has(r), `${def.name}.${name} refers to undeclared ${r}`);
      }
    }
  }
});

test('proto numbers are unique within a type and only inlined fields lack one', () => {
  const inlined = new Set(Object.keys(lookupType(`${CORE}.PersistentVolumeSource`)?.fields ?? {}));
  assert.equal(inlined.size, 22);
  for (const def of ours) {
    const seen = new Map<number, string>();
    for (const [name, f] of Object.entries(def.fields)) {
      if (f.proto === undefined) {
        assert.ok(def.name === `${CORE}.PersistentVolumeSpec` && inlined.has(name), `${def.name}.${name} has no proto number`);
        continue;
      }
      assert.ok(Number.isInteger(f.proto) && f.proto > 0, `${def.name}.${name} proto ${f.proto}`);
      const other = seen.get(f.proto);
      assert.equal(other, undefined, `${def.name}: ${name} and ${other} share proto ${f.proto}`);
      seen.set(f.proto, name);
    }
  }
});

test('markers are consistent', () => {
  for (const def of ours) {
    assert.ok(def.description, `${def.name} has a description`);
    for (const r of def.required ?? []) assert.ok(def.fields[r], `${def.name} requires missing field ${r}`);
    for (const [name, f] of Object.entries(def.fields)) {
      const where = `${def.name}.${name}`;
      assert.ok(f.description, `${where} has a description`);
      if (f.patchMergeKey !== undefined) {
        assert.ok('list' in f.type, `${where}: patchMergeKey on a non-list`);
        assert.match(f.patchStrategy ?? '', /merge/, `${where}: patchMergeKey without patchStrategy merge`);
      }
      if (f.listType !== undefined) assert.ok('list' in f.type, `${where}: listType on a non-list`);
      if (f.listType === 'map') assert.ok(f.listMapKeys && f.listMapKeys.length > 0, `${where}: map list without keys`);
      if (f.listMapKeys) assert.equal(f.listType, 'map', `${where}: listMapKeys without listType map`);
    }
  }
});

test('kinds are found by group, version and kind', () => {
  const kinds: [string, string, string, string][] = [
    ['', 'v1', 'Namespace', names.NAMESPACE],
    ['', 'v1', 'Service', names.SERVICE],
    ['', 'v1', 'Endpoints', names.ENDPOINTS],
    ['', 'v1', 'ConfigMap', names.CONFIG_MAP],
    ['', 'v1', 'Secret', names.SECRET],
    ['', 'v1', 'ServiceAccount', names.SERVICE_ACCOUNT],
    ['', 'v1', 'Node', names.NODE],
    ['', 'v1', 'Event', names.EVENT],
    ['', 'v1', 'ReplicationController', names.REPLICATION_CONTROLLER],
    ['', 'v1', 'PersistentVolume', names.PERSISTENT_VOLUME],
    ['', 'v1', 'PersistentVolumeClaim', names.PERSISTENT_VOLUME_CLAIM],
    ['', 'v1', 'ResourceQuota', names.RESOURCE_QUOTA],
    ['', 'v1', 'LimitRange', names.LIMIT_RANGE],
    ['', 'v1', 'Binding', names.BINDING],
    ['', 'v1', 'DeleteOptions', names.DELETE_OPTIONS],
    ['', 'v1', 'Status', names.STATUS],
    ['authentication.k8s.io', 'v1', 'TokenRequest', names.TOKEN_REQUEST],
    ['policy', 'v1', 'Eviction', names.EVICTION],
    ['autoscaling', 'v1', 'Scale', names.SCALE],
  ];
  for (const [group, version, kind, name] of kinds) {
    assert.equal(typeForKind(group, version, kind)?.name, name, `${group}/${version} ${kind}`);
  }
});

const S = `${CORE}.ServiceSpec`;
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const facts: { type: string; field: string; want: Partial<FieldDef> & { proto: number }; ref?: string }[] = [
  {
    type: S,
    field: 'ports',
    want: { proto: 1, patchStrategy: 'merge', patchMergeKey: 'port', listType: 'map', listMapKeys: ['port', 'protocol'] },
    ref: `${CORE}.ServicePort`,
  },
  { type: S, field: 'clusterIP', want: { proto: 3 } },
  { type: S, field: 'clusterIPs', want: { proto: 18, listType: 'atomic' } },
  { type: S, field: 'selector', want: { proto: 2, mapType: 'atomic' } },
  { type: S, field: 'ipFamilyPolicy', want: { proto: 17 } },
  { type: S, field: 'trafficDistribution', want: { proto: 23 } },
  { type: `${CORE}.ServicePort`, field: 'protocol', want: { proto: 2, default: 'TCP', enum: ['TCP', 'UDP', 'SCTP'] } },
  { type: `${CORE}.ServicePort`, field: 'appProtocol', want: { proto: 6 } },
  { type: `${CORE}.ConfigMap`, field: 'data', want: { proto: 2, type: { map: { scalar: 'string' } } } },
  { type: `${CORE}.ConfigMap`, field: 'binaryData', want: { proto: 3, type: { map: { scalar: 'bytes' } } } },
  { type: `${CORE}.Secret`, field: 'data', want: { proto: 2, type: { map: { scalar: 'bytes' } } } },
  { type: `${CORE}.Secret`, field: 'stringData', want: { proto: 4 } },
  { type: `${CORE}.Secret`, field: 'immutable', want: { proto: 5 } },
  { type: `${CORE}.NodeSpec`, field: 'taints', want: { proto: 5, listType: 'atomic' }, ref: `${CORE}.Taint` },
  { type: `${CORE}.NodeSpec`, field: 'podCIDRs', want: { proto: 7, patchStrategy: 'merge', listType: 'set' } },
  {
    type: `${CORE}.NodeStatus`,
    field: 'addresses',
    want: { proto: 5, patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
  },
  { type: `${CORE}.DaemonEndpoint`, field: 'Port', want: { proto: 1 } },
  { type: `${CORE}.Event`, field: 'involvedObject', want: { proto: 2 }, ref: `${CORE}.ObjectReference` },
  { type: `${CORE}.Event`, field: 'eventTime', want: { proto: 10, type: { scalar: 'microtime' } } },
  {
    type: `${CORE}.ServiceAccount`,
    field: 'secrets',
    want: { proto: 2, patchStrategy: 'merge', patchMergeKey: 'name', listMapKeys: ['name'] },
  },
  { type: `${CORE}.ReplicationControllerSpec`, field: 'replicas', want: { proto: 1, default: 1 } },
  { type: `${CORE}.ReplicationControllerSpec`, field: 'template', want: { proto: 3 }, ref: `${CORE}.PodTemplateSpec` },
  { type: `${CORE}.PersistentVolumeSpec`, field: 'accessModes', want: { proto: 3, listType: 'atomic' } },
  { type: `${CORE}.PersistentVolumeSpec`, field: 'claimRef', want: { proto: 4 }, ref: `${CORE}.ObjectReference` },
  { type: `${CORE}.PersistentVolumeSource`, field: 'csi', want: { proto: 22 }, ref: `${CORE}.CSIPersistentVolumeSource` },
  { type: `${CORE}.CSIPersistentVolumeSource`, field: 'nodeExpandSecretRef', want: { proto: 10 }, ref: `${CORE}.SecretReference` },
  { type: `${CORE}.PersistentVolumeClaimStatus`, field: 'allocatedResourceStatuses', want: { proto: 7 } },
  { type: `${CORE}.PersistentVolumeClaimSpec`, field: 'resources', want: { proto: 2 }, ref: `${CORE}.VolumeResourceRequirements` },
  { type: `${CORE}.PersistentVolumeClaimSpec`, field: 'dataSourceRef', want: { proto: 8 }, ref: `${CORE}.TypedObjectReference` },
  { type: `${CORE}.NamespaceStatus`, field: 'conditions', want: { proto: 2, patchMergeKey: 'type' } },
  { type: `${CORE}.Binding`, field: 'target', want: { proto: 2 }, ref: `${CORE}.ObjectReference` },
  { type: `${META}.DeleteOptions`, field: 'propagationPolicy', want: { proto: 4 } },
  { type: `${META}.StatusDetails`, field: 'uid', want: { proto: 6 } },
  { type: 'io.k8s.api.authentication.v1.TokenRequestSpec', field: 'expirationSeconds', want: { proto: 4, type: { scalar: 'int64' } } },
  { type: 'io.k8s.api.policy.v1.Eviction', field: 'deleteOptions', want: { proto: 2 }, ref: `${META}.DeleteOptions` },
  { type: 'io.k8s.api.autoscaling.v1.ScaleStatus', field: 'selector', want: { proto: 2 } },
];

for (const { type, field, want, ref } of facts) {
  test(`${type.split('.').pop()}.${field}`, () => {
    const got = fieldOf(type, field);
    for (const [key, value] of Object.entries(want)) {
      assert.deepEqual(
        got[key as keyof FieldDef],
        value,
        `${key}: want ${JSON.stringify(value)}, got ${JSON.stringify(got[key as keyof FieldDef])}`,
      );
    }
    if (ref) assert.deepEqual(refsOf(got.type), [ref]);
  });
}

test('required fields and atomic structs follow upstream', () => {
  const cases: [string, readonly string[] | undefined, boolean | undefined][] = [
    [`${CORE}.ServicePort`, ['port'], undefined],
    [`${CORE}.Taint`, ['key', 'effect'], undefined],
    [`${CORE}.Event`, ['metadata', 'involvedObject'], undefined],
    [`${CORE}.Binding`, ['target'], undefined],
    [`${CORE}.EndpointAddress`, ['ip'], true],
    [`${CORE}.ScopeSelector`, undefined, true],
    ['io.k8s.api.authentication.v1.TokenRequestSpec', ['audiences'], undefined],
  ];
  for (const [name, required, atomic] of cases) {
    const def = lookupType(name);
    assert.deepEqual(def?.required, required, `${name} required`);
    assert.equal(def?.atomic, atomic, `${name} atomic`);
  }
});
