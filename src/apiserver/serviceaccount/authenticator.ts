/** Bearer service-account tokens: valid signature, audience, and the ServiceAccount still exists with that UID. */
import type { IncomingMessage } from 'node:http';
import type { Authenticator } from '../authn/x509.js';
import type { UserInfo } from '../registry/context.js';
import type { TokenIssuer } from './tokens.js';
import type { KubeObject } from '../../machinery/object.js';

export class ServiceAccountTokenAuthenticator implements Authenticator {
  readonly #issuer: TokenIssuer;
  readonly #audiences: string[];
  readonly #lookup: (namespace: string, name: string) => KubeObject | undefined;

  constructor(options: { issuer: TokenIssuer; audiences: string[]; lookup: (namespace: string, name: string) => KubeObject | undefined }) {
    this.#issuer = options.issuer;
    this.#audiences = options.audiences;
    this.#lookup = options.lookup;
  }

  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) return undefined;
    const verified = await this.#issuer.verify(header.slice('Bearer '.length).trim(), this.#audiences);
    if (!verified) return undefined;
    const sa = this.#lookup(verified.namespace, verified.serviceAccountName);
    if (!sa || sa.metadata.uid !== verified.serviceAccountUID || sa.metadata.deletionTimestamp) return undefined;
    return {
      name: `system:serviceaccount:${verified.namespace}:${verified.serviceAccountName}`,
      uid: verified.serviceAccountUID,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${verified.namespace}`, 'system:authenticated'],
    };
  }
}
