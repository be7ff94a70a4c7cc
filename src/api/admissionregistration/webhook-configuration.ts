/**
 * Mutating/ValidatingWebhookConfiguration: defaults (SetDefaults_*Webhook), validation as
 * upstream's pkg/apis/admissionregistration/validation, and the Table printer.
 */
import type { KubeObject } from '../../machinery/object.js';
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import { arr, asObj, objs, setDefault, str, type Obj } from '../core/access.js';
import { validateLabelSelector, type LabelSelector } from '../../machinery/labels.js';
import {
  duplicate,
  type FieldError,
  type FieldPath,
  invalid,
  newPath,
  notSupported,
  required,
  tooMany,
} from '../../machinery/validation/field.js';
import {
  isDNS1035Label,
  isDNS1123Subdomain,
  isFullyQualifiedName,
  isQualifiedName,
  isValidPortNum,
} from '../../machinery/validation/formats.js';
import { AGE_COLUMN, column, NAME_COLUMN, objectAge } from '../apps/printing.js';
import { compileErrors } from './validating-admission-policy.js';
import './webhook-types.js';

/** AdmissionReview versions this apiserver speaks, in upstream's order. */
export const ACCEPTED_ADMISSION_REVIEW_VERSIONS = ['v1', 'v1beta1'];
const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const NO_SIDE_EFFECT_CLASSES = ['None', 'NoneOnDryRun'];
const SIDE_EFFECT_CLASSES = ['None', 'NoneOnDryRun', 'Some', 'Unknown'];
const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const REINVOCATION_POLICIES = ['IfNeeded', 'Never'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];
const MAX_MATCH_CONDITIONS = 64;

/** SetDefaults_*Webhook, SetDefaults_Rule and SetDefaults_ServiceReference. */
function defaultWebhook(hook: Obj, mutating: boolean): void {
  setDefault(hook, 'failurePolicy', 'Fail');
  setDefault(hook, 'matchPolicy', 'Equivalent');
  setDefault(hook, 'namespaceSelector', {});
  setDefault(hook, 'objectSelector', {});
  setDefault(hook, 'timeoutSeconds', 10);
  if (mutating) setDefault(hook, 'reinvocationPolicy', 'Never');
  for (const rule of objs(hook['rules'])) setDefault(rule, 'scope', '*');
  const service = asObj(asObj(hook['clientConfig'])?.['service']);
  if (service) setDefault(service, 'port', 443);
}

const hasWildcard = (items: unknown[]) => items.includes('*');

/** validateResources: subresource wildcards may not overlap. */
function validateResources(resources: string[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (resources.length === 0) errs.push(required(path));
  const resWithWildcardSub = new Set<string>();
  const subWithWildcardRes = new Set<string>();
  let doubleWildcard = false;
  let singleWildcard = false;
  let withoutSubresource = false;
  resources.forEach((resSub, i) => {
    if (resSub === '') {
      errs.push(required(path.index(i)));
      return;
    }
    if (resSub === '*/*') doubleWildcard = true;
    if (resSub === '*') singleWildcard = true;
    const slash = resSub.indexOf('/');
    if (slash < 0) {
      withoutSubresource = resSub !== '*';
      return;
    }
    const res = resSub.slice(0, slash);
    const sub = resSub.slice(slash + 1);
    if (resWithWildcardSub.has(res)) errs.push(invalid(path.index(i), resSub, `if '${res}/*' is present, must not specify ${resSub}`));
    if (subWithWildcardRes.has(sub)) errs.push(invalid(path.index(i), resSub, `if '*/${sub}' is present, must not specify ${resSub}`));
    if (sub === '*') resWithWildcardSub.add(res);
    if (res === '*') subWithWildcardRes.add(sub);
  });
  if (resources.length > 1 && doubleWildcard) errs.push(invalid(path, resources, "if '*/*' is present, must not specify other resources"));
  if (singleWildcard && withoutSubresource) {
    errs.push(invalid(path, resources, "if '*' is present, must not specify other resources without subresources"));
  }
  return errs;
}

/** validateRuleWithOperations (subresources allowed). */
export function validateRuleWithOperations(rule: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const operations = arr(rule['operations']);
  if (operations.length === 0) errs.push(required(path.child('operations')));
  if (operations.length > 1 && hasWildcard(operations)) {
    errs.push(invalid(path.child('operations'), operations, "if '*' is present, must not specify other operations"));
  }
  operations.forEach((op, i) => {
    if (!OPERATIONS.includes(str(op))) errs.push(notSupported(path.child('operations').index(i), op, OPERATIONS));
  });
  const groups = arr(rule['apiGroups']);
  if (groups.length === 0) errs.push(required(path.child('apiGroups')));
  if (groups.length > 1 && hasWildcard(groups))
    errs.push(invalid(path.child('apiGroups'), groups, "if '*' is present, must not specify other API groups"));
  const versions = arr(rule['apiVersions']);
  if (versions.length === 0) errs.push(required(path.child('apiVersions')));
  if (versions.length > 1 && hasWildcard(versions)) {
    errs.push(invalid(path.child('apiVersions'), versions, "if '*' is present, must not specify other API versions"));
  }
  versions.forEach((v, i) => {
    if (v === '') errs.push(required(path.child('apiVersions').index(i)));
  });
  errs.push(...validateResources(arr(rule['resources']).map(str), path.child('resources')));
  const scope = rule['scope'];
  if (scope !== undefined && scope !== null && !SCOPES.includes(str(scope))) errs.push(notSupported(path.child('scope'), scope, SCOPES));
  return errs;
}

function validateAdmissionReviewVersions(versions: unknown[], requireRecognized: boolean, path: FieldPath): FieldError[] {
  if (versions.length === 0) return [required(path, `must specify one of ${ACCEPTED_ADMISSION_REVIEW_VERSIONS.join(', ')}`)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  versions.forEach((raw, i) => {
    const v = str(raw);
    if (seen.has(v)) {
      errs.push(invalid(path.index(i), v, 'duplicate version'));
      return;
    }
    seen.add(v);
    for (const m of isDNS1035Label(v)) errs.push(invalid(path.index(i), v, m));
  });
  if (requireRecognized && !versions.some((v) => ACCEPTED_ADMISSION_REVIEW_VERSIONS.includes(str(v)))) {
    errs.push(invalid(path, versions, `must include at least one of ${ACCEPTED_ADMISSION_REVIEW_VERSIONS.join(', ')}`));
  }
  return errs;
}

/** ValidateWebhookURL (https only). */
function validateWebhookURL(path: FieldPath, raw: string): FieldError[] {
  const form = '; desired format: https://host[/path]';
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return [required(path, `url must be a valid URL: parse ${JSON.stringify(raw)}: invalid URI for request${form}`)];
  }
  const errs: FieldError[] = [];
  const scheme = u.protocol.replace(/:$/, '');
  if (scheme !== 'https') errs.push(invalid(path, scheme, `'https' is the only allowed URL scheme${form}`));
  if (!u.host) errs.push(invalid(path, u.host, `host must be provided${form}`));
  if (u.username || u.password)
    errs.push(invalid(path, u.password ? `${u.username}:xxxxx` : u.username, 'user information is not permitted in the URL'));
  if (u.hash) errs.push(invalid(path, u.hash.slice(1), 'fragments are not permitted in the URL'));
  if (u.search) errs.push(invalid(path, u.search.slice(1), 'query parameters are not permitted in the URL'));
  return errs;
}

/** ValidateWebhookService. */
function validateWebhookService(path: FieldPath, service: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(service['name'])) errs.push(required(path.child('name'), 'service name is required'));
  if (!str(service['namespace'])) errs.push(required(path.child('namespace'), 'service namespace is required'));
  const port = typeof service['port'] === 'number' ? service['port'] : 443;
  const portErrs = isValidPortNum(port);
  if (portErrs.length > 0) errs.push(invalid(path.child('port'), port, `port is not valid: ${portErrs.join(', ')}`));
  const urlPath = service['path'];
  if (typeof urlPath !== 'string' || urlPath === '' || urlPath === '/') return errs;
  if (urlPath === '//') return [...errs, invalid(path.child('path'), urlPath, 'segment[0] may not be empty')];
  if (!urlPath.startsWith('/')) errs.push(invalid(path.child('path'), urlPath, "must start with a '/'"));
  let check = urlPath.slice(1);
  if (check.endsWith('/')) check = check.slice(0, -1);
  check.split('/').forEach((step, i) => {
    if (step === '') errs.push(invalid(path.child('path'), urlPath, `segment[${i}] may not be empty`));
    else for (const m of isDNS1123Subdomain(step)) errs.push(invalid(path.child('path'), urlPath, `segment[${i}]: ${m}`));
  });
  return errs;
}

/** validateMatchConditions: names, and expressions that compile to bool in the CEL environment. */
function validateMatchConditions(conditions: Obj[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (conditions.length > MAX_MATCH_CONDITIONS) errs.push(tooMany(path, conditions.length, MAX_MATCH_CONDITIONS));
  const names = new Set<string>();
  conditions.forEach((c, i) => {
    const name = str(c['name']);
    if (str(c['expression']).trim() === '') errs.push(required(path.index(i).child('expression')));
    else errs.push(...compileErrors(path.index(i).child('expression'), c['expression'], 'bool'));
    if (name === '') errs.push(required(path.index(i).child('name')));
    else {
      for (const m of isQualifiedName(name)) errs.push(invalid(path.index(i).child('name'), name, m));
      if (names.has(name)) errs.push(duplicate(path.index(i).child('name'), name));
      names.add(name);
    }
  });
  return errs;
}

interface ValidationOptions {
  requireNoSideEffects: boolean;
  requireRecognizedAdmissionReviewVersion: boolean;
  requireUniqueWebhookNames: boolean;
}

const CREATE_OPTIONS: ValidationOptions = {
  requireNoSideEffects: true,
  requireRecognizedAdmissionReviewVersion: true,
  requireUniqueWebhookNames: true,
};

function validateWebhook(hook: Obj, mutating: boolean, opts: ValidationOptions, path: FieldPath): FieldError[] {
  const errs = isFullyQualifiedName(path.child('name'), str(hook['name']));
  objs(hook['rules']).forEach((rule, i) => errs.push(...validateRuleWithOperations(rule, path.child('rules').index(i))));
  const enumErr = (key: string, values: string[]) => {
    const v = hook[key];
    if (v !== undefined && v !== null && !values.includes(str(v))) errs.push(notSupported(path.child(key), v, values));
  };
  enumErr('failurePolicy', FAILURE_POLICIES);
  enumErr('matchPolicy', MATCH_POLICIES);
  const allowedSideEffects = opts.requireNoSideEffects ? NO_SIDE_EFFECT_CLASSES : SIDE_EFFECT_CLASSES;
  if (hook['sideEffects'] === undefined || hook['sideEffects'] === null) {
    errs.push(required(path.child('sideEffects'), `must specify one of ${allowedSideEffects.join(', ')}`));
  } else enumErr('sideEffects', allowedSideEffects);
  const timeout = hook['timeoutSeconds'];
  if (typeof timeout === 'number' && (timeout > 30 || timeout < 1)) {
    errs.push(invalid(path.child('timeoutSeconds'), timeout, 'the timeout value must be between 1 and 30 seconds'));
  }
  errs.push(...validateLabelSelector(hook['namespaceSelector'] as LabelSelector | undefined, path.child('namespaceSelector')));
  errs.push(...validateLabelSelector(hook['objectSelector'] as LabelSelector | undefined, path.child('objectSelector')));
  if (mutating) enumErr('reinvocationPolicy', REINVOCATION_POLICIES);
  const cc = asObj(hook['clientConfig']) ?? {};
  const url = cc['url'];
  const service = asObj(cc['service']);
  if ((typeof url === 'string') === Boolean(service))
    errs.push(required(path.child('clientConfig'), 'exactly one of url or service is required'));
  else if (typeof url === 'string') errs.push(...validateWebhookURL(path.child('clientConfig', 'url'), url));
  else if (service) errs.push(...validateWebhookService(path.child('clientConfig', 'service'), service));
  errs.push(...validateMatchConditions(objs(hook['matchConditions']), path.child('matchConditions')));
  return errs;
}

/** validate{Mutating,Validating}WebhookConfiguration. */
export function validateWebhookConfiguration(obj: KubeObject, mutating: boolean, opts: ValidationOptions = CREATE_OPTIONS): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objs(obj['webhooks']).forEach((hook, i) => {
    const path = newPath('webhooks').index(i);
    errs.push(...validateWebhook(hook, mutating, opts, path));
    errs.push(
      ...validateAdmissionReviewVersions(
        arr(hook['admissionReviewVersions']),
        opts.requireRecognizedAdmissionReviewVersion,
        path.child('admissionReviewVersions'),
      ),
    );
    const name = str(hook['name']);
    if (opts.requireUniqueWebhookNames && name) {
      if (names.has(name)) errs.push(duplicate(path.child('name'), name));
      names.add(name);
    }
  });
  return errs;
}

/** Update validation relaxes what the old object already broke (upstream's ratcheting). */
function updateOptions(old: KubeObject): ValidationOptions {
  const hooks = objs(old['webhooks']);
  const hookNames = hooks.map((h) => str(h['name']));
  return {
    requireNoSideEffects: hooks.every((h) => NO_SIDE_EFFECT_CLASSES.includes(str(h['sideEffects']))),
    requireRecognizedAdmissionReviewVersion: hooks.every((h) => {
      const versions = arr(h['admissionReviewVersions']);
      return versions.length === 0 || versions.some((v) => ACCEPTED_ADMISSION_REVIEW_VERSIONS.includes(str(v)));
    }),
    requireUniqueWebhookNames: new Set(hookNames).size === hookNames.length,
  };
}

function strategy(mutating: boolean): ResourceStrategy {
  return {
    defaults(obj) {
      for (const hook of objs(obj['webhooks'])) defaultWebhook(hook, mutating);
    },
    validate: (obj) => validateWebhookConfiguration(obj, mutating),
    validateUpdate: (obj, old) => validateWebhookConfiguration(obj, mutating, updateOptions(old)),
  };
}

export const mutatingWebhookConfigurationStrategy = strategy(true);
export const validatingWebhookConfigurationStrategy = strategy(false);

export const webhookConfigurationPrinter: TablePrinter = {
  columns: [NAME_COLUMN, column('Webhooks', 'integer', 'Webhooks indicates the number of webhooks in the configuration.'), AGE_COLUMN],
  row: (obj, now) => [obj.metadata.name ?? '', arr(obj['webhooks']).length, objectAge(obj, now)],
};
