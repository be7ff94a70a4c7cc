/**
 * The HTTP prober (pkg/probe/http): one GET with the kubelet's headers, no keep-alive, TLS
 * without verification; 2xx and 3xx succeed with the body (at most 10 KiB) as output, other codes
 * fail with `HTTP probe failed with statuscode: <code>`; transport errors fail with Go's wording.
 * Redirects are followed (at most 10) while they stay on the same host; one to another host ends
 * the probe with a Warning (success) whose output carries the body.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { KUBELET_VERSION } from '../node-status.js';
import { goDialError, joinHostPort } from './go-errors.js';
import type { ActionOutcome, HTTPGetRequest } from './interface.js';

/** `kube-probe/<major>.<minor>` of the kubelet's version, as upstream's probes send. */
export const PROBE_USER_AGENT = `kube-probe/${KUBELET_VERSION.replace(/^v/, '').split('.').slice(0, 2).join('.')}`;
const MAX_BODY = 10 * 1024;
const MAX_REDIRECTS = 10;

/** The probe's URL: scheme://host:port/path (net/url formats IPv6 hosts in brackets). */
function probeURL(r: HTTPGetRequest): URL {
  const path = r.path.startsWith('/') ? r.path : `/${r.path}`;
  return new URL(`${r.scheme.toLowerCase()}://${joinHostPort(r.host, r.port)}${path}`);
}

/** The request headers: User-Agent and Accept unless the probe sets them; the probe's own otherwise. */
function requestHeaders(r: HTTPGetRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of r.headers) headers[h.name.toLowerCase()] = h.value;
  headers['user-agent'] ??= PROBE_USER_AGENT;
  headers['accept'] ??= '*/*';
  headers['connection'] = 'close';
  return headers;
}

interface Response {
  status: number;
  location: string | undefined;
  body: string;
}

function get(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'GET', headers, signal, rejectUnauthorized: false, agent: false }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_BODY) chunks.push(c.subarray(0, MAX_BODY - size));
        size += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs one HTTP probe against `r` within `timeoutMs`. */
export async function httpProbe(r: HTTPGetRequest, timeoutMs: number): Promise<ActionOutcome> {
  const first = probeURL(r);
  const headers = requestHeaders(r);
  const signal = AbortSignal.timeout(Math.max(1, timeoutMs));
  let url = first;
  for (let redirects = 0; ; redirects++) {
    let res: Response;
    try {
      res = await get(url, headers, signal);
    } catch (err) {
      if (signal.aborted) {
        return {
          result: 'Failure',
          output: `Get "${url.href}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
        };
      }
      return { result: 'Failure', output: `Get "${url.href}": ${goDialError(err, url.host)}` };
    }
    if (res.status >= 300 && res.status < 400 && res.location) {
      const next = new URL(res.location, url);
      if (next.hostname !== first.hostname)
        return { result: 'Warning', output: `Probe terminated redirects, Response body: ${res.body}`, statusCode: res.status };
      if (redirects + 1 >= MAX_REDIRECTS)
        return { result: 'Failure', output: `Get "${next.href}": stopped after ${MAX_REDIRECTS} redirects` };
      url = next;
      continue;
    }
    if (res.status >= 200 && res.status < 400) return { result: 'Success', output: res.body, statusCode: res.status };
    return { result: 'Failure', output: `HTTP probe failed with statuscode: ${res.status}`, statusCode: res.status };
  }
}
