/**
 * The kubelet's TLS bootstrap (pkg/kubelet/certificate/bootstrap, LoadClientCert): when the
 * --kubeconfig file is missing, unreadable, or its client certificate has expired or is near
 * expiry, the kubelet makes an ECDSA P-256 key, asks for a client certificate with the
 * --bootstrap-kubeconfig credentials (a CertificateSigningRequest of signer
 * kubernetes.io/kube-apiserver-client-kubelet, CN system:node:<nodeName>, O system:nodes),
 * waits for it to be issued, and writes the kubeconfig (mode 0600) with the key and certificate.
 */
import { Buffer } from 'node:buffer';
import { X509Certificate } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpsClientset } from '../../client/rest.js';
import { loadKubeconfig } from '../../client/kubeconfig.js';
import type { KubeObject } from '../../machinery/object.js';
import { componentUserAgent } from '../../machinery/platform.js';
import { createCertificateRequestPem } from '../../pki/csr.js';
import { encodePrivateKeyPem, generateKeyPair } from '../../pki/keys.js';
import { writeKubeconfig } from '../../pki/kubeconfig.js';

const CSRS = { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests' };
/** A certificate with less than this share of its lifetime left is renewed at start. */
const RENEW_FRACTION = 0.2;

export interface BootstrapOptions {
  /** --kubeconfig: where the node's own credentials are (written when bootstrapping). */
  kubeconfig: string;
  /** --bootstrap-kubeconfig: the bootstrap token's kubeconfig. */
  bootstrapKubeconfig: string;
  nodeName: string;
  signal: AbortSignal;
  /** How long to wait for the certificate (5 minutes when absent). */
  timeoutMs?: number;
  log?: (message: string) => void;
}

/** The kubeconfig's client certificate is there and has more than RENEW_FRACTION of its life left. */
export function kubeconfigValid(path: string, now = Date.now()): boolean {
  try {
    const { cert, key } = loadKubeconfig(path);
    if (!cert || !key) return false;
    const x = new X509Certificate(cert);
    const from = Date.parse(x.validFrom);
    const to = Date.parse(x.validTo);
    return now < to - (to - from) * RENEW_FRACTION;
  } catch {
    return false;
  }
}

/** Writes --kubeconfig from an issued certificate unless it holds a valid one; true when it bootstrapped. */
export async function bootstrapClientCertificate(options: BootstrapOptions): Promise<boolean> {
  if (kubeconfigValid(options.kubeconfig)) return false;
  const log = options.log ?? ((m: string) => console.error(m));
  const bootstrap = loadKubeconfig(options.bootstrapKubeconfig);
  const keys = await generateKeyPair('ECDSA-P256');
  const user = `system:node:${options.nodeName}`;
  const request = await createCertificateRequestPem({ keys, commonName: user, organizations: ['system:nodes'] });
  const clientset = HttpsClientset.fromKubeconfig(options.bootstrapKubeconfig, { userAgent: componentUserAgent('kubelet') });
  try {
    const csrs = clientset.resource(CSRS);
    const created = await csrs.create('', {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { generateName: 'node-csr-' },
      spec: {
        request: Buffer.from(request).toString('base64'),
        signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
        usages: ['digital signature', 'client auth'],
      },
    });
    const name = created.metadata.name ?? '';
    log(`kubelet: waiting for the client certificate of CertificateSigningRequest ${name}`);
    const certPem = await waitForCertificate(options, name, (n) => csrs.get('', n));
    await writeKubeconfig({
      path: options.kubeconfig,
      server: bootstrap.server,
      caPem: bootstrap.ca?.toString() ?? '',
      certPem,
      keyPem: await encodePrivateKeyPem(keys.privateKey),
      user,
      clusterName: 'default-cluster',
      contextName: 'default-context',
    });
    return true;
  } finally {
    clientset.close();
  }
}

/** Polls the CSR until its certificate is issued; fails when it is denied or failed, or after the timeout. */
async function waitForCertificate(options: BootstrapOptions, name: string, get: (name: string) => Promise<KubeObject>): Promise<string> {
  const deadline = Date.now() + (options.timeoutMs ?? 5 * 60_000);
  while (Date.now() < deadline) {
    options.signal.throwIfAborted();
    const csr = await get(name);
    const status = (csr['status'] ?? {}) as { certificate?: string; conditions?: { type?: string; message?: string }[] };
    const refused = status.conditions?.find((c) => c.type === 'Denied' || c.type === 'Failed');
    if (refused) throw new Error(`certificate request ${name} ${refused.type?.toLowerCase()}: ${refused.message ?? ''}`);
    if (status.certificate) return Buffer.from(status.certificate, 'base64').toString();
    await sleep(500, undefined, { signal: options.signal });
  }
  throw new Error(`timed out waiting for the certificate of CertificateSigningRequest ${name}`);
}
