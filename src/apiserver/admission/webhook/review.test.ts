import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { admissionRequest, admissionReview, pickAdmissionReviewVersion, verifyAdmissionResponse } from './review.js';
import { podAttributes, podObject, webhook } from './testing/fixtures.js';

const invocation = {
  webhook: webhook({}),
  resource: { group: '', version: 'v1', resource: 'pods' },
  kind: { group: '', version: 'v1', kind: 'Pod' },
  subresource: '',
};

describe('AdmissionReview request', () => {
  it('carries the request as upstream’s AdmissionRequest', () => {
    const req = admissionRequest('u-1', podAttributes({ dryRun: true }), invocation);
    assert.deepEqual(req, {
      uid: 'u-1',
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      requestKind: { group: '', version: 'v1', kind: 'Pod' },
      requestResource: { group: '', version: 'v1', resource: 'pods' },
      name: 'p',
      namespace: 'ns',
      operation: 'CREATE',
      userInfo: { username: 'alice', groups: ['dev', 'system:authenticated'] },
      object: podObject('p'),
      oldObject: null,
      dryRun: true,
      options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1', dryRun: ['All'] },
    });
    assert.deepEqual(admissionReview('v1beta1', req).apiVersion, 'admission.k8s.io/v1beta1');
  });

  it('names subresources and the old object of an update', () => {
    const req = admissionRequest('u', podAttributes({ operation: 'UPDATE', subresource: 'status', oldObject: podObject('p') }), {
      ...invocation,
      subresource: 'status',
    });
    assert.equal(req['subResource'], 'status');
    assert.equal(req['requestSubResource'], 'status');
    assert.deepEqual(req['oldObject'], podObject('p'));
    assert.equal((req['options'] as { kind: string }).kind, 'UpdateOptions');
  });

  it('converts the objects when matched through an equivalent version', () => {
    const conversion = { toInvocation: (o: object) => ({ ...o, apiVersion: 'v2' }), fromInvocation: (o: object) => o } as never;
    const req = admissionRequest('u', podAttributes(), { ...invocation, conversion });
    assert.equal((req['object'] as { apiVersion: string }).apiVersion, 'v2');
  });

  it('speaks the first admissionReviewVersion it knows', () => {
    assert.equal(pickAdmissionReviewVersion(['v2', 'v1beta1', 'v1']), 'v1beta1');
    assert.equal(pickAdmissionReviewVersion(['v2']), undefined);
  });
});

describe('verifyAdmissionResponse', () => {
  const review = (response: Record<string, unknown> | undefined, more: Record<string, unknown> = {}) => ({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response,
    ...more,
  });
  const patch = Buffer.from('[]').toString('base64');
  const cases: [string, unknown, string][] = [
    ['no response', review(undefined), 'webhook response was absent'],
    ['another uid', review({ uid: 'x', allowed: true }), 'expected response.uid="u", got "x"'],
    [
      'another kind',
      review({ uid: 'u', allowed: true }, { apiVersion: 'admission.k8s.io/v1beta1' }),
      'expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got admission.k8s.io/v1beta1, Kind=AdmissionReview',
    ],
    ['patch without type', review({ uid: 'u', allowed: true, patch }), 'webhook returned response.patch but not response.patchType'],
    [
      'type without patch',
      review({ uid: 'u', allowed: true, patchType: 'JSONPatch' }),
      'webhook returned response.patchType but not response.patch',
    ],
    [
      'another patch type',
      review({ uid: 'u', allowed: true, patch, patchType: 'MergePatch' }),
      'webhook returned invalid response.patchType of "MergePatch"',
    ],
  ];
  for (const [name, body, want] of cases)
    it(name, () => assert.throws(() => verifyAdmissionResponse('u', true, 'v1', body), { message: want }));

  it('a validating webhook may not patch', () => {
    assert.throws(() => verifyAdmissionResponse('u', false, 'v1', review({ uid: 'u', allowed: true, patch, patchType: 'JSONPatch' })), {
      message: 'validating webhook may not return response.patch',
    });
  });

  it('v1beta1 checks neither uid nor kind, and implies JSONPatch', () => {
    const r = verifyAdmissionResponse('u', true, 'v1beta1', { response: { uid: 'other', allowed: true, patch } });
    assert.equal(r.patch, '[]');
  });

  it('keeps warnings, audit annotations and the rejection status', () => {
    const r = verifyAdmissionResponse(
      'u',
      true,
      'v1',
      review({ uid: 'u', allowed: false, warnings: ['w', ''], auditAnnotations: { k: 'v' }, status: { code: 403, message: 'no' } }),
    );
    assert.deepEqual(r, { allowed: false, warnings: ['w'], auditAnnotations: { k: 'v' }, result: { code: 403, message: 'no' } });
  });
});
