/** Writing responses: objects in the negotiated rendering, Status errors, raw JSON. */
import type { ServerResponse } from 'node:http';
import { stringify as toYaml } from 'yaml';
import { StatusError, newInternalError, type Status } from '../../machinery/errors.js';

export function sendJSON(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, code: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendYAML(res: ServerResponse, code: number, body: unknown): void {
  sendText(res, code, toYaml(body), 'application/yaml');
}

export function statusOf(err: unknown): Status {
  if (err instanceof StatusError) return err.status;
  return newInternalError(err).status;
}

/**
 * A request that fails with anything but a Status error found a fault in the server, never in
 * what the client sent: it is logged with its stack (the method and path, never the body).
 */
function logServerFault(res: ServerResponse, err: unknown): void {
  const path = (res.req?.url ?? '').split('?')[0];
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  console.error(`apiserver: internal error serving ${res.req?.method ?? ''} ${path}: ${detail}`);
}

export function sendError(res: ServerResponse, err: unknown): void {
  if (!(err instanceof StatusError) || err.status.code === 500) logServerFault(res, err);
  const status = statusOf(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (status.code === 429 && status.details?.retryAfterSeconds) res.setHeader('Retry-After', String(status.details.retryAfterSeconds));
  sendJSON(res, status.code, status);
}

/** Warning headers, formatted like upstream: `299 - "text"`. */
export function addWarnings(res: ServerResponse, warnings: readonly string[]): void {
  if (warnings.length === 0) return;
  const unique = [...new Set(warnings)];
  res.setHeader(
    'Warning',
    unique.map((w) => `299 - "${w.replace(/["\\]/g, (c) => `\\${c}`)}"`),
  );
}
