/**
 * apiextensions.k8s.io/v1 CustomResourceDefinition: defaults, status initialisation and basic
 * validation (names, group, scope, versions, conversion). Schemas are not validated here.
 * No printer: upstream serves CRDs with the default Name / Created At table.
 */
import type { ResourceStrategy } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { arr, asObj, child, dig, objs, part, setDefault, str } from '../core/access.js';
import { invalid, newPath, notSupported, required, type FieldError, type FieldPath } from '../../machinery/validation/field.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../../machinery/validation/formats.js';
import { validateImmutableField } from '../../machinery/validation/object-meta.js';

const spec = newPath('spec');

/** SetDefaults_CustomResourceDefinition(Spec) and SetDefaults_ServiceReference. */
export function defaultCRD(obj: KubeObject): void {
  const s = child(obj, 'spec');
  const names = child(s, 'names');
  const kind = str(names['kind']);
  setDefault(names, 'singular', kind.toLowerCase());
  if (kind) setDefault(names, 'listKind', `${kind}List`);
  if (!asObj(s['conversion'])) s['conversion'] = { strategy: 'None' };
  const service = asObj(dig(s, 'conversion', 'webhook', 'clientConfig', 'service'));
  if (service) setDefault(service, 'port', 443);
}

/** The version marked storage, which becomes the first stored version. */
export function storageVersion(obj: KubeObject): string | undefined {
  const v = objs(part(obj, 'spec')['versions']).find((x) => x['storage'] === true);
  return v ? str(v['name']) : undefined;
}

function dns1035(value: string, path: FieldPath, prefix = ''): FieldError[] {
  const msgs = isDNS1035Label(prefix ? value.toLowerCase() : value);
  return msgs.length > 0 ? [invalid(path, value, prefix + msgs.join(','))] : [];
}

function validateNames(names: Record<string, unknown>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of ['plural', 'singular', 'kind', 'listKind']) if (!str(names[k])) errs.push(required(path.child(k), ''));
  const mixed = 'may have mixed case, but should otherwise match: ';
  if (str(names['plural'])) errs.push(...dns1035(str(names['plural']), path.child('plural')));
  if (str(names['singular'])) errs.push(...dns1035(str(names['singular']), path.child('singular')));
  if (str(names['kind'])) errs.push(...dns1035(str(names['kind']), path.child('kind'), mixed));
  if (str(names['listKind'])) errs.push(...dns1035(str(names['listKind']), path.child('listKind'), mixed));
  arr(names['shortNames']).forEach((n, i) => errs.push(...dns1035(str(n), path.child('shortNames').index(i))));
  if (str(names['kind']) && names['kind'] === names['listKind']) errs.push(invalid(path.child('listKind'), names['listKind'], 'kind and listKind may not be the same'));
  arr(names['categories']).forEach((n, i) => errs.push(...dns1035(str(n), path.child('categories').index(i))));
  return errs;
}

/** ValidateCustomResourceDefinition (basic). */
export function validateCRD(obj: KubeObject): FieldError[] {
  const s = part(obj, 'spec');
  const errs: FieldError[] = [];
  const group = str(s['group']);
  const names = asObj(s['names']) ?? {};
  const name = obj.metadata.name ?? '';
  if (name !== `${str(names['plural'])}.${group}`) errs.push(invalid(newPath('metadata', 'name'), name, 'must be spec.names.plural+"."+spec.group'));
  if (!group) errs.push(required(spec.child('group'), ''));
  else if (isDNS1123Subdomain(group).length > 0) errs.push(invalid(spec.child('group'), group, isDNS1123Subdomain(group).join(',')));
  else if (group.split('.').length < 2) errs.push(invalid(spec.child('group'), group, 'should be a domain with at least one dot'));
  const scope = str(s['scope']);
  if (!scope) errs.push(required(spec.child('scope'), ''));
  else if (scope !== 'Cluster' && scope !== 'Namespaced') errs.push(notSupported(spec.child('scope'), scope, ['Cluster', 'Namespaced']));
  const versions = objs(s['versions']);
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    const vname = str(v['name']);
    if (seen.has(vname)) unique = false;
    seen.add(vname);
    errs.push(...dns1035(vname, spec.child('versions').index(i).child('name')));
  });
  if (!unique) errs.push(invalid(spec.child('versions'), s['versions'], 'must contain unique version names'));
  if (versions.filter((v) => v['storage'] === true).length !== 1) {
    errs.push(invalid(spec.child('versions'), s['versions'] ?? null, 'must have exactly one version marked as storage version'));
  }
  errs.push(...validateNames(names, spec.child('names')));
  const conversion = asObj(s['conversion']) ?? {};
  const strategy = str(conversion['strategy']);
  if (!strategy) errs.push(required(spec.child('conversion', 'strategy'), ''));
  else if (strategy !== 'None' && strategy !== 'Webhook') errs.push(notSupported(spec.child('conversion', 'strategy'), strategy, ['None', 'Webhook']));
  else if (strategy === 'Webhook' && !asObj(conversion['webhook'])) errs.push(required(spec.child('conversion', 'webhook'), 'required when strategy is set to Webhook'));
  return errs;
}

/** Stored versions must still be listed in spec.versions. */
function validateStoredVersions(obj: KubeObject): FieldError[] {
  const names = new Set(objs(part(obj, 'spec')['versions']).map((v) => str(v['name'])));
  return arr(part(obj, 'status')['storedVersions']).flatMap((v, i) =>
    names.has(str(v)) ? [] : [invalid(newPath('status', 'storedVersions').index(i), v, 'must appear in spec.versions')],
  );
}

export const crdStrategy: ResourceStrategy = {
  defaults: defaultCRD,
  prepareForCreate(obj) {
    const stored = storageVersion(obj);
    obj['status'] = { acceptedNames: { plural: '', kind: '' }, storedVersions: stored ? [stored] : [] };
  },
  prepareForUpdate(obj) {
    const stored = storageVersion(obj);
    const status = child(obj, 'status');
    const versions = arr(status['storedVersions']).map(str);
    if (stored && !versions.includes(stored)) status['storedVersions'] = [...versions, stored];
  },
  validate: validateCRD,
  validateUpdate(obj, old) {
    return [
      ...validateCRD(obj),
      ...validateImmutableField(dig(obj, 'spec', 'group'), dig(old, 'spec', 'group'), spec.child('group')),
      ...validateImmutableField(dig(obj, 'spec', 'names', 'plural'), dig(old, 'spec', 'names', 'plural'), spec.child('names', 'plural')),
      ...validateStoredVersions(obj),
    ];
  },
  validateStatusUpdate: (obj) => validateStoredVersions(obj),
};
