/**
 * What the typed-decoding fuzz posts to: every built-in kind served with a `create` verb, with
 * its declared type, its collection path and whether a create stores an object.
 */
import fc from 'fast-check';
import '../../src/api/all-types.js';
import { builtinResources } from '../../src/api/catalog.js';
import type { ResourceType } from '../../src/api/resource.js';
import { reviewResources } from '../../src/apiserver/reviews.js';
import { typeForKind } from '../../src/machinery/schema/dsl.js';

export interface FuzzTarget {
  readonly resource: ResourceType;
  /** Definition name of the kind's declared type. */
  readonly typeName: string;
  readonly apiVersion: string;
  /**
   * Whether a create stores an object under its name. Bindings bind the pod they name and the
   * review kinds are answered, not stored: for those "nothing stored" is not checked by name.
   */
  readonly stored: boolean;
  /** `<group/version>/kind`, for test names. */
  readonly label: string;
}

export function fuzzTargets(): FuzzTarget[] {
  const out: FuzzTarget[] = [];
  for (const [resource, stored] of [
    ...builtinResources.map((r) => [r, r.kind !== 'Binding'] as const),
    ...reviewResources.map((r) => [r, false] as const),
  ]) {
    if (resource.verbs && !resource.verbs.includes('create')) continue;
    const def = typeForKind(resource.group, resource.version, resource.kind);
    if (!def) throw new Error(`${resource.group}/${resource.version} ${resource.kind} has no declared type`);
    const apiVersion = resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
    out.push(
      printedAs(
        { resource, typeName: def.name, apiVersion, stored, label: `${apiVersion} ${resource.kind}` },
        `${apiVersion} ${resource.kind}`,
      ),
    );
  }
  return out;
}

/** The collection a target's objects are posted to (namespaced ones in `namespace`). */
export function collectionPath(target: FuzzTarget, namespace: string): string {
  const r = target.resource;
  const root = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  return r.namespaced ? `${root}/namespaces/${namespace}/${r.plural}` : `${root}/${r.plural}`;
}

export function findTarget(targets: readonly FuzzTarget[], group: string, plural: string): FuzzTarget {
  const t = targets.find((x) => x.resource.group === group && x.resource.plural === plural);
  if (!t) throw new Error(`no fuzz target ${group}/${plural}`);
  return t;
}

/** The endpoints hostile bodies go to: three namespaced kinds and a cluster-scoped one. */
export function hostileTargets(targets: readonly FuzzTarget[]): FuzzTarget[] {
  return [
    findTarget(targets, '', 'configmaps'),
    findTarget(targets, '', 'pods'),
    findTarget(targets, 'apps', 'deployments'),
    findTarget(targets, 'scheduling.k8s.io', 'priorityclasses'),
  ];
}

/** `value`, shown as `text` in fast-check's counterexamples (instead of every field and function). */
export function printedAs<T extends object>(value: T, text: string): T {
  Object.defineProperty(value, fc.toStringMethod, { value: () => text, enumerable: false });
  return value;
}
