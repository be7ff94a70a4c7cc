/**
 * Content negotiation: which representation an Accept header asks for, read parameter by
 * parameter (a `v=v2` test on the raw text also matches `v=v2beta1`; see kubectl-wire.md §1).
 */

export interface MediaRange {
  type: string;
  subtype: string;
  params: Record<string, string>;
  q: number;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [{ type: '*', subtype: '*', params: {}, q: 1 }];
  const out: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [mt, ...rawParams] = part.split(';').map((s) => s.trim());
    if (!mt) continue;
    const [type, subtype] = mt.toLowerCase().split('/');
    if (!type || !subtype) continue;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const k = p.slice(0, eq).trim().toLowerCase();
      const v = p
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, '');
      if (k === 'q') q = Number(v);
      else params[k] = v;
    }
    out.push({ type, subtype, params, q });
  }
  return out.filter((m) => m.q > 0);
}

/** How an object or list response is rendered. */
export type Rendering =
  | { kind: 'object'; format: 'json' | 'yaml' }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'partial'; version: 'v1' | 'v1beta1' };

function isJsonLike(m: MediaRange): boolean {
  return (
    (m.type === 'application' && m.subtype === 'json') ||
    (m.type === '*' && m.subtype === '*') ||
    (m.type === 'application' && m.subtype === '*')
  );
}

/**
 * Chooses the response rendering for API objects. Protobuf is never produced; JSON is always
 * acceptable to the clients we serve (kubectl-wire.md §0). Returns undefined when nothing
 * acceptable is offered (406).
 */
export function negotiateRendering(accept: string | undefined): Rendering | undefined {
  for (const m of parseAccept(accept)) {
    const as = m.params['as'];
    if (as) {
      if (m.type !== 'application' || m.subtype !== 'json') continue;
      const g = m.params['g'];
      const v = m.params['v'];
      if (g !== 'meta.k8s.io' || (v !== 'v1' && v !== 'v1beta1')) continue;
      if (as === 'Table') return { kind: 'table', version: v };
      if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { kind: 'partial', version: v };
      continue;
    }
    if (m.type === 'application' && (m.subtype === 'yaml' || m.subtype === 'x-yaml')) return { kind: 'object', format: 'yaml' };
    if (isJsonLike(m)) return { kind: 'object', format: 'json' };
    if (m.type === 'application' && m.subtype === 'vnd.kubernetes.protobuf') continue;
  }
  return undefined;
}

export type DiscoveryFormat = { kind: 'aggregated'; version: 'v2' | 'v2beta1' } | { kind: 'legacy' };

/** Chooses between aggregated discovery (apidiscovery.k8s.io v2 / v2beta1) and the legacy documents. */
export function negotiateDiscovery(accept: string | undefined): DiscoveryFormat | undefined {
  for (const m of parseAccept(accept)) {
    if (m.params['as'] !== undefined) {
      const known = new Set(['as', 'g', 'v']);
      if (Object.keys(m.params).some((k) => !known.has(k))) continue;
      if (m.type !== 'application' || m.subtype !== 'json') continue;
      if (m.params['as'] !== 'APIGroupDiscoveryList' || m.params['g'] !== 'apidiscovery.k8s.io') continue;
      const v = m.params['v'];
      if (v === 'v2' || v === 'v2beta1') return { kind: 'aggregated', version: v };
      continue;
    }
    if (Object.keys(m.params).length > 0) continue;
    if (isJsonLike(m)) return { kind: 'legacy' };
    if (m.type === 'application' && m.subtype === 'vnd.kubernetes.protobuf') continue;
  }
  return undefined;
}
