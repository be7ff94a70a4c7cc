/**
 * Upstream's CertificateSubjectRestriction admission plugin: a CertificateSigningRequest for the
 * kubernetes.io/kube-apiserver-client signer may not ask for the system:masters group (a
 * certificate the CSR signer issued would otherwise make a superuser).
 */
import { Buffer } from 'node:buffer';
import { newForbidden } from '../../machinery/errors.js';
import { x509 } from '../../pki/x509.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

const SIGNER = 'kubernetes.io/kube-apiserver-client';

export class CertificateSubjectRestriction implements AdmissionPlugin {
  readonly name = 'CertificateSubjectRestriction';

  validate(attrs: AdmissionAttributes): void {
    const { type } = attrs;
    if (
      attrs.operation !== 'CREATE' ||
      attrs.subresource ||
      type.group !== 'certificates.k8s.io' ||
      type.plural !== 'certificatesigningrequests'
    )
      return;
    const spec = (attrs.object?.['spec'] ?? {}) as { signerName?: string; request?: string };
    if (spec.signerName !== SIGNER) return;
    const forbidden = (why: string) => newForbidden({ group: type.group, resource: type.plural }, attrs.name, why);
    let organizations: string[];
    try {
      const req = new x509.Pkcs10CertificateRequest(Buffer.from(spec.request ?? '', 'base64').toString('latin1'));
      organizations = req.subjectName.getField('O');
    } catch (err) {
      throw forbidden(`failed to parse CSR: ${(err as Error).message}`);
    }
    if (organizations.includes('system:masters')) throw forbidden(`use of ${SIGNER} signer with system:masters group is not allowed`);
  }
}
