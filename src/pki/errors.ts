/** Failures of the pki package, each with a stable `code` to match on. */
export type PkiErrorCode =
  /** PEM text is missing, of the wrong type, or does not parse. */
  | 'InvalidPEM'
  /** A key of a type or size we do not sign with (e.g. RSA-PSS, Ed25519, P-521). */
  | 'UnsupportedKey'
  /** ca.crt exists but ca.key does not (an external CA, which k8ts cannot sign with). */
  | 'CAKeyMissing'
  /** The CA certificate is not a usable CA (no CA basic constraint, expired, or not self-consistent). */
  | 'CAInvalid'
  /** A private key does not belong to the certificate it was paired with. */
  | 'KeyMismatch'
  /** A kubeconfig file that does not have the shape we expect. */
  | 'InvalidKubeconfig';

export class PkiError extends Error {
  readonly code: PkiErrorCode;

  constructor(code: PkiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PkiError';
    this.code = code;
  }
}

export function isPkiError(err: unknown, code?: PkiErrorCode): err is PkiError {
  return err instanceof PkiError && (code === undefined || err.code === code);
}
