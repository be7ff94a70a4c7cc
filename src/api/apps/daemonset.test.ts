import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { daemonSetStrategy, TEMPLATE_GENERATION_ANNOTATION } from './daemonset.js';

function ds(image: string, annotations?: Record<string, string>): KubeObject {
  return {
    metadata: { name: 'd', namespace: 'ns', ...(annotations ? { annotations } : {}) },
    spec: {
      selector: { matchLabels: { app: 'd' } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image }] } },
    },
  };
}

test('the template generation annotation starts at 1 and moves on with each template change only', () => {
  const created = ds('a');
  daemonSetStrategy.prepareForCreate?.(created);
  assert.equal(created.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION], '1');
  const sameTemplate = ds('a');
  (sameTemplate['spec'] as Record<string, unknown>)['minReadySeconds'] = 5;
  daemonSetStrategy.prepareForUpdate?.(sameTemplate, created);
  assert.equal(sameTemplate.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION], '1', 'kept when the client dropped it');
  const changed = ds('b', { [TEMPLATE_GENERATION_ANNOTATION]: '1' });
  daemonSetStrategy.prepareForUpdate?.(changed, created);
  assert.equal(changed.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION], '2');
});
