/**
 * Merging an applied configuration into a live object (typed.Merge) and removing field paths
 * from an object (typed.RemoveItems), both schema-aware: list-maps merge entry by entry by
 * key, sets element by element, atomic lists and maps are replaced whole.
 */
import type { FieldSet } from './fieldsv1.js';
import { fieldElement, pathString, type PathElement } from './path-element.js';
import { childSchema, elementSchema, isObject, pairShape, shapeOf, type Schema } from './schema.js';
import { listItemElement, TypedValueError } from './typed.js';

interface Indexed {
  readonly id: string;
  readonly pe: PathElement;
  readonly item: unknown;
}

function index(
  s: Schema,
  list: unknown[],
  path: PathElement[],
  allowDuplicates: boolean,
): { order: Indexed[]; byId: Map<string, unknown> } {
  const order: Indexed[] = [];
  const byId = new Map<string, unknown>();
  list.forEach((item, i) => {
    const pe = listItemElement(s, item, () => `${pathString(path)}: element ${i}`);
    const id = JSON.stringify(pe);
    if (byId.has(id)) {
      if (!allowDuplicates) throw new TypedValueError(`${pathString(path)}: duplicate entries for key ${pathString([pe])}`);
      // Duplicated items are not merged with the new value.
      byId.set(id, null);
    } else {
      byId.set(id, item);
    }
    order.push({ id, pe, item });
  });
  return { order, byId };
}

/**
 * Merges list items: RHS order wins for shared and new items, LHS-only items keep their place
 * relative to the shared ones (structured-merge-diff's visitListItems).
 */
function mergeList(s: Schema, l: unknown[], r: unknown[], path: PathElement[]): unknown[] {
  const elem = elementSchema(s);
  const rhs = index(s, r, path, false);
  const lhs = index(s, l, path, true);
  const shared = rhs.order.filter((x) => lhs.byId.has(x.id)).map((x) => x.id);
  let nextShared = shared.shift();
  const mergedRHS = new Set<string>();
  const out: unknown[] = [];
  const push = (pe: PathElement, lChild: unknown, rChild: unknown): void => {
    const v = mergeValue(lChild, rChild, elem, [...path, pe]);
    if (v !== undefined) out.push(v);
  };
  let lI = 0;
  let rI = 0;
  while (lI < lhs.order.length || rI < rhs.order.length) {
    if (lI < lhs.order.length && rI < rhs.order.length) {
      const x = lhs.order[lI]!;
      if (x.id === rhs.order[rI]!.id) {
        mergedRHS.add(x.id);
        push(x.pe, lhs.byId.get(x.id), rhs.byId.get(x.id));
        lI++;
        rI++;
        nextShared = shared.shift();
        continue;
      }
      if (rhs.byId.has(x.id) && nextShared !== undefined && nextShared !== x.id) {
        lI++;
        continue;
      }
    }
    if (lI < lhs.order.length) {
      const x = lhs.order[lI]!;
      if (!rhs.byId.has(x.id)) {
        push(x.pe, x.item, undefined);
        lI++;
        continue;
      } else if (mergedRHS.has(x.id)) {
        lI++;
      }
    }
    if (rI < rhs.order.length) {
      const y = rhs.order[rI]!;
      mergedRHS.add(y.id);
      push(y.pe, lhs.byId.get(y.id), y.item);
      rI++;
      if (nextShared === y.id) nextShared = shared.shift();
    }
  }
  return out;
}

function mergeValue(l: unknown, r: unknown, s: Schema, path: PathElement[]): unknown {
  const shape = pairShape(s, l, r);
  const keepRHS = r !== undefined ? r : l;
  if (shape === 'leaf' || shape === 'atomic') return keepRHS;
  if (shape === 'list') {
    const li = Array.isArray(l) ? l : [];
    const ri = Array.isArray(r) ? r : [];
    if (li.length === 0 && ri.length === 0) return keepRHS;
    const out = mergeList(s, li, ri, path);
    return out.length > 0 ? out : undefined;
  }
  const lm = isObject(l) ? l : {};
  const rm = isObject(r) ? r : {};
  if (Object.keys(lm).length === 0 && Object.keys(rm).length === 0) return keepRHS;
  const out: Record<string, unknown> = {};
  const keys = [...Object.keys(lm), ...Object.keys(rm).filter((k) => !(k in lm))];
  for (const k of keys) {
    if (lm[k] === undefined && rm[k] === undefined) continue;
    const v = mergeValue(lm[k], rm[k], childSchema(s, k).schema, [...path, fieldElement(k)]);
    if (v !== undefined) out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The live object with the configuration merged in (typed.Merge). */
export function merge(live: unknown, config: unknown, schema: Schema): unknown {
  return mergeValue(live, config, schema, []);
}

/**
 * The object without the given paths (typed.RemoveItems). A container left empty becomes
 * `null`, as upstream's walker leaves it; callers drop nulls afterwards.
 */
export function removeItems(value: unknown, toRemove: FieldSet, schema: Schema): unknown {
  if (toRemove.isEmpty()) return value;
  const shape = shapeOf(schema, value);
  if (shape === 'leaf') return value;
  if (shape === 'atomic') return null;
  if (shape === 'list') {
    if (!Array.isArray(value) || value.length === 0) return null;
    const elem = elementSchema(schema);
    const out: unknown[] = [];
    value.forEach((item, i) => {
      const pe = listItemElement(schema, item, () => `element ${i}`);
      if (toRemove.hasMember(pe)) return;
      const sub = toRemove.withPrefix(pe);
      out.push(sub.isEmpty() ? item : removeItems(item, sub, elem));
    });
    return out.length > 0 ? out : null;
  }
  if (!isObject(value) || Object.keys(value).length === 0) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const pe = fieldElement(k);
    if (toRemove.hasMember(pe)) continue;
    const sub = toRemove.withPrefix(pe);
    out[k] = sub.isEmpty() ? v : removeItems(v, sub, childSchema(schema, k).schema);
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** Drops null-valued object fields (and containers emptied by that), as a typed round trip does. */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    out[k] = dropNulls(v);
  }
  return out;
}
