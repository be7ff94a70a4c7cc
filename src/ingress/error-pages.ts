/**
 * The answers the ingress gives itself, shaped as ingress-nginx's: its default backend's 404 for
 * requests no rule matches, 503 when a backend has no ready endpoint, 502 when the endpoint fails.
 */
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

const REASONS = { 404: 'Not Found', 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable' } as const;
export type ErrorCode = keyof typeof REASONS;

/** nginx's HTML error page for `code`. */
export function errorPage(code: ErrorCode): string {
  const title = `${code} ${REASONS[code]}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>k8ts</center>\r\n</body>\r\n</html>\r\n`;
}

/** Answers `code` on an HTTP response. */
export function sendError(res: ServerResponse, code: ErrorCode): void {
  const body = errorPage(code);
  res.writeHead(code, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Answers `code` on a raw socket (an upgrade request) and closes it. */
export function sendErrorOnSocket(socket: Duplex, code: ErrorCode): void {
  const body = errorPage(code);
  socket.end(
    `HTTP/1.1 ${code} ${REASONS[code]}\r\ncontent-type: text/html\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
