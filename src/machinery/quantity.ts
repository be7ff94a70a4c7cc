/**
 * resource.Quantity (k8s.io/apimachinery/pkg/api/resource): exact decimal amounts with SI,
 * binary-SI or exponent suffixes, held as bigint × 10^scale so nothing drifts. Parsing rounds
 * up to nano units and prints the canonical form upstream prints ("1000m" → "1", "1536Mi").
 */

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

export const ERR_FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";

/** A string that is not a quantity. `code` is stable; `message` is upstream's text. */
export class QuantityParseError extends Error {
  readonly code = 'InvalidQuantity';

  constructor(message: string) {
    super(message);
    this.name = 'QuantityParseError';
  }
}

const NANO = -9;
const MAX_INT64 = 9223372036854775807n;
const MIN_INT64 = -9223372036854775808n;

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXP = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_EXP = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));

const pow10 = (n: number): bigint => 10n ** BigInt(n);
const abs = (v: bigint): bigint => (v < 0n ? -v : v);

/** Divides by 10^n, rounding away from zero (upstream's RoundUp). */
function divRoundUp(v: bigint, n: number): bigint {
  const d = pow10(n);
  const q = v / d;
  if (q * d === v) return q;
  return v < 0n ? q - 1n : q + 1n;
}

export class Quantity {
  /** The amount is value × 10^scale. */
  readonly #value: bigint;
  readonly #scale: number;
  readonly format: QuantityFormat;
  /** The original text when it was already canonical (upstream keeps it verbatim). */
  readonly #cached: string | undefined;

  constructor(value: bigint, scale: number, format: QuantityFormat, cached?: string) {
    this.#value = value;
    this.#scale = scale;
    this.format = format;
    this.#cached = cached;
  }

  /** The amount as value × 10^scale with no trailing factors of ten (scale ≥ -9 after parse). */
  get amount(): { value: bigint; scale: number } {
    let v = this.#value;
    let s = this.#scale;
    if (v === 0n) return { value: 0n, scale: 0 };
    while (v % 10n === 0n) {
      v /= 10n;
      s++;
    }
    return { value: v, scale: s };
  }

  isZero(): boolean {
    return this.#value === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.#value === 0n ? 0 : this.#value < 0n ? -1 : 1;
  }

  /** The amount in units of 10^scale, rounded away from zero (ScaledValue). */
  scaledValueBig(scale: number): bigint {
    const diff = this.#scale - scale;
    return diff >= 0 ? this.#value * pow10(diff) : divRoundUp(this.#value, -diff);
  }

  /** Value(): whole units, rounded up away from zero. */
  valueBig(): bigint {
    return this.scaledValueBig(0);
  }

  value(): number {
    return Number(this.valueBig());
  }

  /** MilliValue(): thousandths, rounded up away from zero. */
  milliValueBig(): bigint {
    return this.scaledValueBig(-3);
  }

  milliValue(): number {
    return Number(this.milliValueBig());
  }

  asApproximateFloat64(): number {
    return Number(this.#value) * 10 ** this.#scale;
  }

  /** -1, 0 or 1 as this is less than, equal to or more than y. */
  cmp(y: Quantity): -1 | 0 | 1 {
    const s = Math.min(this.#scale, y.#scale);
    const a = this.#value * pow10(this.#scale - s);
    const b = y.#value * pow10(y.#scale - s);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equal(y: Quantity): boolean {
    return this.cmp(y) === 0;
  }

  /** This plus y, keeping this format (y's when this is zero). */
  add(y: Quantity): Quantity {
    const s = Math.min(this.#scale, y.#scale);
    const v = this.#value * pow10(this.#scale - s) + y.#value * pow10(y.#scale - s);
    return new Quantity(v, s, this.isZero() ? y.format : this.format);
  }

  sub(y: Quantity): Quantity {
    return this.add(y.neg()).#withFormat(this.isZero() ? y.format : this.format);
  }

  neg(): Quantity {
    return new Quantity(-this.#value, this.#scale, this.format);
  }

  /** Mul(y int64). */
  mul(y: number | bigint): Quantity {
    return new Quantity(this.#value * BigInt(y), this.#scale, this.format);
  }

  #withFormat(format: QuantityFormat): Quantity {
    return new Quantity(this.#value, this.#scale, format);
  }

  /** The canonical text (what the API serves). */
  toString(): string {
    if (this.#cached !== undefined) return this.#cached;
    if (this.#value === 0n) return '0';
    let format = this.format;
    if (format === 'BinarySI') {
      const small = this.cmp(new Quantity(-1024n, 0, 'DecimalSI')) > 0 && this.cmp(new Quantity(1024n, 0, 'DecimalSI')) < 0;
      // Below 1024, or not a whole number: shown as DecimalSI so nothing is rounded.
      if (small || this.amount.scale < 0) format = 'DecimalSI';
    }
    if (format === 'BinarySI') {
      let v = this.scaledValueBig(0);
      let e = 0;
      while (abs(v) >= 1024n && v % 1024n === 0n) {
        v /= 1024n;
        e += 10;
      }
      // Like upstream, an exponent past Ei has no suffix.
      return `${v}${BINARY_BY_EXP.get(e) ?? ''}`;
    }
    let { value: v, scale: e } = this.amount;
    const r = ((e % 3) + 3) % 3;
    if (r !== 0) {
      v *= pow10(r);
      e -= r;
    }
    if (format === 'DecimalExponent') return e === 0 ? `${v}` : `${v}e${e}`;
    // Like upstream, an exponent past E (or below n) has no suffix.
    return `${v}${DECIMAL_BY_EXP.get(e) ?? ''}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** resource.ParseQuantity. Throws QuantityParseError. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityParseError(ERR_FORMAT_WRONG);
  if (str === '0') return new Quantity(0n, 0, 'DecimalSI', str);
  const m = /^([+-]?)(0*)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(str);
  if (!m) throw new QuantityParseError(ERR_FORMAT_WRONG);
  const positive = m[1] !== '-';
  let num = m[3] ?? '';
  const hasDot = m[4] !== undefined;
  const denom = m[4] ?? '';
  const suffix = m[5] ?? '';
  // Upstream stops when the sign and leading zeros run to the end ("-", "00", "-0" are 0).
  if (!num && !hasDot && suffix === '') return new Quantity(0n, 0, 'DecimalSI');
  if (!num) num = '0';
  const interpreted = interpretSuffix(suffix);
  if (!interpreted) throw new QuantityParseError(ERR_SUFFIX);
  const { base, exponent } = interpreted;
  let format = interpreted.format;

  const digits = BigInt(num + denom);
  const signed = positive ? digits : -digits;

  // Upstream's fast path keeps the text verbatim when it is already canonical.
  let cached: string | undefined;
  if (base === 10) {
    const scale = exponent - denom.length;
    const precision = 18 - (num.length + denom.length);
    const shifted = num + denom;
    if (precision >= 0 && scale >= NANO && scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0') cached = str;
  } else if (denom.length === 0) {
    const precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
    const result = digits << BigInt(exponent);
    if (precision >= 0 && result <= MAX_INT64 && (digits & 7n) !== 0n) cached = str;
  }

  // The exact amount as value × 10^scale.
  let value: bigint;
  let scale: number;
  if (base === 10) {
    value = signed;
    scale = exponent - denom.length;
  } else {
    value = signed << BigInt(exponent);
    scale = -denom.length;
  }
  // Round non-zero amounts up (away from zero) to nano units.
  if (scale < NANO) {
    const shift = NANO - scale;
    // Far below a nano unit: any non-zero amount rounds up to one.
    value = shift > abs(value).toString().length + 1 ? BigInt(Math.sign(Number(value))) : divRoundUp(value, shift);
    scale = NANO;
  }
  if (format === 'BinarySI') {
    const q = new Quantity(value, scale, format);
    if (q.cmp(new Quantity(MAX_INT64, 0, format)) > 0) {
      value = MAX_INT64;
      scale = 0;
    } else if (q.cmp(new Quantity(-MAX_INT64, 0, format)) < 0) {
      value = -MAX_INT64;
      scale = 0;
    }
    // Between zero and one: BinarySI cannot show it, so DecimalSI.
    if (value !== 0n && new Quantity(abs(value), scale, format).cmp(new Quantity(1n, 0, format)) < 0) format = 'DecimalSI';
  }
  return new Quantity(value, scale, format, cached);
}

function interpretSuffix(s: string): { base: 2 | 10; exponent: number; format: QuantityFormat } | undefined {
  const dec = DECIMAL_SUFFIXES[s];
  if (dec !== undefined && Object.hasOwn(DECIMAL_SUFFIXES, s)) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BINARY_SUFFIXES[s];
  if (bin !== undefined && Object.hasOwn(BINARY_SUFFIXES, s)) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E')) {
    const rest = s.slice(1);
    if (!/^[+-]?[0-9]+$/.test(rest)) return undefined;
    const e = BigInt(rest);
    if (e > MAX_INT64 || e < MIN_INT64) return undefined;
    // Go truncates to int32.
    return { base: 10, exponent: Number(BigInt.asIntN(32, e)), format: 'DecimalExponent' };
  }
  return undefined;
}

/** True when parseQuantity accepts the string. */
export function isValidQuantity(str: string): boolean {
  try {
    parseQuantity(str);
    return true;
  } catch {
    return false;
  }
}

/** The form a JSON field holds: a string, or a number (printed the way JSON.parse gives it). */
export function quantityFromJSON(v: unknown): Quantity {
  if (typeof v === 'string') return parseQuantity(v.trim());
  if (typeof v === 'number' && Number.isFinite(v)) return parseQuantity(String(v));
  throw new QuantityParseError(ERR_FORMAT_WRONG);
}

/** NewQuantity(value, format). */
export function newQuantity(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
  return new Quantity(BigInt(value), 0, format);
}

/** NewMilliQuantity(value, format). */
export function newMilliQuantity(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
  return new Quantity(BigInt(value), -3, format);
}

/** NewScaledQuantity(value, scale): value × 10^scale, DecimalSI. */
export function newScaledQuantity(value: number | bigint, scale: number): Quantity {
  return new Quantity(BigInt(value), scale, 'DecimalSI');
}

/** The canonical text of a quantity string (throws on bad input). */
export function canonicalQuantity(str: string): string {
  return parseQuantity(str).toString();
}
