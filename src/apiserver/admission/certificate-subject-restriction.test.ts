import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { certificatesResources } from '../../api/certificates/resources.js';
import { isStatusError } from '../../machinery/errors.js';
import { createCertificateRequestPem } from '../../pki/csr.js';
import { generateKeyPair } from '../../pki/keys.js';
import { CertificateSubjectRestriction } from './certificate-subject-restriction.js';
import type { AdmissionAttributes } from './interface.js';

async function attrs(organizations: string[], signerName = 'kubernetes.io/kube-apiserver-client'): Promise<AdmissionAttributes> {
  const request = Buffer.from(
    await createCertificateRequestPem({ keys: await generateKeyPair(), commonName: 'x', organizations }),
  ).toString('base64');
  return {
    operation: 'CREATE',
    type: certificatesResources[0] as AdmissionAttributes['type'],
    namespace: '',
    name: 'x',
    subresource: '',
    object: {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name: 'x' },
      spec: { request, signerName },
    },
    dryRun: false,
  };
}

describe('CertificateSubjectRestriction', () => {
  it('refuses kube-apiserver-client requests for system:masters, with upstream’s message', async () => {
    const plugin = new CertificateSubjectRestriction();
    const masters = await attrs(['dev', 'system:masters']);
    assert.throws(
      () => plugin.validate(masters),
      (err: unknown) =>
        isStatusError(err, 'Forbidden') &&
        (err as Error).message ===
          'certificatesigningrequests.certificates.k8s.io "x" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed',
    );
    plugin.validate(await attrs(['dev']));
    plugin.validate(await attrs(['system:masters'], 'kubernetes.io/kube-apiserver-client-kubelet'));
  });
});
