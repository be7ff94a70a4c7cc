/**
 * Forwarding a request to a node's kubelet: plain requests stream the kubelet's answer back
 * (a non-2xx answer becomes a Status, as upstream's GenericHttpResponseChecker makes one:
 * 400 BadRequest and 404 NotFound with the kubelet's text as message), and HTTP Upgrade
 * requests (exec, attach, portforward) are written to the kubelet as they came and then piped
 * byte for byte both ways (upgradeaware.go): the kubelet's 101 or error reaches the client as is.
 * Credentials of the caller (Authorization, impersonation) are not forwarded.
 */
import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { request } from 'node:https';
import type { Duplex } from 'node:stream';
import { type Status, StatusError } from '../../machinery/errors.js';
import { dialKubelet, type KubeletClientConfig, type KubeletEndpoint, newKubeletConnectionError } from './kubelet-connection.js';

const DROPPED = new Set(['authorization', 'host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer']);

function forwardedHeaders(headers: IncomingHttpHeaders, endpoint: KubeletEndpoint): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED.has(name) || name.startsWith('impersonate-')) continue;
    out[name] = value;
  }
  out['host'] = `${endpoint.nodeName}:${endpoint.port}`;
  return out;
}

const STATUS_TEXT = STATUS_CODES;

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

/** The Status for a kubelet's non-2xx answer. */
export function kubeletErrorStatus(code: number, body: string, resource: string, name: string): StatusError {
  const text = body.trim();
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code };
  const reason = REASONS[code];
  if (reason) status.reason = reason;
  if (code === 500) status.message = `Internal error occurred: ${text}`;
  else
    status.message =
      text || `the server responded with the status code ${code} but did not return more information (get ${resource} ${name})`;
  if (code !== 400) status.details = { name, kind: resource };
  return new StatusError(status);
}

export interface ProxyRequest {
  endpoint: KubeletEndpoint;
  client: KubeletClientConfig;
  /** The kubelet path with its query. */
  path: string;
  req: IncomingMessage;
  /** For error Statuses: e.g. pods/log and the object's name. */
  resource: string;
  name: string;
  /** Content-Type of a successful answer, when the kubelet's is not to be kept (logs: text/plain). */
  contentType?: string;
}

/** Forwards a plain request and streams the answer to `res`; flushes as it goes (logs -f). */
export async function proxyToKubelet(p: ProxyRequest, res: ServerResponse): Promise<void> {
  const socket = await dialKubelet(p.endpoint, p.client);
  const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
    const kreq = request({
      createConnection: () => socket,
      method: p.req.method ?? 'GET',
      path: p.path,
      headers: { ...forwardedHeaders(p.req.headers, p.endpoint), connection: 'close' },
    });
    kreq.once('response', resolve);
    kreq.once('error', (err) => reject(newKubeletConnectionError(err.message)));
    res.once('close', () => kreq.destroy());
    p.req.pipe(kreq);
  });
  const code = upstream.statusCode ?? 500;
  if (code < 200 || code > 206) {
    let body = '';
    for await (const chunk of upstream) if (body.length < 64 * 1024) body += String(chunk);
    throw kubeletErrorStatus(code, body, p.resource, p.name);
  }
  const headers: Record<string, string> = {};
  const type = p.contentType ?? upstream.headers['content-type'];
  if (type) headers['Content-Type'] = type;
  res.writeHead(code, headers);
  res.flushHeaders();
  upstream.on('data', (chunk: Buffer) => res.write(chunk));
  await new Promise<void>((resolve) => {
    upstream.once('end', resolve);
    upstream.once('close', resolve);
    res.once('close', () => {
      upstream.destroy();
      resolve();
    });
  });
  res.end();
}

/** Answers an Upgrade request that failed before it reached a kubelet with its Status (JSON) and closes. */
export function sendStatusOnSocket(socket: Duplex, err: unknown): void {
  if (socket.destroyed || !socket.writable) return;
  const status: Status =
    err instanceof StatusError
      ? err.status
      : {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: String((err as Error).message),
          reason: 'InternalError',
          code: 500,
        };
  const body = JSON.stringify(status);
  socket.end(
    `HTTP/1.1 ${status.code} ${STATUS_TEXT[status.code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Writes the Upgrade request to the kubelet as it came, then pipes both ways until either side closes. */
export async function proxyUpgradeToKubelet(p: Omit<ProxyRequest, 'contentType'>, client: { socket: Duplex; head: Buffer }): Promise<void> {
  const kubelet = await dialKubelet(p.endpoint, p.client);
  const headers = forwardedHeaders(p.req.headers, p.endpoint);
  let head = `${p.req.method ?? 'GET'} ${p.path} HTTP/1.1\r\n`;
  for (const [name, value] of Object.entries(headers)) for (const v of [value].flat()) head += `${name}: ${v}\r\n`;
  head += `connection: Upgrade\r\n\r\n`;
  kubelet.write(head);
  if (client.head.length > 0) kubelet.write(client.head);
  const close = (): void => {
    kubelet.destroy();
    client.socket.destroy();
  };
  kubelet.on('error', close);
  client.socket.on('error', close);
  kubelet.on('close', () => client.socket.end());
  client.socket.on('close', () => kubelet.destroy());
  kubelet.pipe(client.socket);
  client.socket.pipe(kubelet);
}
