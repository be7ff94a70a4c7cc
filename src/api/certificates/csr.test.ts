import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { csrCondition, csrPrinter, csrStrategy, setCSRRequestor } from './csr.js';

const pem = Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n').toString('base64');
const csr = (spec: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'node-csr', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: { request: pem, signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'], ...spec },
});
const msgs = (obj: KubeObject): string[] => (csrStrategy.validate?.(obj) ?? []).map((e) => `${e.field}: ${e.message}`);

const cases: { name: string; spec: Record<string, unknown>; want: string[] }[] = [
  { name: 'valid', spec: {}, want: [] },
  {
    name: 'not a CSR',
    spec: { request: Buffer.from('hello').toString('base64') },
    want: ['spec.request: Invalid value: "aGVsbG8=": PEM block type must be CERTIFICATE REQUEST'],
  },
  { name: 'no usages', spec: { usages: [] }, want: ['spec.usages: Required value: usages must be provided'] },
  {
    name: 'unknown usage',
    spec: { usages: ['flying'] },
    want: [
      `spec.usages[0]: Unsupported value: "flying": supported values: ${'"any", "cert sign", "client auth", "code signing", "content commitment", "crl sign", "data encipherment", "decipher only", "digital signature", "email protection", "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement", "key encipherment", "microsoft sgc", "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing", "timestamping"'}`,
    ],
  },
  {
    name: 'signer',
    spec: { signerName: 'kubelet' },
    want: ['spec.signerName: Invalid value: "kubelet": must be a fully qualified domain and path of the form \'example.com/signer-name\''],
  },
  {
    name: 'short expiry',
    spec: { expirationSeconds: 60 },
    want: ['spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 600 seconds (10 minutes)'],
  },
];
for (const c of cases) test(`csr validation: ${c.name}`, () => assert.deepEqual(msgs(csr(c.spec)), c.want));

test('csr requestor, status protection and field labels', () => {
  const c = csr({ username: 'spoofed' });
  setCSRRequestor(c, { username: 'system:node:n1', groups: ['system:nodes'] });
  assert.equal((c['spec'] as Record<string, unknown>)['username'], 'system:node:n1');
  const old: KubeObject = { ...csr(), status: { conditions: [{ type: 'Approved', status: 'True' }] } };
  const next: KubeObject = {
    ...csr({ signerName: 'x.io/y' }),
    status: { conditions: [{ type: 'Denied', status: 'True' }], certificate: 'Y2VydA==' },
  };
  csrStrategy.prepareForStatusUpdate?.(next, old);
  assert.deepEqual(next['spec'], old['spec']);
  assert.deepEqual(next['status'], { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'Y2VydA==' });
  assert.deepEqual(csrStrategy.selectableFields?.({ metadata: {} }), { 'spec.signerName': '' });
});

test('csr printer', () => {
  assert.equal(
    csrCondition({ metadata: {}, status: { conditions: [{ type: 'Approved' }, { type: 'Failed' }], certificate: 'x' } }),
    'Approved,Failed,Issued',
  );
  assert.equal(csrCondition({ metadata: {} }), 'Pending');
  const c = csr({ username: 'alice', expirationSeconds: 3600 });
  assert.deepEqual(
    csrPrinter.columns.map((x) => x.name),
    ['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition'],
  );
  assert.deepEqual(csrPrinter.row(c, Date.parse('2024-01-01T00:00:42Z')), [
    'node-csr',
    '42s',
    'kubernetes.io/kube-apiserver-client-kubelet',
    'alice',
    '60m',
    'Pending',
  ]);
});

test('the approval subresource changes only the Approved and Denied conditions', () => {
  const old = { ...csr(), status: { certificate: 'Y2VydA==', conditions: [{ type: 'Failed', status: 'True' }] } };
  const next: KubeObject = {
    ...csr({ signerName: 'example.com/other' }),
    status: { certificate: '', conditions: [{ type: 'Approved', status: 'True', reason: 'KubectlApprove' }] },
  };
  csrStrategy.prepareForApprovalUpdate?.(next, old);
  assert.deepEqual(next['status'], {
    certificate: 'Y2VydA==',
    conditions: [
      { type: 'Approved', status: 'True', reason: 'KubectlApprove' },
      { type: 'Failed', status: 'True' },
    ],
  });
});
