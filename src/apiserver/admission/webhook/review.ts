/**
 * AdmissionReview objects (admission.k8s.io/v1 and v1beta1, which share their shape): the
 * request sent for an invocation, and the checks upstream's VerifyAdmissionResponse makes on
 * the webhook's answer.
 */
import { asObj, str, type Obj } from '../../../api/core/access.js';
import type { AdmissionAttributes } from '../interface.js';
import type { KubeObject } from '../../../machinery/object.js';
import { cloneJson } from '../../../machinery/clone.js';
import type { WebhookInvocation } from './interface.js';

export type AdmissionReviewVersion = 'v1' | 'v1beta1';

/** The first of the webhook's admissionReviewVersions this apiserver speaks. */
export function pickAdmissionReviewVersion(versions: readonly string[]): AdmissionReviewVersion | undefined {
  return versions.find((v): v is AdmissionReviewVersion => v === 'v1' || v === 'v1beta1');
}

const OPTIONS_KIND = { CREATE: 'CreateOptions', UPDATE: 'UpdateOptions', DELETE: 'DeleteOptions' } as const;

/** AdmissionRequest for one invocation (CreateAdmissionObjects). */
export function admissionRequest(uid: string, attrs: AdmissionAttributes, invocation: WebhookInvocation): Obj {
  const { type, user } = attrs;
  const request: Obj = {
    uid,
    kind: invocation.kind,
    resource: invocation.resource,
    ...(invocation.subresource ? { subResource: invocation.subresource } : {}),
    requestKind: { group: type.group, version: type.version, kind: type.kind },
    requestResource: { group: type.group, version: type.version, resource: type.plural },
    ...(attrs.subresource ? { requestSubResource: attrs.subresource } : {}),
    ...(attrs.name ? { name: attrs.name } : {}),
    ...(attrs.namespace ? { namespace: attrs.namespace } : {}),
    operation: attrs.operation,
    userInfo: {
      username: user?.name ?? '',
      ...(user?.uid ? { uid: user.uid } : {}),
      ...(user?.groups.length ? { groups: user.groups } : {}),
      ...(user?.extra && Object.keys(user.extra).length > 0 ? { extra: user.extra } : {}),
    },
    object: versioned(attrs.object, invocation),
    oldObject: versioned(attrs.oldObject, invocation),
    ...(attrs.dryRun ? { dryRun: true } : {}),
    options: { kind: OPTIONS_KIND[attrs.operation], apiVersion: 'meta.k8s.io/v1', ...(attrs.dryRun ? { dryRun: ['All'] } : {}) },
  };
  return request;
}

/** The object in the invocation's version (converted when matched through an equivalent one). */
export function versioned(obj: KubeObject | undefined, invocation: WebhookInvocation): KubeObject | null {
  if (!obj) return null;
  return invocation.conversion ? invocation.conversion.toInvocation(cloneJson(obj)) : obj;
}

export function admissionReview(version: AdmissionReviewVersion, request: Obj): Obj {
  return { kind: 'AdmissionReview', apiVersion: `admission.k8s.io/${version}`, request };
}

/** What a webhook answered, checked. */
export interface AdmissionResponse {
  allowed: boolean;
  /** The rejection's metav1.Status (partial, as the webhook sent it). */
  result?: Obj;
  /** The decoded JSON patch text (mutating webhooks only). */
  patch?: string;
  warnings: string[];
  auditAnnotations: Record<string, string>;
}

/** VerifyAdmissionResponse: throws an Error with upstream's text when the answer is not acceptable. */
export function verifyAdmissionResponse(
  uid: string,
  mutating: boolean,
  version: AdmissionReviewVersion,
  review: unknown,
): AdmissionResponse {
  const body = asObj(review);
  const response = asObj(body?.['response']);
  if (!body || !response) throw new Error('webhook response was absent');
  if (version === 'v1') {
    if (str(response['uid']) !== uid)
      throw new Error(`expected response.uid=${JSON.stringify(uid)}, got ${JSON.stringify(str(response['uid']))}`);
    const [group = '', ver = ''] = str(body['apiVersion']).includes('/')
      ? str(body['apiVersion']).split('/')
      : ['', str(body['apiVersion'])];
    if (group !== 'admission.k8s.io' || ver !== 'v1' || body['kind'] !== 'AdmissionReview') {
      throw new Error(
        `expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${group ? `${group}/` : ''}${ver}, Kind=${str(body['kind'])}`,
      );
    }
  }
  const rawPatch = str(response['patch']);
  let patchType = str(response['patchType']);
  if (version === 'v1beta1' && rawPatch && !patchType) patchType = 'JSONPatch'; // v1beta1 implied JSONPatch
  if (rawPatch && !patchType) throw new Error('webhook returned response.patch but not response.patchType');
  if (!rawPatch && patchType) throw new Error('webhook returned response.patchType but not response.patch');
  if (!mutating && rawPatch && version === 'v1') throw new Error('validating webhook may not return response.patch');
  if (rawPatch && patchType !== 'JSONPatch') throw new Error(`webhook returned invalid response.patchType of ${JSON.stringify(patchType)}`);
  const out: AdmissionResponse = {
    allowed: response['allowed'] === true,
    warnings: Array.isArray(response['warnings']) ? response['warnings'].map(str).filter((w) => w !== '') : [],
    auditAnnotations: {},
  };
  const result = asObj(response['status']);
  if (result) out.result = result;
  if (rawPatch && mutating) out.patch = Buffer.from(rawPatch, 'base64').toString('utf8');
  for (const [k, v] of Object.entries(asObj(response['auditAnnotations']) ?? {})) if (typeof v === 'string') out.auditAnnotations[k] = v;
  return out;
}
