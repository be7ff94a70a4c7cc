/**
 * The user a client certificate names, as the apiserver's x509 authenticator reads it
 * (CommonNameUserConversion): user = subject CN, groups = subject O values. The caller adds
 * system:authenticated.
 */
import type { PeerCertificate } from 'node:tls';
import { x509 } from './x509.js';

export interface ClientIdentity {
  user: string;
  groups: string[];
}

function values(field: string | string[] | undefined): string[] {
  if (field === undefined) return [];
  return Array.isArray(field) ? field : [field];
}

function isDer(input: PeerCertificate | Uint8Array | ArrayBuffer): input is Uint8Array | ArrayBuffer {
  return input instanceof Uint8Array || input instanceof ArrayBuffer;
}

/**
 * The identity in a verified peer certificate, from Node's `socket.getPeerCertificate()` or
 * from DER bytes. Returns null when there is no certificate or its CN is empty — upstream
 * then leaves the request to the other authenticators. With several CNs the last wins, as in
 * Go's pkix.Name.
 */
export function identityFromCertificate(peerCert: PeerCertificate | Uint8Array | ArrayBuffer): ClientIdentity | null {
  let commonNames: string[];
  let groups: string[];
  if (isDer(peerCert)) {
    const name = new x509.X509Certificate(peerCert).subjectName;
    commonNames = name.getField('CN');
    groups = name.getField('O');
  } else {
    // Node types subject fields as string, but repeated attributes arrive as string[].
    const subject = peerCert.subject as Record<string, string | string[] | undefined> | undefined;
    if (!subject) return null;
    commonNames = values(subject['CN']);
    groups = values(subject['O']);
  }
  const user = commonNames.at(-1) ?? '';
  if (user === '') return null;
  return { user, groups };
}
