/**
 * Authentication by client certificate: a certificate signed by the cluster CA names the user
 * (CN) and groups (O). Requests without one are system:anonymous.
 */
import type { TLSSocket } from 'node:tls';
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../registry/context.js';

export const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

export interface Authenticator {
  /** The user of a request, or undefined when this authenticator has nothing to say. */
  authenticate(req: IncomingMessage): UserInfo | undefined | Promise<UserInfo | undefined>;
}

function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

export class X509Authenticator implements Authenticator {
  authenticate(req: IncomingMessage): UserInfo | undefined {
    const socket = req.socket as TLSSocket;
    if (typeof socket.getPeerCertificate !== 'function' || !socket.authorized) return undefined;
    const cert = socket.getPeerCertificate();
    if (!cert || !cert.subject) return undefined;
    const name = asList(cert.subject.CN)[0];
    if (!name) return undefined;
    const groups = asList(cert.subject.O);
    return { name, groups: [...groups, 'system:authenticated'] };
  }
}
