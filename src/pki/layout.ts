/**
 * The on-disk PKI of `k8ts server`, laid out like kubeadm's /etc/kubernetes/pki:
 *
 *   DIR/pki/ca.crt, ca.key                                   cluster CA
 *   DIR/pki/apiserver.crt, apiserver.key                     apiserver serving certificate
 *   DIR/pki/apiserver-kubelet-client.crt, .key               apiserver → kubelet client
 *   DIR/pki/sa.key, sa.pub                                   service-account token signing keys
 *
 * `ensurePki` is idempotent: existing material is reused across restarts, and a leaf is
 * reissued only when it no longer fits (names missing, other CA, key lost, near expiry).
 */
import { hostname as osHostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { createCertificateAuthority, loadCertificateAuthority, type CertificateAuthority } from './ca.js';
import { canonicalIP, isCertificateReusable, issueClientCertificate, issueServerCertificate, type SubjectAltNames } from './certs.js';
import {
  decodePrivateKeyPem,
  defaultKeyAlgorithm,
  encodePrivateKeyPem,
  encodePublicKeyPem,
  generateKeyPair,
  type KeyAlgorithm,
} from './keys.js';
import { ensurePrivateDirectory, privateFileMode, publicFileMode, readFileIfExists, writeFileAtomic } from './files.js';
import { PkiError } from './errors.js';

/** kubeadm's APIServerCertCommonName. */
export const apiServerCommonName = 'kube-apiserver';
/** kubeadm's APIServerKubeletClientCertCommonName. */
export const apiServerKubeletClientCommonName = 'kube-apiserver-kubelet-client';
/**
 * Group of the apiserver → kubelet client. kubeadm ≥ 1.29 uses "kubeadm:cluster-admins" with
 * a ClusterRoleBinding it creates; system:masters needs no binding.
 */
export const apiServerKubeletClientGroups = ['system:masters'];

export interface PkiPaths {
  /** DIR/pki */
  dir: string;
  caCert: string;
  caKey: string;
  apiServerCert: string;
  apiServerKey: string;
  apiServerKubeletClientCert: string;
  apiServerKubeletClientKey: string;
  /** Private key that signs service-account tokens (--service-account-signing-key-file). */
  serviceAccountKey: string;
  /** Its public key (--service-account-key-file). */
  serviceAccountPublicKey: string;
}

export interface EnsurePkiOptions {
  /** The server's data directory; the PKI lives in DIR/pki. */
  dir: string;
  /** --bind-address: an IP, a host name, or 0.0.0.0 / :: for every address. */
  bindAddress: string;
  /** The first IP of the service CIDR (the `kubernetes` Service's ClusterIP). */
  serviceIP: string;
  /** e.g. cluster.local */
  clusterDomain: string;
  /** More names for the apiserver certificate; IPs become IP SANs, the rest DNS SANs. */
  extraSANs?: string[];
  /** Key algorithm for newly generated keys (existing keys are kept as they are). */
  algorithm?: KeyAlgorithm;
  /** Defaults to os.hostname(). */
  hostname?: string;
  /** Addresses used for an unspecified bind address; defaults to the machine's non-internal ones. */
  hostAddresses?: string[];
  now?: Date;
}

/** The file names under DIR/pki. */
export function pkiPaths(dir: string): PkiPaths {
  const pki = join(dir, 'pki');
  return {
    dir: pki,
    caCert: join(pki, 'ca.crt'),
    caKey: join(pki, 'ca.key'),
    apiServerCert: join(pki, 'apiserver.crt'),
    apiServerKey: join(pki, 'apiserver.key'),
    apiServerKubeletClientCert: join(pki, 'apiserver-kubelet-client.crt'),
    apiServerKubeletClientKey: join(pki, 'apiserver-kubelet-client.key'),
    serviceAccountKey: join(pki, 'sa.key'),
    serviceAccountPublicKey: join(pki, 'sa.pub'),
  };
}

function isUnspecified(address: string): boolean {
  return address === '' || (isIP(address) !== 0 && (canonicalIP(address) === '0.0.0.0' || canonicalIP(address) === '::'));
}

/** The machine's non-loopback addresses, without IPv6 link-local ones (they need a zone to be dialled). */
export function localHostAddresses(): string[] {
  const out: string[] = [];
  for (const infos of Object.values(networkInterfaces())) {
    for (const info of infos ?? []) {
      if (info.internal) continue;
      if (info.family === 'IPv6' && /^fe[89ab]/i.test(info.address)) continue;
      out.push(info.address);
    }
  }
  return out;
}

/**
 * The apiserver certificate's names: localhost and loopback IPs, the machine's host name, the
 * in-cluster names of the `kubernetes` Service and its ClusterIP, the bind address (or every
 * host address when it is unspecified), and the extra SANs.
 */
export function apiServerSubjectAltNames(options: EnsurePkiOptions): SubjectAltNames {
  const dnsNames = [
    'localhost',
    (options.hostname ?? osHostname()).toLowerCase(),
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    `kubernetes.default.svc.${options.clusterDomain}`,
  ];
  const ipAddresses = ['127.0.0.1', '::1', options.serviceIP];
  const extra = [...(options.extraSANs ?? [])];
  if (isUnspecified(options.bindAddress)) extra.push(...(options.hostAddresses ?? localHostAddresses()));
  else extra.push(options.bindAddress);
  for (const name of extra) {
    if (isIP(name.replace(/^\[(.*)\]$/, '$1')) !== 0) ipAddresses.push(name);
    else if (name !== '') dnsNames.push(name.toLowerCase());
  }
  return {
    dnsNames: [...new Set(dnsNames.filter((n) => n !== ''))],
    ipAddresses: [...new Set(ipAddresses.map(canonicalIP))],
  };
}

/** Loads the CA the PKI directory holds. */
export async function readCertificateAuthority(paths: PkiPaths, now?: Date): Promise<CertificateAuthority> {
  const [certPem, keyPem] = await Promise.all([readFileIfExists(paths.caCert), readFileIfExists(paths.caKey)]);
  if (certPem === undefined) throw new PkiError('CAInvalid', `${paths.caCert} does not exist`);
  if (keyPem === undefined) throw new PkiError('CAKeyMissing', `${paths.caKey} does not exist`);
  return loadCertificateAuthority(certPem, keyPem, now);
}

async function ensureCertificateAuthority(paths: PkiPaths, options: EnsurePkiOptions): Promise<CertificateAuthority> {
  const certPem = await readFileIfExists(paths.caCert);
  if (certPem !== undefined) return readCertificateAuthority(paths, options.now);
  // No ca.crt: nothing can have been signed yet, so a stray ca.key (a crash mid-write) is replaced.
  const ca = await createCertificateAuthority({ algorithm: options.algorithm, now: options.now });
  await writeFileAtomic(paths.caKey, ca.keyPem, privateFileMode);
  await writeFileAtomic(paths.caCert, ca.certPem, publicFileMode);
  return ca;
}

async function writePair(certPath: string, keyPath: string, certPem: string, keyPem: string): Promise<void> {
  await writeFileAtomic(keyPath, keyPem, privateFileMode);
  await writeFileAtomic(certPath, certPem, publicFileMode);
}

async function ensureApiServerCertificate(ca: CertificateAuthority, paths: PkiPaths, options: EnsurePkiOptions): Promise<void> {
  const names = apiServerSubjectAltNames(options);
  const [certPem, keyPem] = await Promise.all([readFileIfExists(paths.apiServerCert), readFileIfExists(paths.apiServerKey)]);
  if (certPem && keyPem && isCertificateReusable(ca, certPem, keyPem, { now: options.now, subjectAltNames: names })) return;
  const issued = await issueServerCertificate(ca, {
    commonName: apiServerCommonName,
    ...names,
    algorithm: options.algorithm,
    now: options.now,
  });
  await writePair(paths.apiServerCert, paths.apiServerKey, issued.certPem, issued.keyPem);
}

async function ensureKubeletClientCertificate(ca: CertificateAuthority, paths: PkiPaths, options: EnsurePkiOptions): Promise<void> {
  const client = { user: apiServerKubeletClientCommonName, groups: apiServerKubeletClientGroups };
  const [certPem, keyPem] = await Promise.all([
    readFileIfExists(paths.apiServerKubeletClientCert),
    readFileIfExists(paths.apiServerKubeletClientKey),
  ]);
  if (certPem && keyPem && isCertificateReusable(ca, certPem, keyPem, { now: options.now, client })) return;
  const issued = await issueClientCertificate(ca, { ...client, algorithm: options.algorithm, now: options.now });
  await writePair(paths.apiServerKubeletClientCert, paths.apiServerKubeletClientKey, issued.certPem, issued.keyPem);
}

async function ensureServiceAccountKey(paths: PkiPaths, options: EnsurePkiOptions): Promise<void> {
  const keyPem = await readFileIfExists(paths.serviceAccountKey);
  let publicKeyPem: string;
  if (keyPem === undefined) {
    const keys = await generateKeyPair(options.algorithm ?? defaultKeyAlgorithm);
    await writeFileAtomic(paths.serviceAccountKey, await encodePrivateKeyPem(keys.privateKey), privateFileMode);
    publicKeyPem = await encodePublicKeyPem(keys.publicKey);
  } else {
    publicKeyPem = await encodePublicKeyPem((await decodePrivateKeyPem(keyPem)).publicKey);
  }
  if ((await readFileIfExists(paths.serviceAccountPublicKey)) !== publicKeyPem) {
    await writeFileAtomic(paths.serviceAccountPublicKey, publicKeyPem, publicFileMode);
  }
}

/** Creates or reuses the PKI under DIR/pki and returns where each file is. */
export async function ensurePki(options: EnsurePkiOptions): Promise<PkiPaths> {
  const paths = pkiPaths(options.dir);
  await ensurePrivateDirectory(paths.dir);
  const ca = await ensureCertificateAuthority(paths, options);
  await Promise.all([
    ensureApiServerCertificate(ca, paths, options),
    ensureKubeletClientCertificate(ca, paths, options),
    ensureServiceAccountKey(paths, options),
  ]);
  return paths;
}
