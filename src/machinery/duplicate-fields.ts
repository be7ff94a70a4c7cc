/**
 * Duplicate fields of a JSON document. JSON.parse keeps the last of two equal keys silently;
 * upstream's strict decoder (sigs.k8s.io/json) reports each as `duplicate field "metadata.name"`
 * for fieldValidation (Strict: 400, Warn: a warning). The text is scanned once, iteratively,
 * after JSON.parse accepted it, so it is known to be well-formed; paths are only spelled out
 * for the duplicates found.
 */

interface Frame {
  readonly parent: Frame | undefined;
  /** Where this container sits in its parent: a key of an object, or an index of an array. */
  readonly at: string | number | undefined;
  /** Keys seen so far in an object; undefined for an array. */
  readonly keys: string[] | undefined;
  /** The current key of an object, or the current index of an array. */
  current: string | number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/** Where the string starting at `start` (a quote) ends, just past its closing quote. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    i += c === BACKSLASH ? 2 : 1;
  }
}

/** The strict decoder's path of `key` in `frame`: keys joined by dots, indexes in brackets. */
function pathOf(frame: Frame, key: string): string {
  const parts: (string | number)[] = [key];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) parts.push(f.at as string | number);
  let out = '';
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i] as string | number;
    out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  }
  return out;
}

/** Paths of the keys that appear twice in one object (the second and later times), in document order. */
export function duplicateFields(text: string): string[] {
  const out: string[] = [];
  let top: Frame | undefined;
  const anyEscape = text.includes('\\');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20) continue;
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      // a string in an object is a key when a colon follows it
      let j = end;
      while (text.charCodeAt(j) <= 0x20) j++;
      if (top?.keys && text.charCodeAt(j) === COLON) {
        const raw = text.slice(i + 1, end - 1);
        const key = anyEscape && raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.keys.includes(key)) out.push(pathOf(top, key));
        else top.keys.push(key);
        top.current = key;
        i = j;
      } else i = end - 1;
    } else if (c === 0x7b || c === 0x5b) {
      top = { parent: top, at: top?.current, keys: c === 0x7b ? [] : undefined, current: 0 };
    } else if (c === 0x7d || c === 0x5d) {
      top = top?.parent;
    } else if (c === 0x2c && top && !top.keys) {
      top.current = (top.current as number) + 1;
    }
  }
  return out;
}
