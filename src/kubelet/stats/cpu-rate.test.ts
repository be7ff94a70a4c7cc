import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CpuRates } from './cpu-rate.js';

describe('CpuRates', () => {
  it('is the counter’s growth per second, from the second sample on', () => {
    const r = new CpuRates();
    assert.equal(r.observe('c', { timestamp: 1000, usageCoreNanoSeconds: 5e9 }), undefined);
    assert.equal(r.observe('c', { timestamp: 3000, usageCoreNanoSeconds: 6e9 }), 5e8);
    assert.equal(r.observe('c', { timestamp: 3000, usageCoreNanoSeconds: 7e9 }), undefined, 'no time passed');
  });

  it('does not report a counter that went backwards (a restarted container), and forgets what is gone', () => {
    const r = new CpuRates();
    r.observe('c', { timestamp: 1000, usageCoreNanoSeconds: 5e9 });
    assert.equal(r.observe('c', { timestamp: 2000, usageCoreNanoSeconds: 1e9 }), undefined);
    assert.equal(r.observe('c', { timestamp: 3000, usageCoreNanoSeconds: 2e9 }), 1e9);
    r.retain(new Set());
    assert.equal(r.has('c'), false);
  });
});
