/**
 * The certificate the ingress serves for hosts without a TLS Secret of their own: self-signed,
 * as ingress-nginx's "Kubernetes Ingress Controller Fake Certificate" (SAN ingress.local), made
 * fresh at each start and never written anywhere.
 */
import { encodeCertificatePem, randomSerialNumber } from '../pki/ca.js';
import { encodePrivateKeyPem, generateKeyPair, signingAlgorithmFor } from '../pki/keys.js';
import { x509 } from '../pki/x509.js';

export const DEFAULT_CERTIFICATE_CN = 'Kubernetes Ingress Controller Fake Certificate';
const VALIDITY_MS = 365 * 24 * 3600 * 1000;

export interface CertificateKeyPair {
  cert: string;
  key: string;
}

export async function defaultCertificate(now: Date = new Date()): Promise<CertificateKeyPair> {
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: [{ O: ['Acme Co'] }, { CN: [DEFAULT_CERTIFICATE_CN] }],
    notBefore: new Date(now.getTime() - 5 * 60 * 1000),
    notAfter: new Date(now.getTime() + VALIDITY_MS),
    signingAlgorithm: signingAlgorithmFor(keys.privateKey),
    keys,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'ingress.local' }], false),
    ],
  });
  return { cert: encodeCertificatePem(cert), key: await encodePrivateKeyPem(keys.privateKey) };
}
