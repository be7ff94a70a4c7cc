import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../../../api/all-types.js';
import {
  allTypes,
  bytes,
  defineTypes,
  field,
  int32,
  list,
  lookupType,
  map,
  rawExtension,
  ref,
  string,
  type FieldType,
  type Scalar,
} from '../dsl.js';
import { arbitraryObject, arbitraryMutatedObject, formatPath, mutationSites, type PathSegment } from './arbitrary.js';

const T = 'test.arbitrary.v1';
defineTypes(
  {
    name: `${T}.Thing`,
    gvk: { group: 'test', version: 'v1', kind: 'Thing' },
    required: ['name'],
    fields: {
      name: field(1, string),
      count: field(2, int32),
      labels: field(3, map(string)),
      items: field(4, list(ref(`${T}.Item`))),
      raw: field(5, rawExtension),
      data: field(6, bytes),
      self: field(7, ref(`${T}.Thing`)),
    },
  },
  { name: `${T}.Item`, fields: { port: field(1, int32), names: field(2, list(string)) } },
);

const scalarCheck: Record<Scalar, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  int32: (v) => Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31,
  int64: (v) => Number.isSafeInteger(v),
  double: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
  bytes: (v) =>
    (typeof v === 'string' && /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v)) ||
    (Array.isArray(v) && v.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)),
  time: (v) => typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v) && !Number.isNaN(Date.parse(v)),
  microtime: (v) => typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(v) && !Number.isNaN(Date.parse(v)),
  duration: (v) => typeof v === 'string' && /^-?(\d+(\.\d+)?(h|m|s|ms|us|ns))+$/.test(v),
  quantity: (v) =>
    (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && /^\d+(\.\d+)?([numkMGT]|[KMGT]i|[eE]-?\d+)?$/.test(v)),
  intOrString: (v) => typeof v === 'string' || (Number.isInteger(v) && Math.abs(v as number) < 2 ** 31),
  rawExtension: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  json: () => true,
  fieldsV1: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
};

/** The paths (as JSON) where `value` does not have the JSON type `type` declares: a reference typed decoder. */
function typeErrors(value: unknown, type: FieldType, path: PathSegment[] = []): string[] {
  if (value === null) return [];
  const here = [JSON.stringify(path)];
  if ('scalar' in type) return scalarCheck[type.scalar](value) ? [] : here;
  const isObject = typeof value === 'object' && !Array.isArray(value);
  if ('list' in type) return Array.isArray(value) ? value.flatMap((v, i) => typeErrors(v, type.list, [...path, i])) : here;
  if (!isObject) return here;
  const obj = value as Record<string, unknown>;
  if ('map' in type) return Object.entries(obj).flatMap(([k, v]) => typeErrors(v, type.map, [...path, k]));
  const def = lookupType(type.ref);
  assert.ok(def);
  return Object.entries(obj).flatMap(([k, v]) => {
    const f = def.fields[k];
    return f ? typeErrors(v, f.type, [...path, k]) : [`${JSON.stringify([...path, k])} (undeclared)`];
  });
}
const kinds = [...allTypes()].filter((t) => t.gvk && !t.gvk.kind.endsWith('List'));

describe('arbitraryObject', () => {
  it('generates values of the declared JSON types for every kind', () => {
    for (const def of kinds) {
      fc.assert(
        fc.property(arbitraryObject(def.name), (obj) => {
          assert.deepEqual(typeErrors(obj, { ref: def.name }), [], `${def.name}: ${JSON.stringify(obj)}`);
          const text = JSON.stringify(obj);
          assert.equal(JSON.stringify(JSON.parse(text)), text, 'survives JSON');
        }),
        { seed: 1, numRuns: 20 },
      );
    }
  });

  it('mostly picks declared enum values', () => {
    const phases = fc.sample(arbitraryObject('io.k8s.api.core.v1.NamespaceStatus', { presence: () => 1 }), { seed: 5, numRuns: 100 });
    const enumerated = phases.filter((s) => s['phase'] === 'Active' || s['phase'] === 'Terminating').length;
    assert.ok(enumerated >= 60 && enumerated < 100, `${enumerated} of 100 phases are enum values`);
  });

  it('includes required fields, leaves refs beyond maxDepth out and bounds lists and maps', () => {
    fc.assert(
      fc.property(arbitraryObject(`${T}.Thing`, { maxDepth: 1, maxItems: 2, presence: () => 1 }), (obj) => {
        assert.equal(typeof obj['name'], 'string');
        const self = obj['self'] as Record<string, unknown>;
        assert.ok(!('self' in self) && !('items' in self), 'refs at depth 2 are beyond maxDepth 1');
        assert.ok(Array.isArray(obj['items']) && obj['items'].length <= 2);
        assert.ok(Object.keys(obj['labels'] as object).length <= 2);
        for (const item of obj['items'] as Record<string, unknown>[]) assert.deepEqual(Object.keys(item).sort(), ['names', 'port']);
      }),
      { seed: 2, numRuns: 50 },
    );
  });
});

describe('one-leaf mutation', () => {
  it('makes exactly the mutated path wrong, with a non-null value, for every kind', () => {
    for (const def of kinds) {
      fc.assert(
        fc.property(arbitraryMutatedObject(def.name), ({ value, mutation }) => {
          assert.notEqual(mutation.value, null);
          const errors = typeErrors(value, { ref: def.name });
          assert.deepEqual(
            errors,
            [JSON.stringify(mutation.segments)],
            `${def.name}: ${mutation.path} (${mutation.declared}) = ${JSON.stringify(mutation.value)}`,
          );
          assert.ok(!['rawExtension', 'json', 'fieldsV1'].includes(mutation.declared));
        }),
        { seed: 3, numRuns: 20 },
      );
    }
  });

  it('reaches scalars, lists, maps, structs and absent fields', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(arbitraryMutatedObject(`${T}.Thing`, { presence: () => 0.7 }), ({ mutation }) => {
        seen.add(mutation.declared);
        assert.ok(!mutation.path.startsWith('raw'), `never mutates rawExtension: ${mutation.path}`);
      }),
      { seed: 4, numRuns: 300 },
    );
    for (const want of ['string', 'int32', 'bytes', 'map[string]string', `[]${T}.Item`, `${T}.Thing`, `${T}.Item`, '[]string']) {
      assert.ok(seen.has(want), `mutated a ${want}; saw ${[...seen].join(', ')}`);
    }
  });

  it('names map keys and list indexes in the path', () => {
    const obj = { name: 'a', labels: { 'app.kubernetes.io/name': 'x' }, items: [{ port: 80 }] };
    const paths = mutationSites(obj, { ref: `${T}.Thing` }).present.map((s) => formatPath(s.segments, s.mapKeys));
    assert.deepEqual(paths, ['name', 'labels', 'labels["app.kubernetes.io/name"]', 'items', 'items[0]', 'items[0].port']);
  });
});
