/**
 * `[]byte` fields: Go's encoding/json decodes their JSON string with base64.StdEncoding, which
 * skips `\r` and `\n`, requires padding, and reports the first bad byte as
 * `illegal base64 data at input byte N` (a CorruptInputError offset into the UTF-8 bytes).
 */

const WELL_FORMED = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const LF = 0x0a;
const CR = 0x0d;
const PAD = 0x3d;

function isAlphabet(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) || // A-Z
    (b >= 0x61 && b <= 0x7a) || // a-z
    (b >= 0x30 && b <= 0x39) || // 0-9
    b === 0x2b || // +
    b === 0x2f // /
  );
}

function isNewline(b: number | undefined): boolean {
  return b === LF || b === CR;
}

/** Where one 4-character quantum starting at `si` goes wrong: [next si, error offset or -1, done]. */
function decodeQuantum(src: Buffer, start: number): [number, number, boolean] {
  let si = start;
  for (let j = 0; j < 4; j++) {
    if (si === src.length) {
      if (j === 0) return [si, -1, true];
      return [si, si - j, true];
    }
    const b = src[si] as number;
    si++;
    if (isAlphabet(b)) continue;
    if (isNewline(b)) {
      j--;
      continue;
    }
    if (b !== PAD) return [si, si - 1, true];
    // padding: only in the third or fourth place of a quantum
    if (j < 2) return [si, si - 1, true];
    if (j === 2) {
      while (si < src.length && isNewline(src[si])) si++;
      if (si === src.length) return [si, src.length, true];
      if (src[si] !== PAD) return [si, si - 1, true];
      si++;
    }
    while (si < src.length && isNewline(src[si])) si++;
    return [si, si < src.length ? si : -1, true];
  }
  return [si, -1, false];
}

/** The offset of the first byte Go's StdEncoding rejects, or undefined when `text` decodes. */
export function base64ErrorOffset(text: string): number | undefined {
  if (WELL_FORMED.test(text)) return undefined;
  const src = Buffer.from(text, 'utf8');
  let si = 0;
  for (;;) {
    const [next, offset, done] = decodeQuantum(src, si);
    if (offset >= 0) return offset;
    if (done) return undefined;
    si = next;
  }
}
