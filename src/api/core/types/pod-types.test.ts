import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allTypes, lookupType, LABEL_SELECTOR, OBJECT_META } from '../../../machinery/schema/dsl.js';
import type { FieldDef, FieldType, TypeDef } from '../../../machinery/schema/dsl.js';
import '../../meta/types.js';
import * as names from './pod-index.js';
import { allProtoEmbeddings, protoEmbeddings } from './pod-index.js';
import { refsOf } from '../../../machinery/schema/testing/lookups.js';

const CORE_V1_PREFIX = `${names.CORE_V1}.`;

/** Names referred to from these types but declared by other files (core PVC types). */
const DECLARED_ELSEWHERE: ReadonlySet<string> = new Set([names.PERSISTENT_VOLUME_CLAIM_SPEC]);

/** Every core/v1 definition name these files export a constant for and declare. */
const ourNames: string[] = Object.values(names as Record<string, unknown>)
  .filter((v): v is string => typeof v === 'string' && v.startsWith(CORE_V1_PREFIX))
  .filter((v) => !DECLARED_ELSEWHERE.has(v));

function mustLookup(name: string): TypeDef {
  const def = lookupType(name);
  assert.ok(def, `type ${name} is not declared`);
  return def;
}

function mustField(typeName: string, fieldName: string): FieldDef {
  const f = mustLookup(typeName).fields[fieldName];
  assert.ok(f, `${typeName} has no field ${fieldName}`);
  return f;
}

function itemRef(t: FieldType): string | undefined {
  return 'list' in t && 'ref' in t.list ? t.list.ref : undefined;
}

describe('core/v1 pod types: structure', () => {
  it('declares every exported name and nothing of core/v1 outside them', () => {
    assert.ok(ourNames.length >= 120, `only ${ourNames.length} names`);
    for (const n of ourNames) mustLookup(n);
    const declared = [...allTypes()].map((t) => t.name).filter((n) => n.startsWith(CORE_V1_PREFIX));
    const ours = new Set(ourNames);
    assert.deepEqual(
      declared.filter((n) => !ours.has(n)),
      [],
    );
  });

  it('resolves every ref, except the allowlisted names declared elsewhere', () => {
    const unresolved: string[] = [];
    for (const n of ourNames) {
      for (const [fname, f] of Object.entries(mustLookup(n).fields)) {
        for (const r of refsOf(f.type)) {
          if (!lookupType(r) && !DECLARED_ELSEWHERE.has(r)) unresolved.push(`${n}.${fname} -> ${r}`);
        }
      }
    }
    assert.deepEqual(unresolved, []);
  });

  it('gives every field a proto number unique within its type, unless it comes from an embedded message', () => {
    for (const n of ourNames) {
      const def = mustLookup(n);
      const embeddings = protoEmbeddings(n);
      const inlined = new Set(embeddings.flatMap((e) => e.fields));
      const used = new Map<number, string>();
      for (const e of embeddings) used.set(e.proto, `(embedded ${e.type})`);
      for (const [fname, f] of Object.entries(def.fields)) {
        if (f.proto === undefined) {
          assert.ok(inlined.has(fname), `${n}.${fname} has no proto number`);
          continue;
        }
        assert.ok(!inlined.has(fname), `${n}.${fname} is inlined but has a proto number`);
        const prior = used.get(f.proto);
        assert.equal(prior, undefined, `${n}.${fname}: proto ${f.proto} already used by ${prior}`);
        used.set(f.proto, fname);
      }
    }
  });

  it('inlines exactly the fields of each embedded type', () => {
    const embedders = [...allProtoEmbeddings().keys()].sort();
    assert.deepEqual(
      embedders,
      [
        names.CONFIG_MAP_ENV_SOURCE,
        names.CONFIG_MAP_KEY_SELECTOR,
        names.CONFIG_MAP_PROJECTION,
        names.CONFIG_MAP_VOLUME_SOURCE,
        names.EPHEMERAL_CONTAINER,
        names.PROBE,
        names.SECRET_ENV_SOURCE,
        names.SECRET_KEY_SELECTOR,
        names.SECRET_PROJECTION,
        names.VOLUME,
      ].sort(),
    );
    for (const [outer, list] of allProtoEmbeddings()) {
      const fields = mustLookup(outer).fields;
      for (const e of list) {
        const inner = mustLookup(e.type);
        assert.deepEqual(e.fields, Object.keys(inner.fields), `${outer} embeds ${e.type}`);
        for (const name of e.fields) {
          const { proto: _innerProto, ...want } = inner.fields[name] ?? assert.fail(`${e.type}.${name}`);
          assert.deepEqual(fields[name], want, `${outer}.${name} differs from ${e.type}.${name}`);
        }
      }
    }
  });

  it('gives a patchStrategy to every list of objects that has a patchMergeKey', () => {
    for (const n of ourNames) {
      for (const [fname, f] of Object.entries(mustLookup(n).fields)) {
        if (f.patchMergeKey === undefined) continue;
        assert.ok(itemRef(f.type), `${n}.${fname}: merge key on a non-object list`);
        assert.ok(f.patchStrategy?.split(',').includes('merge'), `${n}.${fname}: merge key without merge strategy`);
      }
    }
  });

  it('keeps list-map keys and required names consistent with the declared fields', () => {
    for (const n of ourNames) {
      const def = mustLookup(n);
      for (const r of def.required ?? []) assert.ok(r in def.fields, `${n}: required ${r} is not a field`);
      for (const [fname, f] of Object.entries(def.fields)) {
        assert.ok(f.description, `${n}.${fname} has no description`);
        if (f.listMapKeys === undefined) {
          assert.notEqual(f.listType, 'map', `${n}.${fname}: listType map without keys`);
          continue;
        }
        assert.equal(f.listType, 'map', `${n}.${fname}: keys without listType map`);
        const item = itemRef(f.type);
        assert.ok(item, `${n}.${fname}: list-map of non-objects`);
        const itemFields = mustLookup(item).fields;
        for (const k of f.listMapKeys) assert.ok(k in itemFields, `${n}.${fname}: key ${k} not in ${item}`);
      }
    }
  });
});

interface FieldFact {
  readonly type: string;
  readonly field: string;
  readonly want: Partial<FieldDef>;
}

const fieldFacts: FieldFact[] = [
  {
    type: names.POD_SPEC,
    field: 'containers',
    want: {
      proto: 2,
      type: { list: { ref: names.CONTAINER } },
      patchStrategy: 'merge',
      patchMergeKey: 'name',
      listType: 'map',
      listMapKeys: ['name'],
    },
  },
  { type: names.POD_SPEC, field: 'volumes', want: { proto: 1, patchStrategy: 'merge,retainKeys', patchMergeKey: 'name' } },
  { type: names.POD_SPEC, field: 'initContainers', want: { proto: 20, patchMergeKey: 'name' } },
  { type: names.POD_SPEC, field: 'ephemeralContainers', want: { proto: 34, type: { list: { ref: names.EPHEMERAL_CONTAINER } } } },
  { type: names.POD_SPEC, field: 'nodeSelector', want: { proto: 7, type: { map: { scalar: 'string' } }, mapType: 'atomic' } },
  { type: names.POD_SPEC, field: 'tolerations', want: { proto: 22, listType: 'atomic' } },
  {
    type: names.POD_SPEC,
    field: 'topologySpreadConstraints',
    want: { proto: 33, patchMergeKey: 'topologyKey', listMapKeys: ['topologyKey', 'whenUnsatisfiable'] },
  },
  { type: names.POD_SPEC, field: 'overhead', want: { proto: 32, type: { map: { scalar: 'quantity' } } } },
  {
    type: names.POD_SPEC,
    field: 'imagePullSecrets',
    want: { proto: 15, type: { list: { ref: names.LOCAL_OBJECT_REFERENCE } }, patchMergeKey: 'name' },
  },
  { type: names.POD_SPEC, field: 'resourceClaims', want: { proto: 39, patchStrategy: 'merge,retainKeys' } },
  { type: names.CONTAINER, field: 'image', want: { proto: 2, type: { scalar: 'string' } } },
  {
    type: names.CONTAINER,
    field: 'ports',
    want: { proto: 6, patchStrategy: 'merge', patchMergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol'] },
  },
  { type: names.CONTAINER, field: 'env', want: { proto: 7, patchMergeKey: 'name', listMapKeys: ['name'] } },
  { type: names.CONTAINER, field: 'envFrom', want: { proto: 19, listType: 'atomic' } },
  { type: names.CONTAINER, field: 'volumeMounts', want: { proto: 9, patchMergeKey: 'mountPath' } },
  { type: names.CONTAINER, field: 'imagePullPolicy', want: { proto: 14, enum: ['Always', 'IfNotPresent', 'Never'] } },
  { type: names.CONTAINER_PORT, field: 'protocol', want: { proto: 4, default: 'TCP', enum: ['SCTP', 'TCP', 'UDP'] } },
  { type: names.RESOURCE_REQUIREMENTS, field: 'limits', want: { proto: 1, type: { map: { scalar: 'quantity' } } } },
  { type: names.RESOURCE_REQUIREMENTS, field: 'requests', want: { proto: 2, type: { map: { scalar: 'quantity' } } } },
  { type: names.RESOURCE_REQUIREMENTS, field: 'claims', want: { proto: 3, listType: 'map', listMapKeys: ['name'] } },
  {
    type: names.POD_STATUS,
    field: 'conditions',
    want: { proto: 2, type: { list: { ref: names.POD_CONDITION } }, patchStrategy: 'merge', patchMergeKey: 'type', listMapKeys: ['type'] },
  },
  { type: names.POD_STATUS, field: 'podIPs', want: { proto: 12, patchMergeKey: 'ip', listType: 'map' } },
  { type: names.POD_STATUS, field: 'hostIPs', want: { proto: 16, patchMergeKey: 'ip', listType: 'atomic' } },
  { type: names.POD_STATUS, field: 'startTime', want: { proto: 7, type: { scalar: 'time' } } },
  { type: names.CONTAINER_STATUS, field: 'allocatedResources', want: { proto: 10, type: { map: { scalar: 'quantity' } } } },
  { type: names.POD, field: 'metadata', want: { proto: 1, type: { ref: OBJECT_META } } },
  { type: names.POD, field: 'status', want: { proto: 3, type: { ref: names.POD_STATUS } } },
  { type: names.POD_TEMPLATE, field: 'template', want: { proto: 2, type: { ref: names.POD_TEMPLATE_SPEC } } },
  { type: names.PROBE, field: 'initialDelaySeconds', want: { proto: 2, type: { scalar: 'int32' } } },
  { type: names.PROBE, field: 'httpGet', want: { proto: undefined, type: { ref: names.HTTP_GET_ACTION } } },
  { type: names.PROBE_HANDLER, field: 'grpc', want: { proto: 4, type: { ref: names.GRPC_ACTION } } },
  { type: names.HTTP_GET_ACTION, field: 'port', want: { proto: 2, type: { scalar: 'intOrString' } } },
  { type: names.VOLUME_SOURCE, field: 'image', want: { proto: 30, type: { ref: names.IMAGE_VOLUME_SOURCE } } },
  { type: names.VOLUME_SOURCE, field: 'projected', want: { proto: 26 } },
  { type: names.VOLUME, field: 'persistentVolumeClaim', want: { proto: undefined } },
  { type: names.EPHEMERAL_CONTAINER, field: 'targetContainerName', want: { proto: 2 } },
  { type: names.CONFIG_MAP_KEY_SELECTOR, field: 'key', want: { proto: 2 } },
  { type: names.CONFIG_MAP_KEY_SELECTOR, field: 'name', want: { proto: undefined, default: '' } },
  { type: names.PERSISTENT_VOLUME_CLAIM_TEMPLATE, field: 'spec', want: { proto: 2, type: { ref: names.PERSISTENT_VOLUME_CLAIM_SPEC } } },
  { type: names.SECURITY_CONTEXT, field: 'windowsOptions', want: { proto: 10 } },
  { type: names.POD_SECURITY_CONTEXT, field: 'sysctls', want: { proto: 7, listType: 'atomic' } },
  { type: names.POD_SECURITY_CONTEXT, field: 'supplementalGroups', want: { proto: 4, type: { list: { scalar: 'int64' } } } },
  { type: names.POD_AFFINITY_TERM, field: 'labelSelector', want: { proto: 1, type: { ref: LABEL_SELECTOR } } },
  { type: names.NODE_AFFINITY, field: 'preferredDuringSchedulingIgnoredDuringExecution', want: { proto: 2, listType: 'atomic' } },
  { type: names.AZURE_DISK_VOLUME_SOURCE, field: 'cachingMode', want: { proto: 3, default: 'ReadWrite' } },
];

describe('core/v1 pod types: upstream facts', () => {
  for (const { type, field, want } of fieldFacts) {
    it(`${type.slice(CORE_V1_PREFIX.length)}.${field}`, () => {
      const got = mustField(type, field);
      const picked = Object.fromEntries(Object.keys(want).map((k) => [k, got[k as keyof FieldDef]]));
      assert.deepEqual(picked, want);
    });
  }

  const typeFacts: { type: string; want: Partial<TypeDef> }[] = [
    { type: names.POD, want: { gvk: { group: '', version: 'v1', kind: 'Pod' } } },
    { type: names.POD_TEMPLATE, want: { gvk: { group: '', version: 'v1', kind: 'PodTemplate' } } },
    { type: names.POD_SPEC, want: { required: ['containers'] } },
    { type: names.CONTAINER, want: { required: ['name'] } },
    { type: names.EPHEMERAL_CONTAINER, want: { required: ['name'] } },
    { type: names.VOLUME_MOUNT, want: { required: ['name', 'mountPath'] } },
    { type: names.KEY_TO_PATH, want: { required: ['key', 'path'] } },
    { type: names.CONTAINER_PORT, want: { required: ['containerPort'] } },
    { type: names.NODE_SELECTOR, want: { atomic: true, required: ['nodeSelectorTerms'] } },
    { type: names.OBJECT_REFERENCE, want: { atomic: true } },
    { type: names.LOCAL_OBJECT_REFERENCE, want: { atomic: true } },
  ];
  for (const { type, want } of typeFacts) {
    it(`type ${type.slice(CORE_V1_PREFIX.length)}`, () => {
      const got = mustLookup(type);
      const picked = Object.fromEntries(Object.keys(want).map((k) => [k, got[k as keyof TypeDef]]));
      assert.deepEqual(picked, want);
    });
  }

  it('maps the embedded messages to their upstream proto numbers', () => {
    const table: [string, number, string][] = [
      [names.PROBE, 1, names.PROBE_HANDLER],
      [names.VOLUME, 2, names.VOLUME_SOURCE],
      [names.EPHEMERAL_CONTAINER, 1, names.EPHEMERAL_CONTAINER_COMMON],
      [names.SECRET_KEY_SELECTOR, 1, names.LOCAL_OBJECT_REFERENCE],
    ];
    for (const [outer, proto, inner] of table) {
      assert.deepEqual(
        protoEmbeddings(outer).map((e) => [e.proto, e.type]),
        [[proto, inner]],
        outer,
      );
    }
    assert.deepEqual(protoEmbeddings(names.POD_SPEC), []);
  });
});
