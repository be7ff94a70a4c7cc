/**
 * Schema-aware walks over JSON objects (structured-merge-diff's typed package): the set of
 * fields an object sets, the comparison of two objects (added / modified / removed fields),
 * the merge of an applied configuration into a live object, and removal of field paths.
 * An absent value is `undefined`; `null` is a present value.
 */
import { FieldSet } from './fieldsv1.js';
import { fieldElement, keyElement, pathString, serializePathElement, valueElement, type PathElement } from './path-element.js';
import { childSchema, elementSchema, isObject, keyDefault, pairShape, shapeOf, type Schema } from './schema.js';
import { jsonEqual } from '../json-equal.js';

/** A value that does not fit its schema (e.g. a list-map entry without its key). */
export class TypedValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TypedValueError';
  }
}

/** The path element naming one item of a set or list-map. */
export function listItemElement(s: Schema, item: unknown, where: () => string): PathElement {
  if (s.kind === 'list' && s.relationship === 'map') {
    if (!isObject(item)) throw new TypedValueError(`${where()}: associative list with keys may not have non-map elements`);
    const key: Record<string, unknown> = {};
    for (const k of s.keys) {
      if (item[k] !== undefined) key[k] = item[k];
      else {
        const d = keyDefault(s, k);
        if (d !== undefined) key[k] = d;
      }
    }
    if (Object.keys(key).length === 0) {
      throw new TypedValueError(
        `${where()}: associative list with keys has an element that omits all key fields ${JSON.stringify(s.keys)} (and doesn't have default values for any key fields)`,
      );
    }
    return keyElement(key);
  }
  if (isObject(item)) throw new TypedValueError(`${where()}: associative list without keys has an element that's a map type`);
  if (Array.isArray(item)) throw new TypedValueError(`${where()}: not supported: associative list with lists as elements`);
  if (item === null) throw new TypedValueError(`${where()}: associative list without keys has an element that's an explicit null`);
  return valueElement(item);
}

function items(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function entries(v: unknown): Record<string, unknown> {
  return isObject(v) ? v : {};
}

/** The fields an object sets (typed.ToFieldSet). */
export function toFieldSet(value: unknown, schema: Schema): FieldSet {
  const set = new FieldSet();
  const visit = (v: unknown, s: Schema, path: PathElement[]): void => {
    const shape = shapeOf(s, v);
    if (shape === 'leaf' || shape === 'atomic') {
      set.insert(path);
      return;
    }
    if (shape === 'list') {
      const elem = elementSchema(s);
      const list = items(v);
      const pes = list.map((item, i) => listItemElement(s, item, () => `${pathString(path)}: element ${i}`));
      const seen = new Map<string, number>();
      for (const pe of pes) seen.set(JSON.stringify(pe), (seen.get(JSON.stringify(pe)) ?? 0) + 1);
      const dupDone = new Set<string>();
      list.forEach((item, i) => {
        const pe = pes[i]!;
        const id = JSON.stringify(pe);
        if ((seen.get(id) ?? 0) > 1) {
          if (!dupDone.has(id)) set.insert([...path, pe]);
          dupDone.add(id);
          return;
        }
        visit(item, elem, [...path, pe]);
        set.insert([...path, pe]);
      });
      return;
    }
    for (const [k, child] of Object.entries(entries(v))) {
      if (child === undefined) continue;
      const c = childSchema(s, k);
      const p = [...path, fieldElement(k)];
      visit(child, c.schema, p);
      if (child === null || (isObject(child) && Object.keys(child).length === 0) || !c.named) set.insert(p);
    }
  };
  visit(value, schema, []);
  return set;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function isSame(c: Comparison): boolean {
  return c.added.isEmpty() && c.modified.isEmpty() && c.removed.isEmpty();
}

/** Index list items by path element; repeated elements keep the first item. */
function indexItems(s: Schema, list: unknown[], where: () => string): Array<{ id: string; pe: PathElement; item: unknown }> {
  const out: Array<{ id: string; pe: PathElement; item: unknown }> = [];
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const pe = listItemElement(s, item, () => `${where()}: element ${i}`);
    const id = serializePathElement(pe);
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ id, pe, item });
  });
  return out;
}

/** Fields added, modified and removed going from lhs to rhs (typed.Compare), without `ignored` paths. */
export function compare(lhs: unknown, rhs: unknown, schema: Schema, ignored?: FieldSet): Comparison {
  if (ignored && !ignored.isEmpty()) return excludeFields(compareTopLevel(lhs, rhs, schema, ignored), ignored);
  return compareTopLevel(lhs, rhs, schema, undefined);
}

type Outcome = 0 | 1 | 2; // added, modified, removed

/**
 * A place in the walk, with the nodes of the three result sets at that path, made only when
 * something is recorded below it: recording is one member insert, not a walk from the root.
 */
class Place {
  readonly #parent: Place | undefined;
  readonly #pe: PathElement | undefined;
  readonly #sets: (FieldSet | undefined)[];

  constructor(parent: Place | undefined, pe: PathElement | undefined, roots?: FieldSet[]) {
    this.#parent = parent;
    this.#pe = pe;
    this.#sets = roots ?? [undefined, undefined, undefined];
  }

  /** The place of a child path element. */
  at(pe: PathElement): Place {
    return new Place(this, pe);
  }

  /** Records this place's path as added, modified or removed (the root path is never recorded). */
  record(outcome: Outcome): void {
    if (this.#parent && this.#pe) this.#parent.#set(outcome).addMember(this.#pe);
  }

  #set(outcome: Outcome): FieldSet {
    let set = this.#sets[outcome];
    if (!set) {
      set = (this.#parent as Place).#set(outcome).child(this.#pe as PathElement);
      this.#sets[outcome] = set;
    }
    return set;
  }

  /** The path, for error messages. */
  path(): string {
    const pes: PathElement[] = [];
    for (let p: Place | undefined = this; p !== undefined && p.#pe !== undefined; p = p.#parent) pes.unshift(p.#pe);
    return pathString(pes);
  }
}

/** compare, but top-level fields that are members of `skip` are not walked at all. */
function compareTopLevel(lhs: unknown, rhs: unknown, schema: Schema, skip: FieldSet | undefined): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  const root = new Place(undefined, undefined, [c.added, c.modified, c.removed]);
  const leaf = (l: unknown, r: unknown, at: Place): void => {
    if (l === undefined) at.record(0);
    else if (r === undefined) at.record(2);
    else if (!jsonEqual(l, r)) at.record(1);
  };
  const walk = (l: unknown, r: unknown, s: Schema, at: Place): void => {
    const shape = pairShape(s, l, r);
    if (shape === 'leaf' || shape === 'atomic') return leaf(l, r, at);
    if (shape === 'list') {
      const li = items(l);
      const ri = items(r);
      if (li.length === 0 && ri.length === 0) return leaf(l, r, at);
      const elem = elementSchema(s);
      const where = () => at.path();
      const lIdx = indexItems(s, li, where);
      const rIdx = indexItems(s, ri, where);
      const lMap = new Map(lIdx.map((x) => [x.id, x.item]));
      const rIds = new Set(rIdx.map((x) => x.id));
      for (const x of rIdx) {
        const lx = lMap.get(x.id);
        // an item that did not change has nothing below it to record
        if (lx === undefined || !jsonEqual(lx, x.item)) walk(lx, x.item, elem, at.at(x.pe));
      }
      for (const x of lIdx) if (!rIds.has(x.id)) walk(x.item, undefined, elem, at.at(x.pe));
    } else {
      const lm = entries(l);
      const rm = entries(r);
      if (Object.keys(lm).length === 0 && Object.keys(rm).length === 0) return leaf(l, r, at);
      const keys = new Set([...Object.keys(lm), ...Object.keys(rm)]);
      for (const k of keys) {
        const lk = lm[k];
        const rk = rm[k];
        // a field that did not change (most of any update) is not walked
        if (lk === undefined ? rk === undefined : rk !== undefined && jsonEqual(lk, rk)) continue;
        const pe = fieldElement(k);
        if (at === root && skip?.hasMember(pe)) continue;
        walk(lk, rk, childSchema(s, k).schema, at.at(pe));
      }
    }
    if (l === undefined) at.record(0);
    else if (r === undefined) at.record(2);
  };
  walk(lhs, rhs, schema, root);
  return c;
}

/** Removes the given paths from a comparison, with everything below them. */
export function excludeFields(c: Comparison, ignored: FieldSet | undefined): Comparison {
  if (!ignored || ignored.isEmpty()) return c;
  return {
    added: c.added.recursiveDifference(ignored),
    modified: c.modified.recursiveDifference(ignored),
    removed: c.removed.recursiveDifference(ignored),
  };
}

/** Adds named struct fields that have owned children as members (fieldpath EnsureNamedFieldsAreMembers). */
export function ensureNamedFieldsAreMembers(set: FieldSet, schema: Schema): FieldSet {
  const out = new FieldSet();
  const walk = (s: FieldSet, sc: Schema, path: PathElement[]): void => {
    for (const m of s.memberElements()) out.insert([...path, m]);
    for (const child of s.childNodes()) {
      let next: Schema;
      if ('field' in child.pe) {
        const c = childSchema(sc, child.pe.field);
        if (c.named) out.insert([...path, child.pe]);
        next = c.schema;
      } else {
        next = elementSchema(sc);
      }
      walk(child.set, next, [...path, child.pe]);
    }
  };
  walk(set, schema, []);
  return out;
}
