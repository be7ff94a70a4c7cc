import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { crdStrategy } from './crd.js';

function crd(spec: Record<string, unknown> = {}, name = 'widgets.example.com'): KubeObject {
  return {
    metadata: { name },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
      ...spec,
    },
  };
}

const msgs = (obj: KubeObject): string[] => {
  crdStrategy.defaults?.(obj);
  return (crdStrategy.validate?.(obj) ?? []).map((e) => `${e.field}: ${e.message}`);
};

test('crd defaults and status', () => {
  const c = crd();
  assert.deepEqual(msgs(c), []);
  const spec = c['spec'] as { names: Record<string, unknown>; conversion: unknown };
  assert.deepEqual(spec.names, { plural: 'widgets', kind: 'Widget', singular: 'widget', listKind: 'WidgetList' });
  assert.deepEqual(spec.conversion, { strategy: 'None' });
  crdStrategy.prepareForCreate?.(c);
  assert.deepEqual(c['status'], { acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] });
});

const cases: { name: string; obj: KubeObject; want: string[] }[] = [
  { name: 'name mismatch', obj: crd({}, 'gadgets.example.com'), want: ['metadata.name: Invalid value: "gadgets.example.com": must be spec.names.plural+"."+spec.group'] },
  { name: 'group without dot', obj: crd({ group: 'example' }, 'widgets.example'), want: ['spec.group: Invalid value: "example": should be a domain with at least one dot'] },
  {
    name: 'two storage versions',
    obj: crd({ versions: [{ name: 'v1', served: true, storage: true }, { name: 'v2', served: true, storage: true }] }),
    want: ['spec.versions: Invalid value: [{"name":"v1","served":true,"storage":true},{"name":"v2","served":true,"storage":true}]: must have exactly one version marked as storage version'],
  },
  { name: 'no versions', obj: crd({ versions: [] }), want: ['spec.versions: Invalid value: []: must have exactly one version marked as storage version'] },
  { name: 'bad scope', obj: crd({ scope: 'Global' }), want: ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'] },
  { name: 'kind equals listKind', obj: crd({ names: { plural: 'widgets', kind: 'Widget', listKind: 'Widget' } }), want: ['spec.names.listKind: Invalid value: "Widget": kind and listKind may not be the same'] },
];
for (const c of cases) {
  test(`crd validation: ${c.name}`, () => assert.deepEqual(msgs(c.obj), c.want));
}

test('crd update: group immutable, stored versions kept', () => {
  const old = crd();
  crdStrategy.defaults?.(old);
  crdStrategy.prepareForCreate?.(old);
  const next = crd({ versions: [{ name: 'v1', served: true, storage: false }, { name: 'v2', served: true, storage: true }] });
  crdStrategy.defaults?.(next);
  next['status'] = structuredClone(old['status']);
  crdStrategy.prepareForUpdate?.(next, old);
  assert.deepEqual((next['status'] as { storedVersions: string[] }).storedVersions, ['v1', 'v2']);
  assert.deepEqual(crdStrategy.validateUpdate?.(next, old), []);
  const moved = crd({ group: 'other.io' }, 'widgets.other.io');
  crdStrategy.defaults?.(moved);
  assert.deepEqual((crdStrategy.validateUpdate?.(moved, old) ?? []).map((e) => e.field), ['spec.group']);
});
