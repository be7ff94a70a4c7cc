/**
 * Authentication by client certificate: a certificate signed by the cluster CA names the user
 * (CN) and groups (O). Requests without one are system:anonymous.
 */
import type { TLSSocket } from 'node:tls';
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../registry/context.js';
import { identityFromCertificate } from '../../pki/client-identity.js';

export const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

export interface Authenticator {
  /** The user of a request, or undefined when this authenticator has nothing to say. */
  authenticate(req: IncomingMessage): UserInfo | undefined | Promise<UserInfo | undefined>;
}

export class X509Authenticator implements Authenticator {
  /** The certificate is the connection's: read it once per TLS connection, not per request. */
  readonly #byConnection = new WeakMap<TLSSocket, UserInfo | null>();

  authenticate(req: IncomingMessage): UserInfo | undefined {
    const socket = req.socket as TLSSocket;
    if (typeof socket.getPeerCertificate !== 'function' || !socket.authorized) return undefined;
    let user = this.#byConnection.get(socket);
    if (user === undefined) {
      user = this.#fromCertificate(socket) ?? null;
      this.#byConnection.set(socket, user);
    }
    return user ?? undefined;
  }

  #fromCertificate(socket: TLSSocket): UserInfo | undefined {
    const identity = identityFromCertificate(socket.getPeerCertificate());
    if (!identity) return undefined;
    return { name: identity.user, groups: [...identity.groups, 'system:authenticated'] };
  }
}
