import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { eventFromCore, eventToCore } from './convert.js';
import { eventsV1Printer, eventsV1Strategy } from './event.js';

const regarding = { kind: 'Pod', namespace: 'ns', name: 'web-1', uid: 'u1', apiVersion: 'v1' };
const v1Event = (extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name: 'web-1.abc', namespace: 'ns' },
  eventTime: '2024-01-01T00:00:00.000000Z',
  reportingController: 'kubernetes.io/kubelet',
  reportingInstance: 'node-1',
  action: 'Pulling',
  reason: 'Pulling',
  regarding,
  note: 'Pulling image "nginx"',
  type: 'Normal',
  ...extra,
});

test('events.k8s.io → core/v1 field mapping', () => {
  const core = eventToCore(v1Event({ series: { count: 3, lastObservedTime: '2024-01-01T00:01:00.000000Z' } }));
  assert.equal(core.apiVersion, 'v1');
  assert.deepEqual(core['involvedObject'], regarding);
  assert.equal(core['message'], 'Pulling image "nginx"');
  assert.equal(core['reportingComponent'], 'kubernetes.io/kubelet');
  assert.equal(core['reportingInstance'], 'node-1');
  assert.deepEqual(core['series'], { count: 3, lastObservedTime: '2024-01-01T00:01:00.000000Z' });
  assert.equal(core['firstTimestamp'], null);
  assert.equal(core['regarding'], undefined);
});

test('core/v1 → events.k8s.io keeps deprecated fields', () => {
  const core: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'e', namespace: 'ns' },
    involvedObject: regarding,
    reason: 'Scheduled',
    message: 'assigned',
    source: { component: 'default-scheduler' },
    firstTimestamp: '2024-01-01T00:00:00Z',
    lastTimestamp: '2024-01-01T00:05:00Z',
    count: 4,
    type: 'Normal',
    reportingComponent: '',
    reportingInstance: '',
  };
  const ev = eventFromCore(core);
  assert.equal(ev.apiVersion, 'events.k8s.io/v1');
  assert.deepEqual(ev['regarding'], regarding);
  assert.equal(ev['note'], 'assigned');
  assert.deepEqual(ev['deprecatedSource'], { component: 'default-scheduler' });
  assert.equal(ev['deprecatedFirstTimestamp'], '2024-01-01T00:00:00Z');
  assert.equal(ev['deprecatedCount'], 4);
  assert.equal(ev['reportingController'], undefined);
  assert.equal(ev['reportingInstance'], undefined);
  const back = eventToCore(ev);
  for (const k of ['involvedObject', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'reason', 'type'])
    assert.deepEqual(back[k], core[k], k);
});

const cases: { name: string; extra: Record<string, unknown>; want: string[]; firstOnly?: boolean }[] = [
  { name: 'valid', extra: {}, want: [] },
  { name: 'no eventTime', extra: { eventTime: undefined, regarding: { ...regarding } }, want: ['eventTime: Required value'] },
  { name: 'bad type', extra: { type: 'Info' }, want: ['type: Invalid value: "": has invalid value: Info'] },
  { name: 'no controller', extra: { reportingController: undefined }, want: ['reportingController: Required value'], firstOnly: true },
  { name: 'deprecated count', extra: { deprecatedCount: 2 }, want: ['deprecatedCount: Invalid value: "": needs to be unset'] },
  {
    name: 'series count',
    extra: { series: { count: 1, lastObservedTime: '2024-01-01T00:00:00Z' } },
    want: ['series.count: Invalid value: "": should be at least 2'],
  },
];
for (const c of cases) {
  test(`events.k8s.io validation: ${c.name}`, () => {
    const got = (eventsV1Strategy.validate?.(v1Event(c.extra)) ?? []).map((e) => `${e.field}: ${e.message}`);
    assert.deepEqual(c.firstOnly ? got.slice(0, 1) : got, c.want);
  });
}

test('events.k8s.io update: note is immutable, series may change', () => {
  const old = v1Event();
  assert.deepEqual(eventsV1Strategy.validateUpdate?.(v1Event({ series: { count: 2, lastObservedTime: '2024-01-01T00:02:00Z' } }), old), []);
  assert.deepEqual(
    (eventsV1Strategy.validateUpdate?.(v1Event({ note: 'other' }), old) ?? []).map((e) => e.field),
    ['message'],
  );
});

test('events.k8s.io field labels and printer', () => {
  assert.deepEqual(Object.keys(eventsV1Strategy.selectableFields?.({ metadata: {} }) ?? {}).sort(), [
    'reason',
    'regarding.apiVersion',
    'regarding.fieldPath',
    'regarding.kind',
    'regarding.name',
    'regarding.namespace',
    'regarding.resourceVersion',
    'regarding.uid',
    'reportingController',
    'type',
  ]);
  assert.equal(eventsV1Strategy.selectableFields?.(v1Event())['regarding.name'], 'web-1');
  const row = eventsV1Printer.row(v1Event(), Date.parse('2024-01-01T00:00:30Z'));
  assert.deepEqual(row.slice(0, 4), ['30s', 'Normal', 'Pulling', 'pod/web-1']);
  assert.equal(row[6], 'Pulling image "nginx"');
});
