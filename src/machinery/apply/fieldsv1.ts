/**
 * Sets of field paths (structured-merge-diff's fieldpath.Set) and their FieldsV1 JSON form,
 * the `fieldsV1` of a managedFields entry:
 *
 *   {"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c1\"}":{".":{},"f:image":{}}}}}
 *
 * A node is a member when its path itself is in the set; children hold longer paths. In
 * FieldsV1 a member without children is `{}`, and a member with children carries `".":{}`.
 */
import { comparePathElements, deserializePathElement, serializePathElement, type FieldPath, type PathElement } from './path-element.js';

interface ChildNode {
  readonly pe: PathElement;
  readonly set: FieldSet;
}

export class FieldSet {
  /** Members and children are keyed by the FieldsV1 spelling of their path element. */
  readonly #memberMap = new Map<string, PathElement>();
  readonly #childMap = new Map<string, ChildNode>();
  /**
   * FieldsV1 of a stored entry not read yet (see fromStoredFieldsV1): a node is parsed when it
   * is first looked at, so a status update never parses the spec its creator owns.
   */
  #raw: object | undefined;

  get #members(): Map<string, PathElement> {
    if (this.#raw !== undefined) this.#parse();
    return this.#memberMap;
  }

  get #children(): Map<string, ChildNode> {
    if (this.#raw !== undefined) this.#parse();
    return this.#childMap;
  }

  static of(...paths: FieldPath[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds a path; the empty path is ignored as upstream does. */
  insert(path: FieldPath): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) node = node.#descend(path[i]!);
    const last = path[path.length - 1]!;
    node.#members.set(serializePathElement(last), last);
  }

  /** The set of paths under `pe` (created empty when absent), for building a set while walking an object. */
  child(pe: PathElement): FieldSet {
    return this.#descend(pe);
  }

  /** Adds `pe` as a member of this node: the one-element path, relative to where this set sits. */
  addMember(pe: PathElement): void {
    this.#members.set(serializePathElement(pe), pe);
  }

  #descend(pe: PathElement): FieldSet {
    const k = serializePathElement(pe);
    let child = this.#children.get(k);
    if (!child) {
      child = { pe, set: new FieldSet() };
      this.#children.set(k, child);
    }
    return child.set;
  }

  has(path: FieldPath): boolean {
    if (path.length === 0) return false;
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.#children.get(serializePathElement(path[i]!))?.set;
    // biome-ignore lint/complexity/useOptionalChain: TypeScript allows no optional chain through a #private field
    return node !== undefined && node.#members.has(serializePathElement(path[path.length - 1]!));
  }

  /** True if pe is a member of this node (not a path prefix). */
  hasMember(pe: PathElement): boolean {
    return this.#members.has(serializePathElement(pe));
  }

  /** The subset of paths under pe, without the pe prefix (empty if none). */
  withPrefix(pe: PathElement): FieldSet {
    return this.#children.get(serializePathElement(pe))?.set ?? new FieldSet();
  }

  isEmpty(): boolean {
    if (this.#members.size > 0) return false;
    for (const c of this.#children.values()) if (!c.set.isEmpty()) return false;
    return true;
  }

  /** Member path elements of this node, in upstream order. */
  memberElements(): PathElement[] {
    return [...this.#members.values()].sort(comparePathElements);
  }

  /** Child nodes of this node, in upstream order. */
  childNodes(): ChildNode[] {
    return [...this.#children.values()].sort((a, b) => comparePathElements(a.pe, b.pe));
  }

  static #build(members: Iterable<PathElement>, children: Iterable<ChildNode>): FieldSet {
    const out = new FieldSet();
    for (const m of members) out.#members.set(serializePathElement(m), m);
    for (const c of children) if (!c.set.isEmpty()) out.#children.set(serializePathElement(c.pe), c);
    return out;
  }

  /*
   * union, difference and recursiveDifference return `this` itself when the result would equal
   * it: a manager whose fields did not change keeps the very set it was decoded into, and its
   * stored FieldsV1 is written back as it was (Managed.decoded) instead of being encoded again.
   */

  union(other: FieldSet): FieldSet {
    if (other === this) return this;
    let members: Map<string, PathElement> | undefined;
    for (const [k, v] of other.#members) if (!this.#members.has(k)) (members ??= new Map(this.#members)).set(k, v);
    let children: Map<string, ChildNode> | undefined;
    for (const [k, c] of other.#children) {
      const mine = this.#children.get(k);
      if (!mine) {
        if (!c.set.isEmpty()) (children ??= new Map(this.#children)).set(k, c);
        continue;
      }
      const set = mine.set.union(c.set);
      if (set !== mine.set) (children ??= new Map(this.#children)).set(k, { pe: mine.pe, set });
    }
    if (!members && !children) return this;
    return FieldSet.#build((members ?? this.#members).values(), (children ?? this.#children).values());
  }

  intersection(other: FieldSet): FieldSet {
    const members = [...this.#members].filter(([k]) => other.#members.has(k)).map(([, v]) => v);
    const children: ChildNode[] = [];
    for (const [k, c] of this.#children) {
      const theirs = other.#children.get(k);
      if (theirs) children.push({ pe: c.pe, set: c.set.intersection(theirs.set) });
    }
    return FieldSet.#build(members, children);
  }

  /** Paths of this set that are not in other (children compared path by path). */
  difference(other: FieldSet): FieldSet {
    return this.#without(other, false);
  }

  /** Like difference, but a member of other also removes everything below it. */
  recursiveDifference(other: FieldSet): FieldSet {
    return this.#without(other, true);
  }

  #without(other: FieldSet, recursive: boolean): FieldSet {
    if (other.#members.size === 0 && other.#children.size === 0) return this;
    let same = true;
    const members: PathElement[] = [];
    for (const [k, v] of this.#members) {
      if (other.#members.has(k)) same = false;
      else members.push(v);
    }
    const children: ChildNode[] = [];
    for (const [k, c] of this.#children) {
      if (recursive && other.#members.has(k)) {
        same = false;
        continue;
      }
      const theirs = other.#children.get(k);
      const set = theirs ? c.set.#without(theirs.set, recursive) : c.set;
      if (set !== c.set) same = false;
      children.push(set === c.set ? c : { pe: c.pe, set });
    }
    return same ? this : FieldSet.#build(members, children);
  }

  /** Every member path: this node's members first, then each child's, depth first. */
  paths(): FieldPath[] {
    const out: FieldPath[] = [];
    const walk = (s: FieldSet, prefix: PathElement[]): void => {
      for (const m of s.memberElements()) out.push([...prefix, m]);
      for (const c of s.childNodes()) walk(c.set, [...prefix, c.pe]);
    };
    walk(this, []);
    return out;
  }

  size(): number {
    return this.paths().length;
  }

  /** Same paths; subtrees shared by both sets (see union) are not walked. */
  equals(other: FieldSet): boolean {
    if (other === this) return true;
    const members = this.#members;
    if (members.size !== other.#members.size) return false;
    for (const k of members.keys()) if (!other.#members.has(k)) return false;
    for (const [k, c] of this.#children) {
      const theirs = other.#children.get(k);
      if (theirs ? !c.set.equals(theirs.set) : !c.set.isEmpty()) return false;
    }
    for (const [k, c] of other.#children) if (!this.#children.has(k) && !c.set.isEmpty()) return false;
    return true;
  }

  /** The FieldsV1 JSON object for this set. */
  toFieldsV1(): Record<string, unknown> {
    return emit(this, false);
  }

  /** Parses FieldsV1; unknown element types are dropped, malformed keys throw. */
  static fromFieldsV1(fields: unknown): FieldSet {
    const out = FieldSet.fromStoredFieldsV1(fields);
    out.#parse(true);
    return out;
  }

  /**
   * FieldsV1 the server stored itself (canonical, checked when written), read lazily: each node
   * is parsed on first use. A malformed key then throws where the node is first used.
   */
  static fromStoredFieldsV1(fields: unknown): FieldSet {
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      throw new Error('FieldsV1 must be a JSON object');
    }
    const out = new FieldSet();
    out.#raw = fields;
    return out;
  }

  /** Reads this node's FieldsV1 into members and children; `deep` parses the children too. */
  #parse(deep = false): void {
    const fields = this.#raw as Record<string, unknown>;
    this.#raw = undefined;
    for (const k in fields) {
      if (k === '.') continue;
      const pe = deserializePathElement(k);
      if (pe === undefined) continue;
      // a field's key is already its canonical spelling; others are spelled again canonically
      const key = 'field' in pe ? k : serializePathElement(pe);
      const v = fields[k];
      const obj = typeof v === 'object' && v !== null ? v : {};
      let self = false;
      let below = false;
      for (const x in obj) {
        if (x === '.') self = true;
        else below = true;
      }
      if (self || !below) this.#memberMap.set(key, pe);
      if (below) {
        const child = deep ? FieldSet.fromFieldsV1(obj) : FieldSet.fromStoredFieldsV1(obj);
        if (!deep || !child.isEmpty()) this.#childMap.set(key, { pe, set: child });
      }
    }
  }

  /** Members and non-empty children as FieldsV1 entries in upstream order, keyed by spelling. */
  entries(): { key: string; pe: PathElement; child: FieldSet | undefined; member: boolean }[] {
    const out: { key: string; pe: PathElement; child: FieldSet | undefined; member: boolean }[] = [];
    for (const [key, pe] of this.#members) {
      const c = this.#children.get(key);
      out.push({ key, pe, child: c && !c.set.isEmpty() ? c.set : undefined, member: true });
    }
    for (const [key, c] of this.#children) {
      if (!this.#members.has(key) && !c.set.isEmpty()) out.push({ key, pe: c.pe, child: c.set, member: false });
    }
    return out.sort((a, b) => comparePathElements(a.pe, b.pe));
  }

  toString(): string {
    return JSON.stringify(this.toFieldsV1());
  }
}

function emit(s: FieldSet, includeSelf: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const entries = s.entries();
  if (includeSelf && entries.length > 0) out['.'] = {};
  for (const e of entries) out[e.key] = e.child ? emit(e.child, e.member) : {};
  return out;
}
