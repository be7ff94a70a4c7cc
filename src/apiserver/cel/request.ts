/**
 * The admission request as CEL's `request` variable sees it (admission/v1 AdmissionRequest,
 * without object and oldObject, which are variables of their own), and the whole activation of
 * one admission request.
 */
import { randomUUID } from 'node:crypto';
import type { AdmissionAttributes } from '../admission/interface.js';
import type { Authorizer } from '../authz/interface.js';
import { CelAuthorizer } from './authorizer.js';
import type { Activation } from './environment.js';
import { toCel } from './values.js';

/** The AdmissionRequest fields of upstream's CreateAdmissionRequest. */
export function admissionRequest(attrs: AdmissionAttributes, uid: string = randomUUID()): Record<string, unknown> {
  const { type } = attrs;
  const kind = { group: type.group, version: type.version, kind: type.kind };
  const resource = { group: type.group, version: type.version, resource: type.plural };
  const user = attrs.user;
  return {
    uid,
    kind,
    resource,
    ...(attrs.subresource ? { subResource: attrs.subresource } : {}),
    requestKind: kind,
    requestResource: resource,
    ...(attrs.subresource ? { requestSubResource: attrs.subresource } : {}),
    name: attrs.name,
    namespace: attrs.namespace,
    operation: attrs.operation,
    userInfo: {
      username: user?.name ?? '',
      ...(user?.uid ? { uid: user.uid } : {}),
      groups: user?.groups ?? [],
      ...(user?.extra ? { extra: user.extra } : {}),
    },
    dryRun: attrs.dryRun,
  };
}

export interface ActivationInput {
  attrs: AdmissionAttributes;
  authorizer?: Authorizer;
  params?: unknown;
  namespaceObject?: unknown;
}

/** The variables of one request, converted for CEL. A DELETE's object is null, a CREATE's oldObject too. */
export function admissionActivation(input: ActivationInput): Activation {
  const { attrs } = input;
  const object = attrs.operation === 'DELETE' ? null : (attrs.object ?? null);
  const activation: Activation = {
    object: toCel(object),
    oldObject: toCel(attrs.oldObject ?? null),
    request: toCel(admissionRequest(attrs)),
    params: toCel(input.params ?? null),
    namespaceObject: toCel(input.namespaceObject ?? null),
  };
  if (input.authorizer && attrs.user) {
    activation.authorizer = new CelAuthorizer(input.authorizer, attrs.user, {
      group: attrs.type.group,
      resource: attrs.type.plural,
      subresource: attrs.subresource,
      namespace: attrs.namespace,
      name: attrs.name,
    });
  }
  return activation;
}
