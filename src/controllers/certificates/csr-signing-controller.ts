/**
 * The CSR signing controller (pkg/controller/certificates/signer): signs approved
 * CertificateSigningRequests of the signers kubernetes.io/kube-apiserver-client-kubelet,
 * kube-apiserver-client and kubelet-serving with the cluster CA (--cluster-signing-cert-file,
 * --cluster-signing-key-file), for --cluster-signing-duration (8760h) or the shorter
 * spec.expirationSeconds, and writes status.certificate. A request that breaks its signer's
 * rules gets the Failed condition (reason SignerValidationFailure) instead.
 */
import { Buffer } from 'node:buffer';
import type { Clientset, Lister, ResourceClient, SharedInformerFactory, WorkQueue } from '../../client/interface.js';
import { runWorkers } from '../../client/workqueue-workers.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { type CertificateAuthority, certificateBackdateMs, encodeCertificatePem, randomSerialNumber } from '../../pki/ca.js';
import { authorityKeyIdentifier } from '../../pki/certs.js';
import { signingAlgorithmFor } from '../../pki/keys.js';
import { x509 } from '../../pki/x509.js';
import { CSRS, csrView, hasFailed, isApproved, parseCSRRequest, SIGNER_CHECKS, subjectAltNameOf, withCondition } from './csr-checks.js';

/** upstream --cluster-signing-duration default: one year. */
export const DEFAULT_CLUSTER_SIGNING_DURATION_MS = 8760 * 3600 * 1000;

const KEY_USAGES: Record<string, number> = {
  'digital signature': x509.KeyUsageFlags.digitalSignature,
  'key encipherment': x509.KeyUsageFlags.keyEncipherment,
};
const EXT_KEY_USAGES: Record<string, string> = {
  'client auth': x509.ExtendedKeyUsage.clientAuth,
  'server auth': x509.ExtendedKeyUsage.serverAuth,
};

export interface CSRSigningControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  newQueue: () => WorkQueue;
  ca: CertificateAuthority;
  /** --cluster-signing-duration (8760h when absent). */
  durationMs?: number;
  now?: () => Date;
  log?: (message: string) => void;
}

/** The certificate a CSR asks for: its subject, key and SANs, the usages of its spec. */
export async function signCertificateRequest(
  ca: CertificateAuthority,
  req: x509.Pkcs10CertificateRequest,
  usages: string[],
  durationMs: number,
  now: Date,
): Promise<string> {
  const keyUsage = usages.reduce((flags, u) => flags | (KEY_USAGES[u] ?? 0), 0);
  const extKeyUsage = usages.flatMap((u) => (EXT_KEY_USAGES[u] ? [EXT_KEY_USAGES[u]] : []));
  const san = subjectAltNameOf(req);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: req.subjectName,
    issuer: ca.cert.subjectName,
    notBefore: new Date(Math.max(now.getTime() - certificateBackdateMs, ca.cert.notBefore.getTime())),
    notAfter: new Date(Math.min(now.getTime() + durationMs, ca.cert.notAfter.getTime())),
    signingAlgorithm: signingAlgorithmFor(ca.keys.privateKey),
    publicKey: req.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      ...(keyUsage ? [new x509.KeyUsagesExtension(keyUsage, true)] : []),
      ...(extKeyUsage.length > 0 ? [new x509.ExtendedKeyUsageExtension(extKeyUsage, false)] : []),
      ...(san ? [new x509.SubjectAlternativeNameExtension(san.names.toJSON(), false)] : []),
      await authorityKeyIdentifier(ca),
    ],
  });
  return encodeCertificatePem(cert);
}

export class CSRSigningController {
  readonly queue: WorkQueue;
  readonly #client: ResourceClient;
  readonly #informers: SharedInformerFactory;
  readonly #csrs: Lister;
  readonly #ca: CertificateAuthority;
  readonly #durationMs: number;
  readonly #now: () => Date;
  readonly #log: (message: string) => void;

  constructor(options: CSRSigningControllerOptions) {
    this.#client = options.client.resource(CSRS);
    this.#informers = options.informers;
    this.#ca = options.ca;
    this.#durationMs = options.durationMs ?? DEFAULT_CLUSTER_SIGNING_DURATION_MS;
    this.#now = options.now ?? (() => new Date());
    this.#log = options.log ?? (() => {});
    this.queue = options.newQueue();
    const informer = options.informers.forResource(CSRS);
    this.#csrs = informer.lister;
    const enqueue = (csr: KubeObject) => this.queue.add(csr.metadata.name ?? '');
    informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, csr) => enqueue(csr) });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.#informers.waitForCacheSync(signal);
    await runWorkers({
      queue: this.queue,
      sync: (key) => this.sync(key),
      workers: 1,
      signal,
      onError: (key, err) => this.#log(`csrsigning ${key}: ${(err as Error).message}`),
    });
  }

  /** upstream signer.handle: approved, not yet issued nor failed, one of our signers. */
  async sync(name: string): Promise<void> {
    const csr = this.#csrs.get('', name);
    if (!csr) return;
    const v = csrView(csr);
    const check = SIGNER_CHECKS[v.signerName];
    if (!check || !isApproved(v) || v.certificate || hasFailed(v)) return;
    const req = parseCSRRequest(csr);
    if (!(await req.verify())) return this.#fail(csr, 'the request signature does not verify');
    const invalid = check(req, v.usages);
    if (invalid) return this.#fail(csr, invalid);
    const requestedMs = v.expirationSeconds !== undefined ? Math.max(v.expirationSeconds, 600) * 1000 : Number.POSITIVE_INFINITY;
    const pem = await signCertificateRequest(this.#ca, req, v.usages, Math.min(this.#durationMs, requestedMs), this.#now());
    const next = structuredClone(csr);
    next['status'] = { ...((csr['status'] as Record<string, unknown>) ?? {}), certificate: Buffer.from(pem).toString('base64') };
    await this.#write(next);
  }

  async #fail(csr: KubeObject, message: string): Promise<void> {
    await this.#write(withCondition(csr, { type: 'Failed', reason: 'SignerValidationFailure', message }, this.#now()));
  }

  async #write(next: KubeObject): Promise<void> {
    try {
      await this.#client.updateStatus('', next);
    } catch (err) {
      // changed meanwhile (the informer brings the new version) or deleted
      if (isStatusError(err, 'Conflict') || isStatusError(err, 'NotFound')) return;
      throw err;
    }
  }
}
