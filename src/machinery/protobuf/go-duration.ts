/**
 * Go's time.Duration text form ("1h2m3.5s", "150ms", "0s"), which metav1.Duration uses in JSON,
 * and its nanosecond count, which it uses in protobuf.
 */

const UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** The fraction `v / 10^prec` as ".ddd" with trailing zeros dropped, and the integer part. */
function fraction(v: bigint, prec: number): [string, bigint] {
  let digits = '';
  let printed = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    printed ||= digit !== 0n;
    if (printed) digits = `${digit}${digits}`;
    v /= 10n;
  }
  return [printed ? `.${digits}` : '', v];
}

/** Formats nanoseconds like Go's Duration.String(). */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const sign = ns < 0n ? '-' : '';
  let u = ns < 0n ? -ns : ns;
  if (u < 1_000_000_000n) {
    if (u < 1_000n) return `${sign}${u}ns`;
    if (u < 1_000_000n) {
      const [frac, int] = fraction(u, 3);
      return `${sign}${int}${frac}µs`;
    }
    const [frac, int] = fraction(u, 6);
    return `${sign}${int}${frac}ms`;
  }
  const [frac, secs] = fraction(u, 9);
  u = secs;
  let out = `${u % 60n}${frac}s`;
  u /= 60n;
  if (u > 0n) {
    out = `${u % 60n}m${out}`;
    u /= 60n;
    if (u > 0n) out = `${u}h${out}`;
  }
  return sign + out;
}

/** Parses Go's duration syntax into nanoseconds; throws on anything time.ParseDuration rejects. */
export function parseGoDuration(text: string): bigint {
  const bad = (): Error => new Error(`time: invalid duration ${JSON.stringify(text)}`);
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw bad();
  let total = 0n;
  const part = /^(\d*)(?:\.(\d*))?([^\d.]+)/;
  while (s !== '') {
    const m = part.exec(s);
    if (!m) throw bad();
    const [whole, int = '', frac, unitName = ''] = m;
    if (int === '' && (frac === undefined || frac === '')) throw bad();
    const unit = UNITS[unitName];
    if (unit === undefined) throw new Error(`time: unknown unit ${JSON.stringify(unitName)} in duration ${JSON.stringify(text)}`);
    total += BigInt(int || '0') * unit;
    if (frac) total += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    s = s.slice(whole.length);
  }
  if (total > 2n ** 63n - 1n) throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
  return negative ? -total : total;
}
