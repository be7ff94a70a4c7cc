/**
 * PKCS#10 certificate requests, as a kubelet makes them for its client certificate
 * (k8s.io/client-go/util/cert MakeCSR): the subject CN and O values, signed by the key.
 */
import { x509 } from './x509.js';
import { type KeyPair, signingAlgorithmFor } from './keys.js';

export interface CertificateRequestOptions {
  keys: KeyPair;
  commonName: string;
  organizations?: string[];
}

/** A PEM "CERTIFICATE REQUEST" block. */
export async function createCertificateRequestPem(options: CertificateRequestOptions): Promise<string> {
  const name: x509.JsonName = [...(options.organizations ?? []).map((o) => ({ O: [o] })), { CN: [options.commonName] }];
  const req = await x509.Pkcs10CertificateRequestGenerator.create({
    name,
    keys: options.keys,
    signingAlgorithm: signingAlgorithmFor(options.keys.privateKey),
  });
  return req.toString('pem');
}
