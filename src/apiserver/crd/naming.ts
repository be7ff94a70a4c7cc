/**
 * Which names a CRD may serve (upstream's naming controller): each requested name is accepted
 * when it is already this CRD's accepted name or no other CRD of the same group uses it; the
 * NamesAccepted condition says why not, and Established starts as Installing once names are in.
 */
import type { AcceptedNames } from './custom-resource.js';
import type { CRDCondition, CRDNames, CustomResourceDefinition } from './crd-object.js';
import { findCondition } from './crd-object.js';

export interface NamingResult {
  acceptedNames: CRDNames;
  namesAccepted: CRDCondition;
  established: CRDCondition;
}

/** Names (resources and kinds) other CRDs of `group` have accepted. */
function namesInUse(group: string, self: string, all: readonly CustomResourceDefinition[]): { resources: Set<string>; kinds: Set<string> } {
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const other of all) {
    if (other.metadata.name === self || other.spec.group !== group) continue;
    const a = other.status?.acceptedNames ?? {};
    for (const r of [a.plural, a.singular, ...(a.shortNames ?? [])]) if (r) resources.add(r);
    for (const k of [a.kind, a.listKind]) if (k) kinds.add(k);
  }
  return { resources, kinds };
}

export function calculateNames(crd: CustomResourceDefinition, all: readonly CustomResourceDefinition[]): NamingResult {
  const requested = crd.spec.names;
  const accepted = crd.status?.acceptedNames ?? {};
  const next: CRDNames = { ...accepted };
  const { resources, kinds } = namesInUse(crd.spec.group, crd.metadata.name ?? '', all);
  let failure: { reason: string; message: string } | undefined;
  const fresh = (wanted: string | undefined, current: string | undefined, used: Set<string>): string | undefined => {
    if (!wanted || wanted === current) return undefined;
    return used.has(wanted) ? `"${wanted}" is already in use` : undefined;
  };
  const take = (key: 'plural' | 'singular' | 'kind' | 'listKind', reason: string, used: Set<string>): void => {
    const err = fresh(requested[key], accepted[key], used);
    if (err) failure = { reason, message: err };
    else if (requested[key] !== undefined) next[key] = requested[key];
  };
  take('plural', 'PluralConflict', resources);
  take('singular', 'SingularConflict', resources);
  const mine = new Set(accepted.shortNames ?? []);
  let shortOk = true;
  for (const s of requested.shortNames ?? []) {
    if (mine.has(s)) continue;
    const err = fresh(s, '', resources);
    if (err) {
      shortOk = false;
      failure = { reason: 'ShortNamesConflict', message: err };
    }
  }
  if (shortOk) {
    if (requested.shortNames?.length) next.shortNames = [...requested.shortNames];
    else delete next.shortNames;
  }
  take('kind', 'KindConflict', kinds);
  take('listKind', 'ListKindConflict', kinds);
  if (requested.categories?.length) next.categories = [...requested.categories];
  else delete next.categories;

  const namesAccepted: CRDCondition = failure
    ? { type: 'NamesAccepted', status: 'False', ...failure }
    : { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' };
  let established: CRDCondition = findCondition(crd, 'Established') ?? {
    type: 'Established',
    status: 'False',
    reason: 'NotAccepted',
    message: 'not all names are accepted',
  };
  if (established.status !== 'True' && namesAccepted.status === 'True') {
    established = { type: 'Established', status: 'False', reason: 'Installing', message: 'the initial names have been accepted' };
  }
  return { acceptedNames: next, namesAccepted, established };
}

/** The accepted names as served names, when complete. */
export function servedNames(names: CRDNames | undefined): AcceptedNames | undefined {
  if (!names?.plural || !names.kind) return undefined;
  return {
    plural: names.plural,
    singular: names.singular || names.kind.toLowerCase(),
    kind: names.kind,
    listKind: names.listKind || `${names.kind}List`,
    ...(names.shortNames?.length ? { shortNames: names.shortNames } : {}),
    ...(names.categories?.length ? { categories: names.categories } : {}),
  };
}
