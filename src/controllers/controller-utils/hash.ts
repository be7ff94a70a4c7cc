/**
 * controller.ComputeHash: the pod-template-hash. Upstream hashes a Go dump of the template
 * with FNV-32a; we hash a canonical JSON serialization (sorted keys, empty members dropped) the
 * same way, append the collision count as 8 little-endian bytes (uint32 in the first four), and
 * render the decimal sum through rand.SafeEncodeString, so names look like upstream's
 * (`nginx-bdf578756`).
 */
import { NAME_SUFFIX_ALPHABET } from '../../machinery/names.js';

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** FNV-1a, 32 bits, continuing from `seed` (the running hash). */
export function fnv32a(bytes: Uint8Array, seed = FNV32_OFFSET): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, FNV32_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** JSON with object keys sorted at every level and undefined members dropped. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
}

/**
 * The template as Go sees it: upstream hashes a typed struct, where an absent field, null, an
 * empty list, an empty map and an empty struct look alike (`resources: {}` from kubectl create,
 * `creationTimestamp: null` in template metadata). Members left empty are dropped, recursively,
 * so templates equal under equality.Semantic hash alike.
 */
export function withoutEmptyMembers(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutEmptyMembers);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const pruned = withoutEmptyMembers(x);
    if (pruned === undefined || pruned === null) continue;
    if (Array.isArray(pruned) && pruned.length === 0) continue;
    if (typeof pruned === 'object' && !Array.isArray(pruned) && Object.keys(pruned).length === 0) continue;
    out[k] = pruned;
  }
  return out;
}

/** rand.SafeEncodeString: each byte mapped into the vowel-free alphabet (b % 27). */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += NAME_SUFFIX_ALPHABET[s.charCodeAt(i) % NAME_SUFFIX_ALPHABET.length];
  return out;
}

export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJson(withoutEmptyMembers(template))));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}
