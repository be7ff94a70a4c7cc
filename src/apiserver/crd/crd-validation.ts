/**
 * Validation of a CustomResourceDefinition on create and update (upstream's
 * ValidateCustomResourceDefinition, the v1 parts). When every version carries the same schema,
 * subresources or columns, upstream converts them to the top-level spec.validation,
 * spec.subresources and spec.additionalPrinterColumns first, so errors are reported there.
 */
import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../../machinery/errors.js';
import {
  type FieldPath,
  invalid,
  isDNS1035Label,
  isDNS1123Subdomain,
  newPath,
  notSupported,
  required,
} from '../../machinery/validation/index.js';
import type { CRDNames, CRDVersion, CustomResourceDefinition } from './crd-object.js';
import { parseJsonPath } from './jsonpath.js';
import { validateCRDSchema } from './structural.js';

const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'name', 'password'];

/** True when all versions set `pick` and to the same value (upstream hoists it to the top level). */
function identical(versions: readonly CRDVersion[], pick: (v: CRDVersion) => unknown): boolean {
  const first = versions[0] ? pick(versions[0]) : undefined;
  if (first === undefined || (Array.isArray(first) && first.length === 0)) return false;
  return versions.every((v) => isDeepStrictEqual(pick(v), first));
}

export function validateCRD(crd: CustomResourceDefinition): FieldError[] {
  const errs: FieldError[] = [];
  const spec = crd.spec;
  const name = crd.metadata.name ?? '';
  if (name && name !== `${spec.names.plural ?? ''}.${spec.group}`) {
    errs.push(invalid(newPath('metadata', 'name'), name, 'must be spec.names.plural+"."+spec.group'));
  }
  errs.push(...validateSpec(crd));
  errs.push(...validateNames(crd.status?.acceptedNames ?? {}, newPath('status', 'acceptedNames')));
  return errs;
}

/** Updates: once established, the scope and kind may not change (names stay bound to stored objects). */
export function validateCRDUpdate(crd: CustomResourceDefinition, old: CustomResourceDefinition): FieldError[] {
  const errs = validateCRD(crd);
  if (old.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) {
    if (old.spec.scope !== crd.spec.scope) errs.push(invalid(newPath('spec', 'scope'), crd.spec.scope, 'field is immutable'));
    if (old.spec.names.kind !== crd.spec.names.kind)
      errs.push(invalid(newPath('spec', 'names', 'kind'), crd.spec.names.kind ?? '', 'field is immutable'));
  }
  return errs;
}

function validateSpec(crd: CustomResourceDefinition): FieldError[] {
  const errs: FieldError[] = [];
  const spec = crd.spec;
  const path = newPath('spec');
  if (!spec.group) errs.push(required(path.child('group')));
  else {
    const bad = isDNS1123Subdomain(spec.group);
    if (bad.length > 0) errs.push(invalid(path.child('group'), spec.group, bad.join(',')));
    else if (spec.group.split('.').length < 2)
      errs.push(invalid(path.child('group'), spec.group, 'should be a domain with at least one dot'));
  }
  if (!spec.scope) errs.push(required(path.child('scope')));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced')
    errs.push(notSupported(path.child('scope'), spec.scope, ['Cluster', 'Namespaced']));

  const versions = spec.versions;
  const schemaHoisted = identical(versions, (v) => v.schema);
  const subresourcesHoisted = identical(versions, (v) => v.subresources);
  const columnsHoisted = identical(versions, (v) => v.additionalPrinterColumns);
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    const vp = path.child('versions').index(i);
    if (seen.has(v.name)) unique = false;
    seen.add(v.name);
    for (const msg of isDNS1035Label(v.name ?? '')) errs.push(invalid(vp.child('name'), v.name ?? '', msg));
    if (!v.schema?.openAPIV3Schema) errs.push(required(vp.child('schema').child('openAPIV3Schema')));
    const status = v.subresources?.status !== undefined;
    if (v.schema?.openAPIV3Schema && (!schemaHoisted || i === 0)) {
      errs.push(...validateCRDSchema(v.schema.openAPIV3Schema, schemaHoisted ? path.child('validation') : vp.child('schema'), status));
    }
    if (v.subresources?.scale && (!subresourcesHoisted || i === 0)) {
      errs.push(...validateScale(v.subresources.scale, subresourcesHoisted ? path.child('subresources') : vp.child('subresources')));
    }
    if (!columnsHoisted || i === 0) {
      (v.additionalPrinterColumns ?? []).forEach((c, j) => {
        const cp = (columnsHoisted ? path.child('additionalPrinterColumns') : vp.child('additionalPrinterColumns')).index(j);
        errs.push(...validateColumn(c, cp));
      });
    }
    if (v.deprecationWarning !== undefined && !v.deprecated) {
      errs.push(invalid(vp.child('deprecationWarning'), v.deprecationWarning, 'can only be set for deprecated versions'));
    }
    (v.selectableFields ?? []).forEach((f, j) => {
      const fp = vp.child('selectableFields').index(j).child('jsonPath');
      if (!f.jsonPath) errs.push(required(fp));
      else if (f.jsonPath.startsWith('.metadata')) errs.push(invalid(fp, f.jsonPath, 'must not point to fields in metadata'));
    });
  });
  if (!unique) errs.push(invalid(path.child('versions'), versions, 'must contain unique version names'));
  if (versions.filter((v) => v.storage).length !== 1) {
    errs.push(invalid(path.child('versions'), versions, 'must have exactly one version marked as storage version'));
  }
  const names = spec.names;
  if (!names.plural) errs.push(required(path.child('names', 'plural')));
  if (!names.singular) errs.push(required(path.child('names', 'singular')));
  if (!names.kind) errs.push(required(path.child('names', 'kind')));
  if (!names.listKind) errs.push(required(path.child('names', 'listKind')));
  errs.push(...validateNames(names, path.child('names')));
  if (spec.preserveUnknownFields === true) {
    errs.push(
      invalid(
        path.child('preserveUnknownFields'),
        true,
        'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
      ),
    );
  }
  const strategy = spec.conversion?.strategy;
  if (strategy !== undefined && strategy !== 'None' && strategy !== 'Webhook') {
    errs.push(notSupported(path.child('conversion', 'strategy'), strategy, ['None', 'Webhook']));
  }
  return errs;
}

function validateNames(names: CRDNames, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const check = (field: string, value: string | undefined, lower: boolean, prefix = ''): void => {
    if (!value) return;
    const bad = isDNS1035Label(lower ? value.toLowerCase() : value);
    if (bad.length > 0) errs.push(invalid(path.child(field), value, prefix + bad.join(',')));
  };
  check('plural', names.plural, false);
  check('singular', names.singular, false);
  check('kind', names.kind, true, 'may have mixed case, but should otherwise match: ');
  check('listKind', names.listKind, true, 'may have mixed case, but should otherwise match: ');
  (names.shortNames ?? []).forEach((s, i) => {
    const bad = isDNS1035Label(s);
    if (bad.length > 0) errs.push(invalid(path.child('shortNames').index(i), s, bad.join(',')));
  });
  if (names.kind && names.kind === names.listKind)
    errs.push(invalid(path.child('listKind'), names.listKind, 'kind and listKind may not be the same'));
  (names.categories ?? []).forEach((c, i) => {
    const bad = isDNS1035Label(c);
    if (bad.length > 0) errs.push(invalid(path.child('categories').index(i), c, bad.join(',')));
  });
  return errs;
}

function validateColumn(c: NonNullable<CRDVersion['additionalPrinterColumns']>[number], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(path.child('name')));
  if (!c.type) errs.push(required(path.child('type'), `must be one of ${COLUMN_TYPES.join(',')}`));
  else if (!COLUMN_TYPES.includes(c.type)) errs.push(invalid(path.child('type'), c.type, `must be one of ${COLUMN_TYPES.join(',')}`));
  if (c.format && !COLUMN_FORMATS.includes(c.format))
    errs.push(invalid(path.child('format'), c.format, `must be one of ${COLUMN_FORMATS.join(',')}`));
  if (!c.jsonPath) errs.push(required(path.child('JSONPath')));
  else errs.push(...simpleJsonPath(c.jsonPath, path.child('JSONPath')));
  return errs;
}

function simpleJsonPath(s: string, path: FieldPath): FieldError[] {
  if (!s.startsWith('.')) return [invalid(path, s, 'must be a simple json path starting with .')];
  try {
    parseJsonPath(s);
    return [];
  } catch {
    return [invalid(path, s, 'must be a json path in the dot notation')];
  }
}

function validateScale(scale: NonNullable<NonNullable<CRDVersion['subresources']>['scale']>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const dotted = (p: string): boolean => /^(\.[A-Za-z0-9_-]+)+$/.test(p);
  if (!scale.specReplicasPath) errs.push(required(path.child('scale.specReplicasPath')));
  else if (!dotted(scale.specReplicasPath))
    errs.push(invalid(path.child('scale.specReplicasPath'), scale.specReplicasPath, 'must be a json path in the dot notation'));
  else if (!scale.specReplicasPath.startsWith('.spec.'))
    errs.push(invalid(path.child('scale.specReplicasPath'), scale.specReplicasPath, 'should be a json path under .spec'));
  if (!scale.statusReplicasPath) errs.push(required(path.child('scale.statusReplicasPath')));
  else if (!dotted(scale.statusReplicasPath))
    errs.push(invalid(path.child('scale.statusReplicasPath'), scale.statusReplicasPath, 'must be a json path in the dot notation'));
  else if (!scale.statusReplicasPath.startsWith('.status.'))
    errs.push(invalid(path.child('scale.statusReplicasPath'), scale.statusReplicasPath, 'should be a json path under .status'));
  const sel = scale.labelSelectorPath;
  if (sel !== undefined && sel !== '') {
    if (!dotted(sel)) errs.push(invalid(path.child('scale.labelSelectorPath'), sel, 'must be a json path in the dot notation'));
    else if (!sel.startsWith('.spec.') && !sel.startsWith('.status.'))
      errs.push(invalid(path.child('scale.labelSelectorPath'), sel, 'should be a json path under either .spec or .status'));
  }
  return errs;
}
