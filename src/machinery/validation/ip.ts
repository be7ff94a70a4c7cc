/**
 * IP and CIDR checks (k8s.io/apimachinery/pkg/util/validation/ip.go). "Sloppy" parsing is
 * k8s.io/utils/net's ParseIPSloppy (IPv4 octets may have leading zeros); "strict" is Go's
 * netip. Canonical text is Go's net.IP.String().
 */
import { invalid, type FieldError, type PathLike } from './field.js';

interface ParsedIP {
  /** 4 bytes for dotted IPv4 text, 16 for IPv6 text. */
  bytes: number[];
  /** netip would reject it (leading zeros in an IPv4 octet). */
  sloppy: boolean;
}

function parseIPv4(s: string): ParsedIP | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  let sloppy = false;
  for (const p of parts) {
    if (!/^[0-9]+$/.test(p) || p.length > 8) return null;
    const v = Number(p);
    if (v > 255) return null;
    if (p.length > 1 && p.startsWith('0')) sloppy = true;
    bytes.push(v);
  }
  return { bytes, sloppy };
}

function parseIPv6(s: string): ParsedIP | null {
  let sloppy = false;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string, last: boolean): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const fields = part.split(':');
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] ?? '';
      if (last && i === fields.length - 1 && f.includes('.')) {
        const v4 = parseIPv4(f);
        if (!v4) return null;
        if (v4.sloppy) sloppy = true;
        out.push(...v4.bytes);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(f)) return null;
      const v = parseInt(f, 16);
      out.push(v >> 8, v & 0xff);
    }
    return out;
  };
  const head = groups(halves[0] ?? '', halves.length === 1);
  if (!head) return null;
  if (halves.length === 1) {
    if (head.length !== 16) return null;
    return { bytes: head, sloppy };
  }
  const tail = groups(halves[1] ?? '', true);
  if (!tail) return null;
  const fill = 16 - head.length - tail.length;
  if (fill < 2) return null;
  return { bytes: [...head, ...new Array<number>(fill).fill(0), ...tail], sloppy };
}

function parseAny(s: string): ParsedIP | null {
  for (const c of s) {
    if (c === '.') return parseIPv4(s);
    if (c === ':') return parseIPv6(s);
  }
  return null;
}

function isV4InV6(b: number[]): boolean {
  return b.length === 16 && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
}

/** Go's net.IP.String(). */
function ipString(b: number[]): string {
  if (b.length === 4) return b.join('.');
  if (isV4InV6(b)) return b.slice(12).join('.');
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]): string => xs.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(g);
  return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}

function parseIP(path: PathLike, value: string, strict: boolean): { ip: ParsedIP | null; errs: FieldError[] } {
  const ip = parseAny(value);
  if (!ip) return { ip: null, errs: [invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')] };
  const errs: FieldError[] = [];
  if (strict) {
    if (ip.sloppy) errs.push(invalid(path, value, 'must not have leading 0s'));
    else if (isV4InV6(ip.bytes)) errs.push(invalid(path, value, 'must not be an IPv4-mapped IPv6 address'));
  }
  return { ip, errs };
}

/** IsValidIP: strict and canonical. */
export function isValidIP(path: PathLike, value: string): FieldError[] {
  const { ip, errs } = parseIP(path, value, true);
  if (errs.length > 0 || !ip) return errs;
  const canonical = ipString(ip.bytes);
  if (value !== canonical) errs.push(invalid(path, value, `must be in canonical form ("${canonical}")`));
  return errs;
}

/** IsValidIPForLegacyField: non-canonical text allowed; leading zeros only when not strict. */
export function isValidIPForLegacyField(path: PathLike, value: string, strict: boolean, validOldIPs: readonly string[] = []): FieldError[] {
  if (validOldIPs.includes(value)) return [];
  return parseIP(path, value, strict).errs;
}

/** True for IPv4 text like 10.0.0.1 (after validation). */
export function isIPv4String(value: string): boolean {
  const ip = parseAny(value);
  return ip !== null && (ip.bytes.length === 4 || isV4InV6(ip.bytes));
}

/** True for IPv6 text (not IPv4-mapped). */
export function isIPv6String(value: string): boolean {
  const ip = parseAny(value);
  return ip !== null && ip.bytes.length === 16 && !isV4InV6(ip.bytes);
}

function parseCIDR(path: PathLike, value: string, strict: boolean): { net: string | null; errs: FieldError[] } {
  const bad = { net: null, errs: [invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')] };
  const slash = value.indexOf('/');
  if (slash < 0) return bad;
  const ip = parseAny(value.slice(0, slash));
  const lenText = value.slice(slash + 1);
  if (!ip || !/^[0-9]{1,8}$/.test(lenText)) return bad;
  const bits = Number(lenText);
  const total = ip.bytes.length * 8;
  if (bits > total) return bad;
  const masked = ip.bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
  const errs: FieldError[] = [];
  if (strict) {
    if (ip.sloppy || (lenText.length > 1 && lenText.startsWith('0'))) {
      errs.push(invalid(path, value, 'must not have leading 0s in IP or prefix length'));
    } else if (isV4InV6(ip.bytes)) {
      errs.push(invalid(path, value, 'must not have an IPv4-mapped IPv6 address'));
    } else if (masked.some((b, i) => b !== ip.bytes[i])) {
      errs.push(invalid(path, value, 'must not have bits set beyond the prefix length'));
    }
  }
  // Go's IPNet.String(): a 16-byte IPv4-mapped net prints as IPv4 with the 128-bit length.
  return { net: `${ipString(masked)}/${bits}`, errs };
}

/** IsValidCIDR: strict, subnet form, canonical. */
export function isValidCIDR(path: PathLike, value: string): FieldError[] {
  const { net, errs } = parseCIDR(path, value, true);
  if (errs.length > 0 || net === null) return errs;
  if (value !== net) errs.push(invalid(path, value, `must be in canonical form ("${net}")`));
  return errs;
}

export function isValidCIDRForLegacyField(
  path: PathLike,
  value: string,
  strict: boolean,
  validOldCIDRs: readonly string[] = [],
): FieldError[] {
  if (validOldCIDRs.includes(value)) return [];
  return parseCIDR(path, value, strict).errs;
}
