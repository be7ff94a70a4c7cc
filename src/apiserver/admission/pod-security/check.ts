/** The shape of a Pod Security Standards check and the helpers its messages are made with. */
import { asObj, objs, type Obj } from '../../../api/core/access.js';

/** A failed check: a short reason and the detail naming the offending fields. */
export interface Violation {
  reason: string;
  detail: string;
}

/** One check of a Pod Security Standard; returns a violation or undefined when allowed. */
export interface Check {
  id: string;
  /** The first Kubernetes 1.x minor version with this check (default 0): older pinned versions skip it. */
  sinceMinor?: number;
  check(meta: Obj, spec: Obj): Violation | undefined;
}

/** `container "a"` / `containers "a", "b"`. */
export function pluralize(singular: string, plural: string, n: number): string {
  return n === 1 ? singular : plural;
}

export function joinQuote(items: readonly string[]): string {
  return items.map((s) => JSON.stringify(s)).join(', ');
}

/** `container "a"` or `containers "a", "b"`, the subject of most details. */
export function containersPhrase(names: readonly string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}

/** Every container of the spec: init, regular and ephemeral (upstream visitContainers). */
export function allContainers(spec: Obj): Obj[] {
  return [...objs(spec['initContainers']), ...objs(spec['containers']), ...objs(spec['ephemeralContainers'])];
}

export function securityContext(o: Obj): Obj {
  return asObj(o['securityContext']) ?? {};
}
