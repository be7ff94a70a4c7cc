/** Plain answers of the kubelet server's routes. */
import type { ServerResponse } from 'node:http';
import { KubeletHttpError, type KubeletRouteContext } from './interface.js';

/** The response of a route that does not take upgrades. */
export function responseOf(ctx: KubeletRouteContext): ServerResponse {
  if (!ctx.res) throw new KubeletHttpError(400, 'this path does not take an upgrade');
  return ctx.res;
}

export function sendKubeletJSON(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendKubeletText(res: ServerResponse, text: string): void {
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
