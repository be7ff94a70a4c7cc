/** Test support of the certificate controllers: CertificateSigningRequests made from real PKCS#10 requests. */
import { Buffer } from 'node:buffer';
import type { KubeObject } from '../../machinery/object.js';
import { createCertificateRequestPem } from '../../pki/csr.js';
import { generateKeyPair } from '../../pki/keys.js';

export interface TestCSROptions {
  name: string;
  commonName: string;
  organizations?: string[];
  signerName?: string;
  usages?: string[];
  username?: string;
  groups?: string[];
  expirationSeconds?: number;
  conditions?: Record<string, string>[];
}

export async function testCSR(o: TestCSROptions): Promise<KubeObject> {
  const pem = await createCertificateRequestPem({
    keys: await generateKeyPair(),
    commonName: o.commonName,
    organizations: o.organizations ?? [],
  });
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: o.name },
    spec: {
      request: Buffer.from(pem).toString('base64'),
      signerName: o.signerName ?? 'kubernetes.io/kube-apiserver-client-kubelet',
      usages: o.usages ?? ['digital signature', 'client auth'],
      username: o.username ?? 'system:bootstrap:abcdef',
      groups: o.groups ?? ['system:bootstrappers', 'system:authenticated'],
      ...(o.expirationSeconds !== undefined ? { expirationSeconds: o.expirationSeconds } : {}),
    },
    status: o.conditions ? { conditions: o.conditions } : {},
  };
}
