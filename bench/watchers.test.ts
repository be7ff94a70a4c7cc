import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanEvent } from './watchers.js';

test('scanEvent reads type and metadata.name', () => {
  const cases: [string, ReturnType<typeof scanEvent>][] = [
    ['{"type":"ADDED","object":{"kind":"ConfigMap","metadata":{"name":"cm-1","namespace":"bench"}}}', { type: 'ADDED', name: 'cm-1' }],
    ['{"type":"DELETED","object":{"name":"outer","metadata":{"namespace":"x","name":"cm-2"}}}', { type: 'DELETED', name: 'cm-2' }],
    ['{ "object": {"metadata": {"name": "spaced"}}, "type": "MODIFIED" }', { type: 'MODIFIED', name: 'spaced' }],
    ['not json', undefined],
  ];
  for (const [line, want] of cases) assert.deepEqual(scanEvent(line), want, line);
});
