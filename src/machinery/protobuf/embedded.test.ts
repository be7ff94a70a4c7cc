/** The schema's `embedded` notion, as the codec relies on it. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import '../../api/all-types.js';
import { allEmbeddings, defineTypes, embed, embeddingsOf, field, lookupType, string } from '../schema/dsl.js';

describe('TypeDef.embedded', () => {
  const cases: [outer: string, proto: number, inner: string][] = [
    ['io.k8s.api.core.v1.Volume', 2, 'io.k8s.api.core.v1.VolumeSource'],
    ['io.k8s.api.core.v1.Probe', 1, 'io.k8s.api.core.v1.ProbeHandler'],
    ['io.k8s.api.core.v1.PersistentVolumeSpec', 2, 'io.k8s.api.core.v1.PersistentVolumeSource'],
    ['io.k8s.api.networking.v1.IngressRule', 2, 'io.k8s.api.networking.v1.IngressRuleValue'],
    ['io.k8s.api.core.v1.SecretKeySelector', 1, 'io.k8s.api.core.v1.LocalObjectReference'],
  ];
  for (const [outer, proto, inner] of cases) {
    it(`${outer} embeds ${inner} at ${proto}`, () => {
      const def = lookupType(outer) ?? assert.fail(outer);
      const e = def.embedded?.find((x) => x.proto === proto) ?? assert.fail(`no embedding at ${proto}`);
      assert.equal(e.type, inner);
      assert.deepEqual(e.fields, Object.keys(lookupType(inner)?.fields ?? {}));
      for (const f of e.fields) assert.equal(def.fields[f]?.proto, undefined, `${outer}.${f} is inlined`);
    });
  }

  it('records embed() on the type declared next, and after declaration too', () => {
    const outer = 'test.k8ts.Outer';
    const inner = 'test.k8ts.Inner';
    const innerFields = { a: field(1, string), b: field(2, string) };
    defineTypes({ name: inner, fields: innerFields });
    defineTypes({ name: outer, fields: { x: field(1, string), ...embed(outer, 2, inner, innerFields) } });
    assert.deepEqual(lookupType(outer)?.embedded, [{ proto: 2, type: inner, fields: ['a', 'b'] }]);
    assert.equal(lookupType(outer)?.fields['a']?.proto, undefined);
    embed(outer, 3, inner, {});
    assert.deepEqual(
      embeddingsOf(outer).map((e) => e.proto),
      [2, 3],
    );
    assert.ok(allEmbeddings().has(outer));
    assert.throws(() => embed(outer, 3, inner, {}), /embedded twice/);
  });
});
