/**
 * The kubelet's serving certificate. With the cluster CA at hand (the server's in-process node)
 * the CA signs it; otherwise (a remote `k8ts agent`) it is self-signed the way upstream's
 * kubelet makes one without --tls-cert-file (certutil.GenerateSelfSignedCertKey: a throwaway
 * CA "<host>-ca@<unix time>" signs "<host>@<unix time>"; the file holds both). The apiserver
 * does not verify kubelet serving certificates unless told to (--kubelet-certificate-authority).
 */
import { isIP } from 'node:net';
import { type CertificateAuthority, createCertificateAuthority } from '../../pki/ca.js';
import { issueServerCertificate } from '../../pki/certs.js';
import type { KubeletServerTLS } from './kubelet-server.js';

export interface ServingCertificate {
  /** PEM: the leaf, then the self-signing CA when there is one. */
  cert: string;
  key: string;
}

/** A serving certificate for `names` (IPs become IP SANs, the rest DNS SANs), signed by `ca` or self-signed. */
export async function kubeletServingCertificate(host: string, names: string[], ca?: CertificateAuthority): Promise<ServingCertificate> {
  const now = new Date();
  const stamp = Math.floor(now.getTime() / 1000);
  const signer = ca ?? (await createCertificateAuthority({ commonName: `${host}-ca@${stamp}`, now }));
  const all = [...new Set([host, 'localhost', '127.0.0.1', ...names])];
  const issued = await issueServerCertificate(signer, {
    commonName: ca ? `system:node:${host}` : `${host}@${stamp}`,
    dnsNames: all.filter((n) => isIP(n) === 0),
    ipAddresses: all.filter((n) => isIP(n) !== 0),
    now,
  });
  return { cert: ca ? issued.certPem : issued.certPem + signer.certPem, key: issued.keyPem };
}

/** The kubelet server's TLS: a serving certificate for `host` and `names`, and the CA whose clients it lets in. */
export async function kubeletServerTLS(
  host: string,
  names: string[],
  clientCA: string,
  ca?: CertificateAuthority,
): Promise<KubeletServerTLS> {
  return { ...(await kubeletServingCertificate(host, names, ca)), clientCA };
}
