/** Pod volume validation (validateVolumes, validateVolumeSource in pkg/apis/core/validation). */
import type { FieldError } from '../../machinery/errors.js';
import { duplicate, forbidden, invalid, required, type FieldPath } from '../../machinery/validation/field.js';
import { asObj, num, objs, str, type Obj } from './access.js';
import { validateDNS1123Label, validateLocalDescendingPath } from './container-validation.js';
import { VOLUME_SOURCES } from './pod-defaults.js';
import { readQuantity } from './resource-validation.js';

const MAX_FILE_MODE = 0o777;
const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';

function validateMode(v: unknown, path: FieldPath): FieldError[] {
  const mode = num(v);
  if (mode === undefined) return [];
  return mode < 0 || mode > MAX_FILE_MODE ? [invalid(path, mode, FILE_MODE_ERROR)] : [];
}

function validateKeyToPaths(items: Obj[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  items.forEach((item, i) => {
    const p = path.index(i);
    if (!str(item['key'])) errs.push(required(p.child('key')));
    const itemPath = str(item['path']);
    if (!itemPath) errs.push(required(p.child('path')));
    else errs.push(...validateLocalNonReservedPath(itemPath, p.child('path')));
    errs.push(...validateMode(item['mode'], p.child('mode')));
  });
  return errs;
}

function validateLocalNonReservedPath(value: string, path: FieldPath): FieldError[] {
  const errs = validateLocalDescendingPath(value, path);
  if (value.startsWith('..')) errs.push(invalid(path, value, "must not start with '..'"));
  return errs;
}

/** Per-source required fields for the common sources. */
function validateSource(kind: string, src: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const need = (field: string): void => {
    if (!str(src[field])) errs.push(required(path.child(field)));
  };
  switch (kind) {
    case 'secret':
      need('secretName');
      errs.push(...validateMode(src['defaultMode'], path.child('defaultMode')));
      errs.push(...validateKeyToPaths(objs(src['items']), path.child('items')));
      break;
    case 'configMap':
      need('name');
      errs.push(...validateMode(src['defaultMode'], path.child('defaultMode')));
      errs.push(...validateKeyToPaths(objs(src['items']), path.child('items')));
      break;
    case 'persistentVolumeClaim':
      need('claimName');
      break;
    case 'hostPath':
      need('path');
      break;
    case 'nfs':
      need('server');
      need('path');
      break;
    case 'emptyDir': {
      const medium = str(src['medium']);
      if (medium && medium !== 'Memory' && !medium.startsWith('HugePages')) {
        errs.push(invalid(path.child('medium'), medium, 'must be empty, "Memory" or "HugePages"'));
      }
      if (src['sizeLimit'] !== undefined) {
        const q = readQuantity(src['sizeLimit'], path.child('sizeLimit'), errs);
        if (q && q.sign() < 0) errs.push(forbidden(path.child('sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
      }
      break;
    }
    case 'downwardAPI':
    case 'projected':
      errs.push(...validateMode(src['defaultMode'], path.child('defaultMode')));
      break;
    case 'csi':
      need('driver');
      break;
  }
  return errs;
}

/** validateVolumes; returns the errors and the set of valid volume names for volumeMounts. */
export function validateVolumes(volumes: Obj[], path: FieldPath): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  volumes.forEach((v, i) => {
    const p = path.index(i);
    const name = str(v['name']);
    const el: FieldError[] = [];
    const present = VOLUME_SOURCES.filter((s) => v[s] !== undefined && v[s] !== null);
    if (present.length === 0) el.push(required(p, 'must specify a volume type'));
    for (const extra of present.slice(1)) el.push(forbidden(p.child(extra), 'may not specify more than 1 volume type'));
    const first = present[0];
    if (first) el.push(...validateSource(first, asObj(v[first]) ?? {}, p.child(first)));
    if (!name) el.push(required(p.child('name')));
    else el.push(...validateDNS1123Label(name, p.child('name')));
    if (names.has(name)) el.push(duplicate(p.child('name'), name));
    if (el.length === 0) names.add(name);
    errs.push(...el);
  });
  return { errs, names };
}
