/**
 * IntOrString (k8s.io/apimachinery/pkg/util/intstr): a JSON number or string, used for ports
 * and for counts given as "25%" (maxSurge, maxUnavailable, minAvailable…).
 */
import { invalid, type FieldError, type PathLike } from './validation/field.js';
import { isValidPercent } from './validation/formats.js';

export type IntOrString = number | string;

/** Go's strconv.Atoi error text. */
function atoi(s: string): { value: number } | { error: string } {
  if (!/^[+-]?[0-9]+$/.test(s)) return { error: `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax` };
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) {
    return { error: `strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range` };
  }
  return { value: Number(v) };
}

export function isIntOrString(v: unknown): v is IntOrString {
  return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'string';
}

/** IntOrString.IntValue(): a string that is not a number gives 0. */
export function intValue(v: IntOrString): number {
  if (typeof v === 'number') return v;
  const r = atoi(v);
  return 'value' in r ? r.value : 0;
}

/** IntOrString.String(). */
export function intOrStringToString(v: IntOrString): string {
  return typeof v === 'number' ? String(v) : v;
}

/** Thrown by getScaledValueFromIntOrPercent; `message` is upstream's text. */
export class IntOrStringError extends Error {
  readonly code = 'InvalidIntOrString';

  constructor(message: string) {
    super(message);
    this.name = 'IntOrStringError';
  }
}

/**
 * GetScaledValueFromIntOrPercent: an int as is; "N%" of total, rounded up or down. A string
 * without '%' is an error ("invalid type: string is not a percentage").
 */
export function getScaledValueFromIntOrPercent(v: IntOrString | null | undefined, total: number, roundUp: boolean): number {
  if (v === null || v === undefined) throw new IntOrStringError('nil value for IntOrString');
  if (typeof v === 'number') return v;
  if (!v.endsWith('%')) throw new IntOrStringError('invalid value for IntOrString: invalid type: string is not a percentage');
  const r = atoi(v.slice(0, -1));
  if ('error' in r) throw new IntOrStringError(`invalid value for IntOrString: invalid value ${JSON.stringify(v)}: ${r.error}`);
  const scaled = (r.value * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * The checks core validation applies to IntOrString percent fields (ValidatePositiveIntOrPercent):
 * a string must be a valid percent, an int must not be negative.
 */
export function validatePositiveIntOrPercent(v: IntOrString, path: PathLike): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => invalid(path, v, m));
  return v < 0 ? [invalid(path, v, 'must be greater than or equal to 0')] : [];
}

/** Whether a value is a percent string ("25%"). */
export function isPercent(v: IntOrString): v is string {
  return typeof v === 'string' && v.endsWith('%');
}
