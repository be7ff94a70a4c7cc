/** certificates.k8s.io/v1 CertificateSigningRequest: validation, status handling and printer. */
import { Buffer } from 'node:buffer';
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { arr, objs, part, str } from '../core/access.js';
import { humanDuration } from '../../machinery/duration.js';
import { duplicate, invalid, newPath, notSupported, required, type FieldError } from '../../machinery/validation/field.js';
import { isFullyQualifiedDomainName } from '../../machinery/validation/formats.js';
import { AGE_COLUMN, column, describe, NAME_COLUMN, objectAge } from '../apps/printing.js';
import './types.js';
import { cloneJson } from '../../machinery/clone.js';

const USAGES = [
  'any',
  'cert sign',
  'client auth',
  'code signing',
  'content commitment',
  'crl sign',
  'data encipherment',
  'decipher only',
  'digital signature',
  'email protection',
  'encipher only',
  'ipsec end system',
  'ipsec tunnel',
  'ipsec user',
  'key agreement',
  'key encipherment',
  'microsoft sgc',
  'netscape sgc',
  'ocsp signing',
  's/mime',
  'server auth',
  'signing',
  'timestamping',
];
const APPROVAL_CONDITIONS = ['Approved', 'Denied'];

/** The requesting user, which the apiserver records in the spec on create. */
export interface CSRRequestor {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** PrepareForCreate's user injection: spec.username/uid/groups/extra from the authenticated user. */
export function setCSRRequestor(obj: KubeObject, user: CSRRequestor): void {
  const spec = part(obj, 'spec');
  obj['spec'] = spec;
  for (const k of ['username', 'uid', 'groups', 'extra']) delete spec[k];
  spec['username'] = user.username;
  if (user.uid) spec['uid'] = user.uid;
  if (user.groups?.length) spec['groups'] = [...user.groups];
  if (user.extra && Object.keys(user.extra).length > 0) spec['extra'] = cloneJson(user.extra);
}

/** ValidateSignerName. */
export function validateSignerName(signerName: string): FieldError[] {
  const p = newPath('spec', 'signerName');
  if (!signerName) return [required(p, '')];
  const segments = signerName.split('/');
  if (segments.length !== 2)
    return [invalid(p, signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  const errs = isFullyQualifiedDomainName(p, segments[0] ?? '');
  if (!segments[1]) errs.push(invalid(p, signerName, 'validating path: must be non-empty'));
  return errs;
}

/** The PEM CERTIFICATE REQUEST block check of parseCSR. */
function validateRequest(request: unknown): FieldError[] {
  const p = newPath('spec', 'request');
  const text = Buffer.from(str(request), 'base64').toString('latin1');
  const m = /-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/.exec(text);
  return m?.[1] === 'CERTIFICATE REQUEST' ? [] : [invalid(p, str(request), 'PEM block type must be CERTIFICATE REQUEST')];
}

export function validateCSR(obj: KubeObject): FieldError[] {
  const s = part(obj, 'spec');
  const errs = validateRequest(s['request']);
  const usages = arr(s['usages']).map(str);
  if (usages.length === 0) errs.push(required(newPath('spec', 'usages'), 'usages must be provided'));
  const seen = new Set<string>();
  usages.forEach((u, i) => {
    const up = newPath('spec', 'usages').index(i);
    if (!USAGES.includes(u)) errs.push(notSupported(up, u, USAGES));
    if (seen.has(u)) errs.push(duplicate(up, u));
    seen.add(u);
  });
  errs.push(...validateSignerName(str(s['signerName'])));
  const exp = s['expirationSeconds'];
  if (typeof exp === 'number' && exp < 600)
    errs.push(invalid(newPath('spec', 'expirationSeconds'), exp, 'may not specify a duration less than 600 seconds (10 minutes)'));
  return errs;
}

export const csrStrategy: ResourceStrategy = {
  prepareForCreate(obj) {
    obj['status'] = {};
  },
  prepareForUpdate(obj, old) {
    obj['spec'] = cloneJson(old['spec']);
    if (old['status'] === undefined) delete obj['status'];
    else obj['status'] = cloneJson(old['status']);
  },
  validate: validateCSR,
  validateUpdate: (obj) => validateCSR(obj),
  prepareForStatusUpdate(obj, old) {
    obj['spec'] = cloneJson(old['spec']);
    const status = part(obj, 'status');
    const kept = objs(status['conditions']).filter((c) => !APPROVAL_CONDITIONS.includes(str(c['type'])));
    const approvals = objs(part(old, 'status')['conditions']).filter((c) => APPROVAL_CONDITIONS.includes(str(c['type'])));
    if (kept.length + approvals.length > 0) status['conditions'] = [...approvals, ...kept];
    obj['status'] = status;
  },
  // csrApprovalStrategy: only the Approved and Denied conditions change; spec and certificate stay
  prepareForApprovalUpdate(obj, old) {
    const oldStatus = part(old, 'status');
    const approvals = objs(part(obj, 'status')['conditions']).filter((c) => APPROVAL_CONDITIONS.includes(str(c['type'])));
    const kept = objs(oldStatus['conditions']).filter((c) => !APPROVAL_CONDITIONS.includes(str(c['type'])));
    const status = cloneJson(oldStatus);
    if (approvals.length + kept.length > 0) status['conditions'] = [...approvals, ...kept];
    else delete status['conditions'];
    obj['status'] = status;
  },
  selectableFields: (obj) => ({ 'spec.signerName': str(part(obj, 'spec')['signerName']) }),
};

/** extractCSRStatus: Denied/Approved/Pending, then ",Failed" and ",Issued". */
export function csrCondition(obj: KubeObject): string {
  const types = new Set(objs(part(obj, 'status')['conditions']).map((c) => str(c['type'])));
  let status = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) status += ',Failed';
  if (str(part(obj, 'status')['certificate'])) status += ',Issued';
  return status;
}

const CSR_SPEC = 'io.k8s.api.certificates.v1.CertificateSigningRequestSpec';

export const csrPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    AGE_COLUMN,
    column('SignerName', 'string', describe(CSR_SPEC, 'signerName')),
    column('Requestor', 'string', describe(CSR_SPEC, 'request')),
    column('RequestedDuration', 'string', describe(CSR_SPEC, 'expirationSeconds')),
    column('Condition', 'string', describe('io.k8s.api.certificates.v1.CertificateSigningRequestStatus', 'conditions')),
  ],
  row(obj, now) {
    const s = part(obj, 'spec');
    const exp = s['expirationSeconds'];
    return [
      obj.metadata.name ?? '',
      objectAge(obj, now),
      str(s['signerName']) || '<none>',
      str(s['username']),
      typeof exp === 'number' ? humanDuration(exp * 1000) : '<none>',
      csrCondition(obj),
    ];
  },
};
