/** ConfigMaps and Secrets (pkg/registry/core/configmap, secret): printers, defaults, validation. */
import { Buffer } from 'node:buffer';
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import type { FieldError } from '../../machinery/errors.js';
import { forbidden, newPath, required, invalid, tooLong, type FieldPath } from '../../machinery/validation/field.js';
import { isConfigMapKey } from '../../machinery/validation/formats.js';
import { validateImmutableField } from '../../machinery/validation/object-meta.js';
import { asObj, str, strMap } from './access.js';
import { jsonEqual } from '../../machinery/json-equal.js';
import { AGE_COLUMN, NAME_COLUMN, age, column, describe } from './printer-columns.js';

/** core.MaxSecretSize (also the ConfigMap limit). */
export const MAX_SECRET_SIZE = 1 * 1024 * 1024;
const IMMUTABLE = 'field is immutable when `immutable` is set';

function keyErrors(map: Record<string, string>, path: FieldPath): FieldError[] {
  return Object.keys(map).flatMap((k) => isConfigMapKey(k).map((m) => invalid(path.key(k), k, m)));
}

const decodedLength = (v: string): number => Buffer.from(v, 'base64').length;

function validateConfigMap(cm: KubeObject): FieldError[] {
  const data = strMap(cm['data']);
  const binary = strMap(cm['binaryData']);
  const errs = keyErrors(data, newPath('data'));
  for (const k of Object.keys(data))
    if (k in binary) errs.push(invalid(newPath('data').key(k), k, 'duplicate of key present in binaryData'));
  errs.push(...keyErrors(binary, newPath('binaryData')));
  let size = 0;
  for (const v of Object.values(data)) size += Buffer.byteLength(v, 'utf8');
  for (const v of Object.values(binary)) size += decodedLength(v);
  if (size > MAX_SECRET_SIZE) errs.push(tooLong(newPath(''), '', MAX_SECRET_SIZE));
  return errs;
}

function immutableErrors(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old['immutable'] !== true) return [];
  const errs: FieldError[] = [];
  if (obj['immutable'] !== true) errs.push(forbidden(newPath('immutable'), IMMUTABLE));
  for (const f of fields) if (!jsonEqual(obj[f] ?? {}, old[f] ?? {})) errs.push(forbidden(newPath(f), IMMUTABLE));
  return errs;
}

export const configMapStrategy: ResourceStrategy = {
  validate: validateConfigMap,
  validateUpdate: (cm, old) => [...validateConfigMap(cm), ...immutableErrors(cm, old, ['data', 'binaryData'])],
};

export const configMapPrinter: TablePrinter = {
  columns: [NAME_COLUMN, column('Data', 'string', describe('ConfigMap', 'data')), AGE_COLUMN],
  row: (cm, now) => [
    cm.metadata.name ?? '',
    Object.keys(strMap(cm['data'])).length + Object.keys(strMap(cm['binaryData'])).length,
    age(cm.metadata.creationTimestamp, now),
  ],
};

/** SetDefaults_Secret, plus the v1 conversion that folds stringData into data. */
function defaultSecret(secret: KubeObject): void {
  if (!secret['type']) secret['type'] = 'Opaque';
  const stringData = asObj(secret['stringData']);
  if (stringData) {
    const data = asObj(secret['data']) ?? {};
    for (const [k, v] of Object.entries(stringData)) if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
    secret['data'] = data;
    delete secret['stringData'];
  }
}

function validateJSON(data: Record<string, string>, key: string, path: FieldPath): FieldError[] {
  const value = data[key];
  if (value === undefined) return [required(path.key(key))];
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
    if (!asObj(parsed)) throw new Error('json: cannot unmarshal into Go value of type map[string]interface {}');
  } catch (err) {
    return [invalid(path.key(key), '<secret contents redacted>', (err as Error).message)];
  }
  return [];
}

function validateSecret(secret: KubeObject): FieldError[] {
  const path = newPath('data');
  const data = strMap(secret['data']);
  const errs = keyErrors(data, path);
  let size = 0;
  for (const v of Object.values(data)) size += decodedLength(v);
  if (size > MAX_SECRET_SIZE) errs.push(tooLong(path, '', MAX_SECRET_SIZE));
  const has = (k: string): boolean => data[k] !== undefined;
  switch (str(secret['type'])) {
    case 'kubernetes.io/service-account-token':
      if (!secret.metadata.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(required(newPath('metadata', 'annotations').key('kubernetes.io/service-account.name')));
      }
      break;
    case 'kubernetes.io/dockercfg':
      errs.push(...validateJSON(data, '.dockercfg', path));
      break;
    case 'kubernetes.io/dockerconfigjson':
      errs.push(...validateJSON(data, '.dockerconfigjson', path));
      break;
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) errs.push(required(path.key('username')), required(path.key('password')));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data['ssh-privatekey']) errs.push(required(path.key('ssh-privatekey')));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(required(path.key('tls.crt')));
      if (!has('tls.key')) errs.push(required(path.key('tls.key')));
      break;
  }
  return errs;
}

export const secretStrategy: ResourceStrategy = {
  defaults: defaultSecret,
  validate: validateSecret,
  validateUpdate: (secret, old) => [
    ...validateSecret(secret),
    ...validateImmutableField(secret['type'], old['type'], newPath('type')),
    ...immutableErrors(secret, old, ['data']),
  ],
  selectableFields: (secret) => ({ type: str(secret['type']) }),
};

export const secretPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Type', 'string', describe('Secret', 'type')),
    column('Data', 'string', describe('Secret', 'data')),
    AGE_COLUMN,
  ],
  row: (s, now) => [s.metadata.name ?? '', str(s['type']), Object.keys(strMap(s['data'])).length, age(s.metadata.creationTimestamp, now)],
};
