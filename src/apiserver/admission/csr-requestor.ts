/**
 * A CertificateSigningRequest names who asked for it: spec.username, uid, groups and extra
 * come from the authenticated user on create, whatever the body said (upstream does this in
 * the CSR strategy's PrepareForCreate, from the request context).
 */
import { setCSRRequestor } from '../../api/certificates/csr.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

export class CertificateSigningRequestRequestor implements AdmissionPlugin {
  readonly name = 'CertificateSigningRequestRequestor';

  admit(attrs: AdmissionAttributes): void {
    const { type } = attrs;
    if (attrs.operation !== 'CREATE' || type.group !== 'certificates.k8s.io' || type.plural !== 'certificatesigningrequests') return;
    if (!attrs.object || !attrs.user) return;
    setCSRRequestor(attrs.object, {
      username: attrs.user.name,
      ...(attrs.user.uid ? { uid: attrs.user.uid } : {}),
      groups: attrs.user.groups,
      ...(attrs.user.extra ? { extra: attrs.user.extra } : {}),
    });
  }
}
