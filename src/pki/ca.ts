/**
 * The cluster certificate authority (kubeadm's ca.crt / ca.key): a self-signed CA with
 * CN "kubernetes", valid for ten years, that signs every serving and client certificate.
 */
import { randomBytes, X509Certificate as NodeX509Certificate, createPrivateKey } from 'node:crypto';
import { x509 } from './x509.js';
import {
  decodePem,
  decodePrivateKeyPem,
  defaultKeyAlgorithm,
  encodePem,
  encodePrivateKeyPem,
  generateKeyPair,
  signingAlgorithmFor,
  type KeyAlgorithm,
  type KeyPair,
} from './keys.js';
import { PkiError } from './errors.js';

/** kubeadm's CA common name. */
export const caCommonName = 'kubernetes';
/** kubeadm: CAs are valid for ten years. */
export const caValidityDays = 3650;
/** Certificates start a little in the past so that small clock skew between machines does not reject them. */
export const certificateBackdateMs = 5 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A CA that can sign: its certificate, its key pair, and both as PEM. */
export interface CertificateAuthority {
  cert: x509.X509Certificate;
  keys: KeyPair;
  /** ca.crt contents. */
  certPem: string;
  /** ca.key contents (PKCS#8 when we generated it; as found on disk when loaded). */
  keyPem: string;
}

export interface CreateCertificateAuthorityOptions {
  commonName?: string;
  validityDays?: number;
  algorithm?: KeyAlgorithm;
  /** The clock; defaults to now. */
  now?: Date;
}

/** A positive, non-zero 128-bit serial number as hex (RFC 5280 allows up to 20 octets). */
export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

/** Certificate → PEM ("CERTIFICATE"). */
export function encodeCertificatePem(cert: x509.X509Certificate): string {
  return encodePem('CERTIFICATE', cert.rawData);
}

/** PEM → certificate (the first CERTIFICATE block). */
export function decodeCertificatePem(pem: string): x509.X509Certificate {
  const der = decodePem(pem, 'CERTIFICATE');
  try {
    return new x509.X509Certificate(der);
  } catch (cause) {
    throw new PkiError('InvalidPEM', 'certificate PEM does not parse', { cause });
  }
}

/** Creates a new self-signed CA. */
export async function createCertificateAuthority(options: CreateCertificateAuthorityOptions = {}): Promise<CertificateAuthority> {
  const now = options.now ?? new Date();
  const keys = await generateKeyPair(options.algorithm ?? defaultKeyAlgorithm);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: [{ CN: [options.commonName ?? caCommonName] }],
    notBefore: new Date(now.getTime() - certificateBackdateMs),
    notAfter: new Date(now.getTime() + (options.validityDays ?? caValidityDays) * DAY_MS),
    signingAlgorithm: signingAlgorithmFor(keys.privateKey),
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys, certPem: encodeCertificatePem(cert), keyPem: await encodePrivateKeyPem(keys.privateKey) };
}

/**
 * Loads a CA from PEM (ours, or kubeadm's/openssl's: PKCS#1, SEC1 and PKCS#8 keys are all
 * accepted). Fails with CAInvalid when the certificate is not a CA or has expired, and with
 * KeyMismatch when the key is not the certificate's.
 */
export async function loadCertificateAuthority(certPem: string, keyPem: string, now: Date = new Date()): Promise<CertificateAuthority> {
  const cert = decodeCertificatePem(certPem);
  const nodeCert = new NodeX509Certificate(certPem);
  if (!nodeCert.ca) throw new PkiError('CAInvalid', `certificate "${cert.subject}" is not a CA`);
  if (cert.notAfter.getTime() <= now.getTime()) {
    throw new PkiError('CAInvalid', `CA certificate "${cert.subject}" expired at ${cert.notAfter.toISOString()}`);
  }
  const keys = await decodePrivateKeyPem(keyPem);
  if (!nodeCert.checkPrivateKey(createPrivateKey(keyPem))) {
    throw new PkiError('KeyMismatch', 'the CA private key does not match the CA certificate');
  }
  return { cert, keys, certPem, keyPem };
}
