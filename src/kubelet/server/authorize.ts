/**
 * Who may use the kubelet server: only the apiserver, by its kubelet-client certificate (CN
 * kube-apiserver-kubelet-client, signed by the cluster's client CA). No verified certificate is
 * 401 Unauthorized; any other identity is 403 with upstream's message (server/auth.go).
 */
import type { TLSSocket } from 'node:tls';
import { identityFromCertificate } from '../../pki/client-identity.js';
import { apiServerKubeletClientCommonName } from '../../pki/layout.js';
import { KubeletHttpError } from './interface.js';

/** Upstream's resource and subresource of a kubelet path (server/auth.go NodeRequestAttributesGetter). */
export function kubeletSubresource(pathname: string): string {
  const first = pathname.split('/').filter((s) => s !== '')[0] ?? '';
  if (first === 'stats') return 'stats';
  if (first === 'metrics') return 'metrics';
  if (first === 'logs') return 'log';
  if (first === 'pods') return 'pods';
  return 'proxy';
}

/** Throws a 401 or 403 KubeletHttpError unless the request's client certificate is the apiserver's. */
export function authorizeKubeletRequest(socket: TLSSocket, method: string, pathname: string): void {
  const cert = typeof socket.getPeerCertificate === 'function' && socket.authorized ? socket.getPeerCertificate() : undefined;
  const identity = cert && Object.keys(cert).length > 0 ? identityFromCertificate(cert) : null;
  if (!identity) throw new KubeletHttpError(401, 'Unauthorized');
  if (identity.user === apiServerKubeletClientCommonName) return;
  const verb = method === 'GET' || method === 'HEAD' ? 'get' : method === 'POST' ? 'create' : method.toLowerCase();
  throw new KubeletHttpError(
    403,
    `Forbidden (user=${identity.user}, verb=${verb}, resource=nodes, subresource(s)=[${kubeletSubresource(pathname)}])`,
  );
}
