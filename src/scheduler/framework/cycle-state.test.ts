import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CycleState } from './cycle-state.js';

test('filterPluginsToRun leaves out the plugins PreFilter skipped, and follows the skip set', () => {
  const plugins = [{ name: 'A' }, { name: 'B' }, { name: 'C' }];
  const state = new CycleState();
  assert.equal(state.filterPluginsToRun(plugins), plugins, 'nothing skipped: the list itself');
  state.skipFilterPlugins.add('B');
  const run = state.filterPluginsToRun(plugins);
  assert.deepEqual(
    run.map((p) => p.name),
    ['A', 'C'],
  );
  assert.equal(state.filterPluginsToRun(plugins), run, 'worked out once per cycle');
  state.skipFilterPlugins.add('A');
  assert.deepEqual(
    state.filterPluginsToRun(plugins).map((p) => p.name),
    ['C'],
  );
  const other = [{ name: 'B' }, { name: 'D' }];
  assert.deepEqual(
    state.filterPluginsToRun(other).map((p) => p.name),
    ['D'],
    'another framework’s list',
  );
  assert.deepEqual(
    state
      .clone()
      .filterPluginsToRun(plugins)
      .map((p) => p.name),
    ['C'],
    'a clone skips the same',
  );
});
