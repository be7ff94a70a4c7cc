/**
 * The ingress controller's flags, shared by `k8ts server` and `k8ts agent` (real nodes only):
 * `--ingress-http-port` (80), `--ingress-https-port` (443), `--disable-ingress`.
 *
 *   INGRESS_FLAG_OPTIONS (for parseArgs) · parseIngressFlags(values): IngressFlags | undefined
 */
import { parsePort } from './server-flags.js';

/** The node's ingress ports; 0 takes any free port. */
export interface IngressFlags {
  httpPort: number;
  httpsPort: number;
}

export const INGRESS_FLAG_NAMES = ['ingress-http-port', 'ingress-https-port', 'disable-ingress'] as const;

export const INGRESS_FLAG_OPTIONS = {
  'ingress-http-port': { type: 'string' },
  'ingress-https-port': { type: 'string' },
  'disable-ingress': { type: 'boolean' },
} as const;

/** The ingress the flags ask for; undefined with --disable-ingress. */
export function parseIngressFlags(values: {
  'ingress-http-port'?: string | undefined;
  'ingress-https-port'?: string | undefined;
  'disable-ingress'?: boolean | undefined;
}): IngressFlags | undefined {
  const http = values['ingress-http-port'];
  const https = values['ingress-https-port'];
  if (values['disable-ingress']) {
    if (http !== undefined || https !== undefined)
      throw new Error('--disable-ingress: may not be given with --ingress-http-port or --ingress-https-port');
    return undefined;
  }
  return { httpPort: parsePort('--ingress-http-port', http ?? '80'), httpsPort: parsePort('--ingress-https-port', https ?? '443') };
}
