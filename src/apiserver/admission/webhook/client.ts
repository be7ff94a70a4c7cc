/**
 * Posts an AdmissionReview to a webhook over HTTPS: clientConfig.url, or clientConfig.service
 * resolved to a ready endpoint and verified as `<name>.<namespace>.svc`; caBundle (or the
 * system roots) verifies the server; the webhook's timeout bounds the call. Failures are
 * Errors with Go's wording where clients match on it ("connection refused",
 * "context deadline exceeded").
 */
import { request } from 'node:https';
import type { ServiceResolver, WebhookClientConfig } from './interface.js';

/** Largest webhook response read (upstream's limit on AdmissionReview bodies is of this order). */
const MAX_RESPONSE_BYTES = 3 * 1024 * 1024;

export interface PostOptions {
  clientConfig: WebhookClientConfig;
  body: unknown;
  timeoutSeconds: number;
  services?: ServiceResolver;
}

interface Target {
  /** What upstream's error messages show (Go's url.URL: no "/" added to an empty path). */
  url: string;
  host: string;
  port: number;
  path: string;
  servername?: string;
}

function target(cc: WebhookClientConfig, timeoutSeconds: number, services: ServiceResolver | undefined): Target {
  const query = `?timeout=${timeoutSeconds}s`;
  if (cc.url !== undefined) {
    const u = new URL(cc.url);
    const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    const shown = /^[a-z]+:\/\/[^/]+\//i.test(cc.url) ? u.pathname : '';
    return { url: `${u.protocol}//${u.host}${shown}${query}`, host, port: Number(u.port) || 443, path: `${u.pathname}${query}` };
  }
  const svc = cc.service;
  if (!svc) throw new Error('neither url nor service set in webhook client config');
  const servername = `${svc.name}.${svc.namespace}.svc`;
  const path = `${svc.path || '/'}${query}`;
  const url = `https://${servername}:${svc.port}${svc.path ?? ''}${query}`;
  if (!services) throw new Error(`Post "${url}": no service resolver`);
  try {
    const endpoint = services.resolve(svc.namespace, svc.name, svc.port);
    return { url, host: endpoint.host, port: endpoint.port, path, servername };
  } catch (err) {
    throw new Error(`Post "${url}": ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Go's wording of a network failure, for the messages clients read. */
function describe(err: NodeJS.ErrnoException, t: Target): string {
  const addr = t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${addr}: connect: connection refused`;
    case 'ECONNRESET':
      return `read tcp ${addr}: read: connection reset by peer`;
    case 'EHOSTUNREACH':
      return `dial tcp ${addr}: connect: no route to host`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    default:
      return err.message;
  }
}

/** POSTs the review and returns the decoded JSON answer; throws an Error saying what failed. */
export function postAdmissionReview(options: PostOptions): Promise<unknown> {
  const t = target(options.clientConfig, options.timeoutSeconds, options.services);
  const payload = Buffer.from(JSON.stringify(options.body));
  return new Promise((resolve, reject) => {
    const fail = (msg: string) => reject(new Error(`Post "${t.url}": ${msg}`));
    const req = request({
      host: t.host,
      port: t.port,
      path: t.path,
      method: 'POST',
      ...(t.servername ? { servername: t.servername } : {}),
      ...(options.clientConfig.caBundle ? { ca: options.clientConfig.caBundle } : {}),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': payload.length },
    });
    const timer = setTimeout(() => {
      req.destroy();
      fail('context deadline exceeded');
    }, options.timeoutSeconds * 1000);
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      fail(describe(err, t));
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_RESPONSE_BYTES) {
          req.destroy();
          clearTimeout(timer);
          fail(`response body larger than ${MAX_RESPONSE_BYTES} bytes`);
          return;
        }
        chunks.push(c);
      });
      res.on('error', () => undefined);
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        const code = res.statusCode ?? 0;
        if (code < 200 || code > 299) {
          resolveError(code, text, reject);
          return;
        }
        try {
          resolve(JSON.parse(text));
        } catch (err) {
          reject(new Error(`Post "${t.url}": ${err instanceof Error ? err.message : String(err)}`));
        }
      });
    });
    req.end(payload);
  });
}

/** A non-2xx answer: the Status's message when the body is one, else the generic server error text. */
function resolveError(code: number, text: string, reject: (err: Error) => void): void {
  try {
    const status = JSON.parse(text) as { kind?: string; message?: string };
    if (status.kind === 'Status' && status.message) {
      reject(new Error(status.message));
      return;
    }
  } catch {
    // not a Status
  }
  const body = text.trim();
  reject(
    new Error(
      body
        ? `an error on the server (${JSON.stringify(body)}) has prevented the request from succeeding`
        : `the server responded with the status code ${code} but did not return more information`,
    ),
  );
}
