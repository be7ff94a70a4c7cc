/**
 * Path elements of structured-merge-diff field paths: how one step from a node to a child is
 * named (a struct/map field, a list-map entry by its key fields, a set element by its value,
 * or a list index), their total order, their FieldsV1 spelling (`f:`, `k:`, `v:`, `i:`) and
 * their human spelling in conflict messages (`.spec.containers[name="c1"].image`).
 */

/** One key field of a list-map entry, e.g. `name="c1"`. */
export interface KeyField {
  readonly name: string;
  readonly value: unknown;
}

export type PathElement =
  | { readonly field: string }
  /** Key fields sorted by name. */
  | { readonly key: readonly KeyField[] }
  | { readonly value: unknown }
  | { readonly index: number };

export type FieldPath = readonly PathElement[];

export function fieldElement(name: string): PathElement {
  return { field: name };
}

/** A list-map key; the fields are sorted by name as upstream does. */
export function keyElement(fields: Record<string, unknown>): PathElement {
  const key = Object.keys(fields)
    .sort(compareStrings)
    .map((name) => ({ name, value: fields[name] }));
  return { key };
}

export function valueElement(value: unknown): PathElement {
  return { value };
}

export function indexElement(index: number): PathElement {
  return { index };
}

function rank(pe: PathElement): number {
  if ('field' in pe) return 0;
  if ('key' in pe) return 1;
  if ('value' in pe) return 2;
  return 3;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function valueRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (typeof v === 'object' && v !== null) return 4;
  return 5; // null
}

/** The total order of JSON values used by structured-merge-diff (numbers < strings < bools < lists < maps < null). */
export function compareValues(a: unknown, b: unknown): number {
  const ra = valueRank(a);
  const rb = valueRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 1:
      return compareStrings(a as string, b as string);
    case 2:
      return a === b ? 0 : a ? 1 : -1;
    case 3: {
      const la = a as unknown[];
      const lb = b as unknown[];
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const c = compareValues(la[i], lb[i]);
        if (c !== 0) return c;
      }
      return la.length - lb.length;
    }
    case 4: {
      const ma = a as Record<string, unknown>;
      const mb = b as Record<string, unknown>;
      const ka = Object.keys(ma).sort(compareStrings);
      const kb = Object.keys(mb).sort(compareStrings);
      for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
        const c = compareStrings(ka[i]!, kb[i]!) || compareValues(ma[ka[i]!], mb[kb[i]!]);
        if (c !== 0) return c;
      }
      return ka.length - kb.length;
    }
    default:
      return 0;
  }
}

/** Orders path elements: fields, then keys, then values, then indexes. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if ('field' in a && 'field' in b) return compareStrings(a.field, b.field);
  if ('key' in a && 'key' in b) {
    for (let i = 0; i < Math.min(a.key.length, b.key.length); i++) {
      const x = a.key[i]!;
      const y = b.key[i]!;
      const c = compareStrings(x.name, y.name) || compareValues(x.value, y.value);
      if (c !== 0) return c;
    }
    return a.key.length - b.key.length;
  }
  if ('value' in a && 'value' in b) return compareValues(a.value, b.value);
  if ('index' in a && 'index' in b) return a.index - b.index;
  return 0;
}

/** JSON the way Go's encoding/json writes it: sorted object keys, `<`, `>`, `&` escaped. */
export function goJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const obj = v as Record<string, unknown>;
    const parts = Object.keys(obj)
      .sort(compareStrings)
      .map((k) => `${goJson(k)}:${goJson(obj[k])}`);
    return `{${parts.join(',')}}`;
  }
  const s = JSON.stringify(v) ?? 'null';
  return s.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Spellings of key and value elements (path elements are immutable; these are dear to spell). */
const spellings = new WeakMap<PathElement, string>();

/** The FieldsV1 key of a path element: `f:name`, `k:{"name":"c1"}`, `v:"x"`, `i:0`. */
export function serializePathElement(pe: PathElement): string {
  if ('field' in pe) return `f:${pe.field}`;
  if ('index' in pe) return `i:${pe.index}`;
  let s = spellings.get(pe);
  if (s === undefined) {
    s = 'key' in pe ? `k:{${pe.key.map((f) => `${goJson(f.name)}:${goJson(f.value)}`).join(',')}}` : `v:${goJson(pe.value)}`;
    spellings.set(pe, s);
  }
  return s;
}

/** Parses a FieldsV1 key; returns undefined for element types a future version may add. */
export function deserializePathElement(s: string): PathElement | undefined {
  if (s.length < 2) throw new Error('key must be 2 characters long');
  if (s[1] !== ':') throw new Error(`missing colon: ${s}`);
  const body = s.slice(2);
  switch (s[0]) {
    case 'f':
      return { field: body };
    case 'v':
      return { value: JSON.parse(body) as unknown };
    case 'k': {
      const parsed = JSON.parse(body) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`invalid key: ${s}`);
      return keyElement(parsed as Record<string, unknown>);
    }
    case 'i': {
      if (!/^-?\d+$/.test(body)) throw new Error(`invalid index: ${s}`);
      return { index: Number(body) };
    }
    default:
      return undefined;
  }
}

/** Go's value.ToString, used inside `[...]` of human paths. */
function valueString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(valueString).join(',')}]`;
  const obj = v as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort(compareStrings)
    .map((k) => `${k}=${valueString(obj[k])}`)
    .join(',')}}`;
}

export function pathElementString(pe: PathElement): string {
  if ('field' in pe) return `.${pe.field}`;
  if ('key' in pe) return `[${pe.key.map((f) => `${f.name}=${valueString(f.value)}`).join(',')}]`;
  if ('value' in pe) return `[=${valueString(pe.value)}]`;
  return `[${pe.index}]`;
}

/** A path as upstream prints it in conflicts: `.data.key`, `.spec.containers[name="c1"].image`. */
export function pathString(path: FieldPath): string {
  return path.map(pathElementString).join('');
}
