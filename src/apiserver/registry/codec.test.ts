import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../machinery/object.js';
import { decodeStored, encodeForStorage, servedJson } from './codec.js';

describe('storage codec', () => {
  const pod: KubeObject = {
    spec: { template: { metadata: { labels: { a: 'b' } } } },
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', resourceVersion: '7' },
    apiVersion: 'v1',
  };

  it('stores without resourceVersion and serves it from the revision', () => {
    const value = encodeForStorage(pod);
    assert.ok(!value.includes('resourceVersion'));
    assert.deepEqual(decodeStored(value, 9), { ...pod, metadata: { ...pod.metadata, resourceVersion: '9' } });
    assert.equal(pod.metadata.resourceVersion, '7', 'the object itself keeps its resourceVersion');
  });

  const cases: { name: string; obj: KubeObject }[] = [
    { name: 'an object whose keys come in any order', obj: pod },
    { name: 'metadata holding nothing else', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} } },
    {
      name: 'strings that need escaping',
      obj: { apiVersion: 'example.com/v1', kind: 'Wé"ird', metadata: { name: 'x' }, data: { '"metadata":{': 1 } },
    },
  ];
  for (const c of cases) {
    it(`serves the stored text with the resourceVersion spliced in: ${c.name}`, () => {
      const value = encodeForStorage(c.obj);
      const served = decodeStored(value, 12);
      const json = servedJson(value, served, 12);
      assert.ok(json !== undefined);
      assert.deepEqual(JSON.parse(json), served);
    });
  }

  it('declines text written in another form', () => {
    const obj = decodeStored(JSON.stringify({ metadata: { name: 'x' }, apiVersion: 'v1', kind: 'Pod' }), 3);
    assert.equal(servedJson(JSON.stringify({ metadata: { name: 'x' }, apiVersion: 'v1', kind: 'Pod' }), obj, 3), undefined);
    assert.equal(servedJson(encodeForStorage(obj), { ...obj, apiVersion: 'v2' }, 3), undefined, 'served in another version');
  });
});
