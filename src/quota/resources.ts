/**
 * Resource lists for quota (pkg/quota/v1/resources.go): a map of resource name to quantity,
 * with the set arithmetic the evaluators, the admission plugin and the controller share.
 */
import { asObj } from '../api/core/access.js';
import { newQuantity, type Quantity, quantityFromJSON } from '../machinery/quantity.js';

export type ResourceList = Map<string, Quantity>;

/** A ResourceList from its JSON form (`{ "pods": "3", "requests.cpu": "1" }`); bad quantities skipped. */
export function parseResourceList(v: unknown): ResourceList {
  const out: ResourceList = new Map();
  for (const [name, raw] of Object.entries(asObj(v) ?? {})) {
    try {
      out.set(name, quantityFromJSON(raw));
    } catch {
      // validation keeps bad quantities out of stored objects
    }
  }
  return out;
}

/** The JSON form, keys sorted. */
export function resourceListJSON(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...list.keys()].sort()) out[name] = (list.get(name) as Quantity).toString();
  return out;
}

/** Add: a + b, names of either. */
export function addLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map(a);
  for (const [name, q] of b) out.set(name, out.get(name)?.add(q) ?? q);
  return out;
}

/** Subtract: a - b, names of either (a missing counts as zero). */
export function subtractLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map(a);
  for (const [name, q] of b) out.set(name, (out.get(name) ?? newQuantity(0)).sub(q));
  return out;
}

/** Mask: only the given names. */
export function maskList(list: ResourceList, names: Iterable<string>): ResourceList {
  const out: ResourceList = new Map();
  for (const name of names) {
    const q = list.get(name);
    if (q) out.set(name, q);
  }
  return out;
}

/** LessThanOrEqual: whether every quantity of a is at most b's (names missing in b are not limited), and the names that are over. */
export function lessThanOrEqual(a: ResourceList, b: ResourceList): { allowed: boolean; exceeded: string[] } {
  const exceeded: string[] = [];
  for (const [name, q] of a) {
    const limit = b.get(name);
    if (limit && q.cmp(limit) > 0) exceeded.push(name);
  }
  return { allowed: exceeded.length === 0, exceeded };
}

/** Equals: the same names with equal quantities. */
export function equalLists(a: ResourceList, b: ResourceList): boolean {
  if (a.size !== b.size) return false;
  for (const [name, q] of a) if (!b.get(name)?.equal(q)) return false;
  return true;
}

export function isZeroList(list: ResourceList): boolean {
  for (const q of list.values()) if (!q.isZero()) return false;
  return true;
}

/** prettyPrint: `name=value` pairs sorted by name, comma separated. */
export function prettyPrint(list: ResourceList): string {
  return [...list.keys()]
    .sort()
    .map((name) => `${name}=${(list.get(name) as Quantity).toString()}`)
    .join(',');
}

/** ContainsPrefix: whether the name starts with one of the prefixes. */
export function containsPrefix(prefixes: readonly string[], name: string): boolean {
  return prefixes.some((p) => name.startsWith(p));
}
