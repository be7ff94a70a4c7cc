/**
 * Leaf certificates signed by the cluster CA: serving certificates (DNS and IP SANs,
 * serverAuth) and client certificates (CN = user, O = groups, clientAuth), as kubeadm's
 * pkiutil.NewCertAndKey makes them.
 */
import { X509Certificate as NodeX509Certificate, createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import { x509 } from './x509.js';
import { certificateBackdateMs, encodeCertificatePem, randomSerialNumber, type CertificateAuthority } from './ca.js';
import { defaultKeyAlgorithm, encodePrivateKeyPem, generateKeyPair, signingAlgorithmFor, type KeyAlgorithm, type KeyPair } from './keys.js';

/** kubeadm: leaf certificates are valid for one year. */
export const leafValidityDays = 365;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A certificate with the key pair it certifies. */
export interface IssuedCertificate {
  cert: x509.X509Certificate;
  keys: KeyPair;
  certPem: string;
  /** PKCS#8 PEM. */
  keyPem: string;
}

/** The subjectAltName entries we issue and check. */
export interface SubjectAltNames {
  dnsNames: string[];
  ipAddresses: string[];
}

interface LeafOptions {
  validityDays?: number;
  algorithm?: KeyAlgorithm;
  /** Certify this key pair instead of generating a new one. */
  keys?: KeyPair;
  now?: Date;
}

export interface ServerCertificateOptions extends LeafOptions {
  commonName: string;
  dnsNames?: string[];
  ipAddresses?: string[];
}

export interface ClientCertificateOptions extends LeafOptions {
  /** The subject CN: the user name the apiserver's x509 authenticator sees. */
  user: string;
  /** The subject O values: the user's groups. */
  groups?: string[];
}

/** Canonical text of an IP address (IPv6 compressed, lower case); throws on anything else. */
export function canonicalIP(ip: string): string {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const family = isIP(bare);
  if (family === 0) throw new TypeError(`"${ip}" is not an IP address`);
  return family === 4 ? new URL(`http://${bare}/`).hostname : new URL(`http://[${bare}]/`).hostname.slice(1, -1);
}

function uniq(values: string[]): string[] {
  return [...new Set(values)];
}

/** Issues a serving certificate (serverAuth) for the given names. */
export async function issueServerCertificate(ca: CertificateAuthority, options: ServerCertificateOptions): Promise<IssuedCertificate> {
  const dnsNames = uniq((options.dnsNames ?? []).map((n) => n.toLowerCase()));
  const ipAddresses = uniq((options.ipAddresses ?? []).map(canonicalIP));
  const names: { type: 'dns' | 'ip'; value: string }[] = [
    ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...ipAddresses.map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions: x509.Extension[] = [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false)];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  return issue(ca, [{ CN: [options.commonName] }], extensions, options);
}

/** Issues a client certificate (clientAuth) for a user and its groups. */
export async function issueClientCertificate(ca: CertificateAuthority, options: ClientCertificateOptions): Promise<IssuedCertificate> {
  // One RDN per group, organizations before the common name (Go's pkix.Name order).
  const subject: x509.JsonName = [...(options.groups ?? []).map((g) => ({ O: [g] })), { CN: [options.user] }];
  const extensions = [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth], false)];
  return issue(ca, subject, extensions, options);
}

async function issue(
  ca: CertificateAuthority,
  subject: x509.JsonName,
  extensions: x509.Extension[],
  options: LeafOptions,
): Promise<IssuedCertificate> {
  const now = options.now ?? new Date();
  const keys = options.keys ?? (await generateKeyPair(options.algorithm ?? defaultKeyAlgorithm));
  const isRSA = keys.publicKey.algorithm.name.startsWith('RSA');
  const notBefore = Math.max(now.getTime() - certificateBackdateMs, ca.cert.notBefore.getTime());
  const notAfter = Math.min(now.getTime() + (options.validityDays ?? leafValidityDays) * DAY_MS, ca.cert.notAfter.getTime());
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject,
    issuer: ca.cert.subjectName,
    notBefore: new Date(notBefore),
    notAfter: new Date(notAfter),
    signingAlgorithm: signingAlgorithmFor(ca.keys.privateKey),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | (isRSA ? x509.KeyUsageFlags.keyEncipherment : 0), true),
      ...extensions,
      await authorityKeyIdentifier(ca),
    ],
  });
  return { cert, keys, certPem: encodeCertificatePem(cert), keyPem: await encodePrivateKeyPem(keys.privateKey) };
}

/** The CA's own subject key identifier when it has one (kubeadm CAs do), else derived from its key. */
export async function authorityKeyIdentifier(ca: CertificateAuthority): Promise<x509.AuthorityKeyIdentifierExtension> {
  const skid = ca.cert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (skid) return new x509.AuthorityKeyIdentifierExtension(skid.keyId);
  return x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey);
}

/** The DNS and IP subjectAltNames of a certificate (IPs canonical, DNS names lower case). */
export function subjectAltNamesOf(cert: x509.X509Certificate): SubjectAltNames {
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const result: SubjectAltNames = { dnsNames: [], ipAddresses: [] };
  for (const name of san?.names.toJSON() ?? []) {
    if (name.type === 'dns') result.dnsNames.push(name.value.toLowerCase());
    else if (name.type === 'ip') result.ipAddresses.push(canonicalIP(name.value));
  }
  return result;
}

/** Whether `have` lists every name in `want` (exact names; wildcards are not expanded). */
export function coversSubjectAltNames(have: SubjectAltNames, want: Partial<SubjectAltNames>): boolean {
  const dns = new Set(have.dnsNames.map((n) => n.toLowerCase()));
  const ips = new Set(have.ipAddresses.map(canonicalIP));
  return (want.dnsNames ?? []).every((n) => dns.has(n.toLowerCase())) && (want.ipAddresses ?? []).every((ip) => ips.has(canonicalIP(ip)));
}

/** Whether `certPem` carries a valid signature by the CA's key and names the CA as issuer. */
export function isIssuedBy(certPem: string, ca: CertificateAuthority): boolean {
  try {
    const cert = new NodeX509Certificate(certPem);
    const caCert = new NodeX509Certificate(ca.certPem);
    return cert.checkIssued(caCert) && cert.verify(caCert.publicKey);
  } catch {
    return false;
  }
}

export interface ReuseCheck {
  now?: Date;
  /** Renew when less than this much validity is left (default 90 days, as k3s does at startup). */
  renewBeforeMs?: number;
  /** Names the certificate must still cover. */
  subjectAltNames?: Partial<SubjectAltNames>;
  /** The exact subject a client certificate must have. */
  client?: { user: string; groups: string[] };
}

/** Renew leaf certificates with less than 90 days left. */
export const defaultRenewBeforeMs = 90 * DAY_MS;

/**
 * Whether an existing certificate and key can be kept: it parses, the key is its own, the CA
 * signed it, it is not close to expiry, and it still has the names and subject asked for.
 */
export function isCertificateReusable(ca: CertificateAuthority, certPem: string, keyPem: string, check: ReuseCheck = {}): boolean {
  let nodeCert: NodeX509Certificate;
  let cert: x509.X509Certificate;
  try {
    nodeCert = new NodeX509Certificate(certPem);
    cert = new x509.X509Certificate(nodeCert.raw);
    if (!nodeCert.checkPrivateKey(createPrivateKey(keyPem))) return false;
  } catch {
    return false;
  }
  const now = (check.now ?? new Date()).getTime();
  if (cert.notAfter.getTime() - now < (check.renewBeforeMs ?? defaultRenewBeforeMs)) return false;
  if (cert.notBefore.getTime() > now + certificateBackdateMs) return false;
  if (!isIssuedBy(certPem, ca)) return false;
  if (check.subjectAltNames && !coversSubjectAltNames(subjectAltNamesOf(cert), check.subjectAltNames)) return false;
  if (check.client) {
    const cn = cert.subjectName.getField('CN');
    const groups = cert.subjectName.getField('O');
    if (cn.length !== 1 || cn[0] !== check.client.user) return false;
    if (groups.length !== check.client.groups.length || groups.some((g, i) => g !== check.client?.groups[i])) return false;
  }
  return true;
}
