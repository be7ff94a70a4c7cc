import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloneJson } from '../../machinery/clone.js';
import { ensureFlowControlConfiguration } from './reconcile.js';
import { ADMIN_WRITE, flowControlRegistry } from './testing/registry.js';

describe('ensureFlowControlConfiguration', () => {
  it('creates the bootstrap objects, restores mandatory specs and autoupdate suggested ones, leaves opted-out ones', async () => {
    const r = await flowControlRegistry();
    try {
      await ensureFlowControlConfiguration(r);
      const names = (s: typeof r.flowSchemas): string[] =>
        s.cache
          .list(s.prefix)
          .map((o) => o.metadata.name ?? '')
          .sort();
      assert.deepEqual(names(r.priorityLevels), [
        'catch-all',
        'exempt',
        'global-default',
        'leader-election',
        'node-high',
        'system',
        'workload-high',
        'workload-low',
      ]);
      assert.equal(names(r.flowSchemas).length, 13);
      const edit = (store: typeof r.flowSchemas, name: string, change: (o: Record<string, unknown>) => void) =>
        store.update(
          {
            namespace: '',
            name,
            tryUpdate: (cur) => {
              const next = cloneJson(cur);
              change(next as Record<string, unknown>);
              return next;
            },
          },
          { ...ADMIN_WRITE, warnings: [] },
        );
      // a user changes the mandatory catch-all, the exempt level's shares, and two suggested schemas (one opted out)
      await edit(r.flowSchemas, 'catch-all', (o) => ((o['spec'] as Record<string, unknown>)['matchingPrecedence'] = 5000));
      await edit(
        r.priorityLevels,
        'exempt',
        (o) => ((o['spec'] as { exempt: Record<string, unknown> }).exempt['nominalConcurrencyShares'] = 7),
      );
      await edit(r.flowSchemas, 'global-default', (o) => ((o['spec'] as Record<string, unknown>)['matchingPrecedence'] = 9800));
      await edit(r.flowSchemas, 'service-accounts', (o) => {
        (o['spec'] as Record<string, unknown>)['matchingPrecedence'] = 8000;
        (o['metadata'] as { annotations: Record<string, string> }).annotations['apf.kubernetes.io/autoupdate-spec'] = 'false';
      });
      await r.flowSchemas.remove('', 'probes', undefined, false);
      await ensureFlowControlConfiguration(r);
      const spec = (store: typeof r.flowSchemas, name: string) => store.get('', name)['spec'] as Record<string, unknown>;
      assert.equal(spec(r.flowSchemas, 'catch-all')['matchingPrecedence'], 10000);
      assert.deepEqual(spec(r.priorityLevels, 'exempt')['exempt'], { nominalConcurrencyShares: 7, lendablePercent: 0 });
      assert.equal(spec(r.flowSchemas, 'global-default')['matchingPrecedence'], 9900);
      assert.equal(spec(r.flowSchemas, 'service-accounts')['matchingPrecedence'], 8000);
      assert.equal(spec(r.flowSchemas, 'probes')['matchingPrecedence'], 2);
    } finally {
      await r.close();
    }
  });
});
