/**
 * Kubernetes' CEL string-side libraries that cel-js lacks: regex (find, findAll), the strings
 * extension (charAt, replace, reverse, format, strings.quote) and url (url, isURL, getScheme,
 * getHost, getHostname, getPort, getEscapedPath, getQuery).
 */
import type { Environment } from '@marcbachmann/cel-js';
import { celTypeName } from './values.js';

/** A compiled regular expression per pattern string (patterns are mostly constants). */
const patterns = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'gu');
    if (patterns.size > 1000) patterns.clear();
    patterns.set(pattern, re);
  }
  re.lastIndex = 0;
  return re;
}

function findAll(s: string, pattern: string, limit: bigint): string[] {
  const out: string[] = [];
  if (limit === 0n) return out;
  for (const m of s.matchAll(regex(pattern))) {
    out.push(m[0]);
    if (limit > 0n && BigInt(out.length) >= limit) break;
  }
  return out;
}

/** cel-go's string formatting: %s %d %f %e %b %o %x %X %% with an optional precision. */
function format(template: string, args: unknown[]): string {
  let i = 0;
  return template.replace(/%(\.\d+)?([sdfeboxX%])/g, (_, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) throw new Error(`index ${i} out of range`);
    const arg = args[i++];
    const digits = precision ? Number(precision.slice(1)) : 6;
    switch (verb) {
      case 's':
        return formatString(arg);
      case 'd':
        if (typeof arg !== 'bigint')
          throw new Error(`error during formatting: decimal clause can only be used on integers, was given ${celTypeName(arg)}`);
        return arg.toString();
      case 'f':
        return Number(arg).toFixed(digits);
      case 'e':
        return Number(arg)
          .toExponential(digits)
          .replace(/e([+-])(\d)$/, 'e$10$2');
      case 'b':
        return integer(arg).toString(2);
      case 'o':
        return integer(arg).toString(8);
      default: {
        const hex = typeof arg === 'string' ? Buffer.from(arg).toString('hex') : integer(arg).toString(16);
        return verb === 'X' ? hex.toUpperCase() : hex;
      }
    }
  });
}

function integer(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  throw new Error(`error during formatting: only integers can be formatted this way, was given ${celTypeName(v)}`);
}

function formatString(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(formatString).join(', ')}]`;
  if (v === null || v === undefined) return 'null';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${formatString(x)}`)
      .join(', ')}}`;
  return String(v);
}

/** A parsed URL (the `url` type of Kubernetes' url library). */
export class KubernetesURL {
  constructor(readonly url: URL) {}
}

function parseURL(s: string): KubernetesURL {
  // upstream takes absolute URLs and absolute paths
  try {
    return new KubernetesURL(s.startsWith('/') ? new URL(s, 'x-relative:///') : new URL(s));
  } catch {
    throw new Error(`URL parse error during conversion from string: parse "${s}": invalid URL`);
  }
}

/** The receiver of `strings.quote(…)`. */
class StringsNamespace {}

export function registerStringLibrary(env: Environment): void {
  env.registerFunction('string.find(string): string', (s: string, p: string) => findAll(s, p, 1n)[0] ?? '');
  env.registerFunction('string.findAll(string): list<string>', (s: string, p: string) => findAll(s, p, -1n));
  env.registerFunction('string.findAll(string, int): list<string>', findAll);
  env.registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
    const chars = [...s];
    if (i < 0n || i > BigInt(chars.length)) throw new Error(`index out of range: ${i}`);
    return chars[Number(i)] ?? '';
  });
  env.registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) => s.replaceAll(a, b));
  env.registerFunction('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) => {
    let out = s;
    let from = 0;
    for (let k = 0n; n < 0n || k < n; k++) {
      const at = out.indexOf(a, from);
      if (at < 0) break;
      out = out.slice(0, at) + b + out.slice(at + a.length);
      from = at + b.length + (a === '' ? 1 : 0);
    }
    return out;
  });
  env.registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''));
  env.registerFunction('string.format(list): string', format);
  env.registerType('kubernetes.Strings', StringsNamespace);
  env.registerConstant('strings', 'kubernetes.Strings', new StringsNamespace());
  env.registerFunction('kubernetes.Strings.quote(string): string', (_: StringsNamespace, s: string) => JSON.stringify(s));
  env.registerType('kubernetes.URL', KubernetesURL);
  env.registerFunction('url(string): kubernetes.URL', parseURL);
  env.registerFunction('isURL(string): bool', (s: string) => {
    try {
      parseURL(s);
      return true;
    } catch {
      return false;
    }
  });
  const relative = (u: URL): boolean => u.protocol === 'x-relative:';
  env.registerFunction('kubernetes.URL.getScheme(): string', (u: KubernetesURL) => (relative(u.url) ? '' : u.url.protocol.slice(0, -1)));
  env.registerFunction('kubernetes.URL.getHost(): string', (u: KubernetesURL) => u.url.host);
  env.registerFunction('kubernetes.URL.getHostname(): string', (u: KubernetesURL) => u.url.hostname.replace(/^\[(.*)\]$/, '$1'));
  env.registerFunction('kubernetes.URL.getPort(): string', (u: KubernetesURL) => u.url.port);
  env.registerFunction('kubernetes.URL.getEscapedPath(): string', (u: KubernetesURL) => u.url.pathname);
  env.registerFunction('kubernetes.URL.getQuery(): map', (u: KubernetesURL) => {
    const out: Record<string, string[]> = {};
    for (const [k, v] of u.url.searchParams) (out[k] ??= []).push(v);
    return out;
  });
}
