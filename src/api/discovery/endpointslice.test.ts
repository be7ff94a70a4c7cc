import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { endpointSlicePrinter, endpointSliceStrategy } from './endpointslice.js';

function slice(extra: Record<string, unknown>): KubeObject {
  return {
    metadata: { name: 'web-abc', namespace: 'ns', creationTimestamp: '2024-01-01T00:00:00Z' },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.1'] }],
    ports: [{ port: 80 }],
    ...extra,
  };
}
const msgs = (obj: KubeObject): string[] => {
  endpointSliceStrategy.defaults?.(obj);
  return (endpointSliceStrategy.validate?.(obj) ?? []).map((e) => `${e.field}: ${e.message}`);
};

const cases: { name: string; extra: Record<string, unknown>; want: string[] }[] = [
  { name: 'valid', extra: {}, want: [] },
  {
    name: 'bad address type',
    extra: { addressType: 'IPv5' },
    want: ['addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"'],
  },
  {
    name: 'bad IPv4',
    extra: { endpoints: [{ addresses: ['fe80::1'] }] },
    want: ['endpoints[0].addresses[0]: Invalid value: "fe80::1": must be a valid IPv4 address'],
  },
  {
    name: 'no addresses',
    extra: { endpoints: [{ addresses: [] }] },
    want: ['endpoints[0].addresses: Required value: must contain at least 1 address'],
  },
  {
    name: 'duplicate port names',
    extra: {
      ports: [
        { name: 'http', port: 80 },
        { name: 'http', port: 81 },
      ],
    },
    want: ['ports[1].name: Duplicate value: "http"'],
  },
];
for (const c of cases) test(`endpointslice validation: ${c.name}`, () => assert.deepEqual(msgs(slice(c.extra)), c.want));

test('endpointslice defaults ports and keeps addressType', () => {
  const s = slice({});
  endpointSliceStrategy.defaults?.(s);
  assert.deepEqual(s['ports'], [{ port: 80, protocol: 'TCP', name: '' }]);
  const next = slice({ addressType: 'IPv6', endpoints: [{ addresses: ['::1'] }] });
  endpointSliceStrategy.defaults?.(next);
  assert.deepEqual(
    (endpointSliceStrategy.validateUpdate?.(next, s) ?? []).map((e) => e.field),
    ['addressType'],
  );
});

test('endpointslice printer', () => {
  const s = slice({
    ports: [{ port: 80 }, { name: 'dns' }, {}, { port: 9 }],
    endpoints: [{ addresses: ['10.0.0.1', '10.0.0.2'] }, { addresses: ['10.0.0.3', '10.0.0.4'] }],
  });
  assert.deepEqual(
    endpointSlicePrinter.columns.map((c) => c.name),
    ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'],
  );
  assert.deepEqual(endpointSlicePrinter.row(s, Date.parse('2024-01-01T00:00:05Z')), [
    'web-abc',
    'IPv4',
    '80,dns,* + 1 more...',
    '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...',
    '5s',
  ]);
  assert.deepEqual(endpointSlicePrinter.row(slice({ ports: [], endpoints: [] }), 0).slice(2, 4), ['<unset>', '<unset>']);
});
