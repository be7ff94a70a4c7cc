/**
 * The service proxy's flags shared by `k8ts server` and `k8ts agent` (real nodes only) beside
 * --proxy-mode: `--healthz-bind-address` (kube-proxy's, default 0.0.0.0:10256; port 0 picks a
 * free one, an empty value disables the /healthz server).
 *
 *   PROXY_FLAG_NAMES · PROXY_FLAG_OPTIONS (for parseArgs) · parseHealthzBindAddress(value)
 */
import { isIPv4 } from 'node:net';
import { parsePort } from './server-flags.js';

export const PROXY_FLAG_NAMES = ['healthz-bind-address'] as const;

export const PROXY_FLAG_OPTIONS = {
  'healthz-bind-address': { type: 'string' },
} as const;

/** Where kube-proxy's /healthz listens; undefined when disabled (an empty value). */
export function parseHealthzBindAddress(value: string | undefined = '0.0.0.0:10256'): { host: string; port: number } | undefined {
  if (value === '') return undefined;
  const m = /^([\d.]+):(\d+)$/.exec(value);
  if (!m || !isIPv4(m[1] as string)) throw new Error(`--healthz-bind-address: want IPv4:PORT (or empty to disable), got "${value}"`);
  return { host: m[1] as string, port: parsePort('--healthz-bind-address', m[2] as string) };
}
