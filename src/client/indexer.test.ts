import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../machinery/object.js';
import { Indexer, IndexerError } from './indexer.js';

const pod = (ns: string, name: string, node: string, labels: Record<string, string> = {}, rv = '1'): KubeObject => ({
  metadata: { namespace: ns, name, labels, resourceVersion: rv },
  spec: { nodeName: node },
});
const names = (objs: KubeObject[]): string[] => objs.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort();
const byNode = (o: KubeObject): string[] => {
  const n = (o['spec'] as { nodeName?: string }).nodeName;
  return n ? [n] : [];
};

describe('Indexer', () => {
  it('lists by namespace and label selector', () => {
    const ix = new Indexer();
    ix.upsert(pod('a', 'p1', 'n1', { app: 'web', tier: 'fe' }));
    ix.upsert(pod('a', 'p2', 'n2', { app: 'db' }));
    ix.upsert(pod('b', 'p3', 'n1', { app: 'web' }));
    const cases: [string | undefined, string | undefined, string[]][] = [
      [undefined, undefined, ['a/p1', 'a/p2', 'b/p3']],
      ['a', undefined, ['a/p1', 'a/p2']],
      ['', 'app=web', ['a/p1', 'b/p3']],
      ['a', 'app in (web,db),!tier', ['a/p2']],
      ['c', undefined, []],
    ];
    for (const [ns, sel, want] of cases) assert.deepEqual(names(ix.list(ns, sel)), want, `list(${ns}, ${sel})`);
    assert.equal(ix.get('a', 'p2')?.metadata.name, 'p2');
    assert.equal(ix.get('a', 'p3'), undefined);
  });

  it('keeps custom indices current across updates and deletes, including ones added late', () => {
    const ix = new Indexer();
    ix.upsert(pod('a', 'p1', 'n1'));
    ix.upsert(pod('a', 'p2', 'n1'));
    ix.addIndexer('nodeName', byNode);
    assert.deepEqual(names(ix.byIndex('nodeName', 'n1')), ['a/p1', 'a/p2']);
    ix.upsert(pod('a', 'p1', 'n2', {}, '2'));
    assert.deepEqual(names(ix.byIndex('nodeName', 'n1')), ['a/p2']);
    assert.deepEqual(names(ix.byIndex('nodeName', 'n2')), ['a/p1']);
    ix.remove('a/p2');
    assert.deepEqual(ix.byIndex('nodeName', 'n1'), []);
    assert.deepEqual(ix.indexValues('nodeName'), ['n2']);
    assert.deepEqual(names(ix.byIndex('namespace', 'a')), ['a/p1']);
  });

  it('throws for an unknown index', () => {
    assert.throws(() => new Indexer().byIndex('nope', 'x'), IndexerError);
  });

  it('keeps cluster-scoped objects under their name', () => {
    const ix = new Indexer();
    ix.upsert({ metadata: { name: 'node-1' } });
    assert.equal(ix.get('', 'node-1')?.metadata.name, 'node-1');
    assert.equal(ix.byIndex('namespace', '').length, 1);
  });
});
