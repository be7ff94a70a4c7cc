import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { certificatesResources } from '../../api/certificates/resources.js';
import type { Attributes, Authorizer } from '../authz/interface.js';
import { CertificateApproval, CertificateSigning } from './certificate-signer-authorization.js';
import type { AdmissionAttributes } from './interface.js';

/** Allows `verb signers/name` for the names listed. */
function authorizer(allowed: string[]): Authorizer & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    authorize(a: Attributes) {
      const key = `${a.verb} ${a.group}/${a.resource}/${a.name}`;
      asked.push(key);
      return { allowed: allowed.includes(key), reason: '' };
    },
  };
}

function update(subresource: string, certificate = ''): AdmissionAttributes {
  const csr = (cert: string) => ({
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: 'c' },
    spec: { signerName: 'example.com/signer' },
    status: cert ? { certificate: cert } : {},
  });
  return {
    operation: 'UPDATE',
    type: certificatesResources[0] as AdmissionAttributes['type'],
    namespace: '',
    name: 'c',
    subresource,
    object: csr(certificate),
    oldObject: csr(''),
    user: { name: 'u', groups: ['system:authenticated'] },
    dryRun: false,
  };
}

describe('CertificateApproval and CertificateSigning', () => {
  it('approval needs approve on signers/<signerName> or <domain>/*, with upstream’s refusal', async () => {
    const none = authorizer([]);
    await assert.rejects(new CertificateApproval({ authorizer: none }).validate(update('approval')), {
      message:
        'certificatesigningrequests.certificates.k8s.io "c" is forbidden: user not permitted to approve requests with signerName "example.com/signer"',
    });
    assert.deepEqual(none.asked, [
      'approve certificates.k8s.io/signers/example.com/signer',
      'approve certificates.k8s.io/signers/example.com/*',
    ]);
    await new CertificateApproval({ authorizer: authorizer(['approve certificates.k8s.io/signers/example.com/*']) }).validate(
      update('approval'),
    );
    // other writes are not its business
    await new CertificateApproval({ authorizer: none }).validate(update('status', 'Y2VydA=='));
  });

  it('issuing a certificate through status needs sign; other status writes do not', async () => {
    const none = authorizer([]);
    await assert.rejects(new CertificateSigning({ authorizer: none }).validate(update('status', 'Y2VydA==')), {
      message:
        'certificatesigningrequests.certificates.k8s.io "c" is forbidden: user not permitted to sign requests with signerName "example.com/signer"',
    });
    await new CertificateSigning({ authorizer: none }).validate(update('status'));
    await new CertificateSigning({ authorizer: authorizer(['sign certificates.k8s.io/signers/example.com/signer']) }).validate(
      update('status', 'Y2VydA=='),
    );
  });
});
