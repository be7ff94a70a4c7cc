import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventLine, microTime, omitManagedFields, RawJSON } from './event-fields.js';
import type { AuditEvent } from './interface.js';

const base: AuditEvent = {
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'RequestResponse',
  auditID: 'a',
  stage: 'ResponseComplete',
  requestURI: '/api/v1/namespaces/default/configmaps/c',
  verb: 'get',
  user: { username: 'u' },
  requestReceivedTimestamp: '2026-01-01T00:00:00.000000Z',
  stageTimestamp: '2026-01-01T00:00:00.000000Z',
};

describe('audit event fields', () => {
  it('splices a raw JSON response body into the line as written', () => {
    const text = '{"kind":"ConfigMap","data":{"a":"\\u0000b"}}';
    const line = eventLine({ ...base, requestObject: { odd: '\u0000"responseObject":' }, responseObject: new RawJSON(text) });
    assert.ok(line.endsWith('\n'));
    const parsed = JSON.parse(line) as AuditEvent;
    assert.deepEqual(parsed.responseObject, JSON.parse(text));
    assert.deepEqual(parsed.requestObject, { odd: '\u0000"responseObject":' });
    assert.equal(parsed.stageTimestamp, base.stageTimestamp);
    assert.deepEqual(JSON.parse(JSON.stringify(new RawJSON(text))), JSON.parse(text));
  });

  it('leaves managedFields out of an object and of a list', () => {
    const obj = { metadata: { name: 'x', managedFields: [{}] } };
    assert.deepEqual(omitManagedFields(obj), { metadata: { name: 'x' } });
    assert.deepEqual(omitManagedFields({ kind: 'List', metadata: {}, items: [obj] }), {
      kind: 'List',
      metadata: {},
      items: [{ metadata: { name: 'x' } }],
    });
  });

  it('writes microsecond timestamps', () => {
    assert.match(microTime(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });
});
