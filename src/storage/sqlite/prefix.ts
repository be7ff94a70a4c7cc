/**
 * Key ranges for literal prefixes.
 *
 * SQLite compares TEXT with memcmp over UTF-8 (the BINARY collation), the same byte order
 * etcd uses, and UTF-8 byte order is code-point order. So every key that starts with
 * `prefix` lies in [prefix, prefixEnd(prefix)), where prefixEnd bumps the last code point
 * that can still grow. Undefined means "no upper bound" (empty prefix, or only U+10FFFF).
 */

const MAX_CODE_POINT = 0x10ffff;
const SURROGATE_START = 0xd800;
const SURROGATE_END = 0xdfff;

/** The least string greater than every string starting with `prefix`, if any. */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop() as string;
    const code = last.codePointAt(0) as number;
    if (code < MAX_CODE_POINT) {
      const next = code + 1 === SURROGATE_START ? SURROGATE_END + 1 : code + 1;
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}
