/**
 * String formats a CRD schema may name (upstream's supported strfmt formats). Unknown formats
 * are not checked, as upstream drops them from the validator.
 */
import { isIPv4String, isIPv6String } from '../../machinery/validation/index.js';

const HOSTNAME = /^(?=.{1,255}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID_V = (v: number): RegExp => new RegExp(`^[0-9a-f]{8}-?[0-9a-f]{4}-?${v}[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$`, 'i');
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})?$/;
const DURATION = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*(?:ns|us|µs|ms|s|m|h|d|w)\s*)+$/;
const MAC = /^(?:[0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$|^(?:[0-9a-fA-F]{4}\.){2}[0-9a-fA-F]{4}$/;
const HEX_COLOR = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const RGB_COLOR = /^rgb\(\s*\d{1,3}%?\s*,\s*\d{1,3}%?\s*,\s*\d{1,3}%?\s*\)$/;
const BSON_OBJECT_ID = /^[0-9a-fA-F]{24}$/;
const BYTE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function isDate(v: string): boolean {
  if (!DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

function isCIDR(v: string): boolean {
  const [ip, bits, more] = v.split('/');
  if (ip === undefined || bits === undefined || more !== undefined || !/^\d{1,3}$/.test(bits)) return false;
  if (isIPv4String(ip)) return Number(bits) <= 32;
  return isIPv6String(ip) && Number(bits) <= 128;
}

function isURI(v: string): boolean {
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

const CHECKS: Record<string, (v: string) => boolean> = {
  bsonobjectid: (v) => BSON_OBJECT_ID.test(v),
  uri: isURI,
  email: (v) => EMAIL.test(v),
  hostname: (v) => HOSTNAME.test(v),
  ipv4: isIPv4String,
  ipv6: isIPv6String,
  cidr: isCIDR,
  mac: (v) => MAC.test(v),
  uuid: (v) => UUID.test(v),
  uuid3: (v) => UUID_V(3).test(v),
  uuid4: (v) => UUID_V(4).test(v),
  uuid5: (v) => UUID_V(5).test(v),
  hexcolor: (v) => HEX_COLOR.test(v),
  rgbcolor: (v) => RGB_COLOR.test(v),
  byte: (v) => BYTE.test(v),
  date: isDate,
  'date-time': (v) => DATE_TIME.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T'))),
  datetime: (v) => DATE_TIME.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T'))),
  duration: (v) => DURATION.test(v),
};

/** True when `value` has `format` (or the format is one upstream does not check). */
export function checkFormat(format: string, value: string): boolean {
  const check = CHECKS[format];
  return check ? check(value) : true;
}
