/**
 * admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding:
 * defaults, validation (expressions must compile: a compile error is a field error, as upstream's
 * ValidateValidatingAdmissionPolicy) and Table printers.
 */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { arr, asObj, objs, part, setDefault, str, type Obj } from '../core/access.js';
import {
  duplicate,
  forbidden,
  invalid,
  newPath,
  notSupported,
  required,
  type FieldError,
  type FieldPath,
} from '../../machinery/validation/field.js';
import { validateLabelSelector, type LabelSelector } from '../../machinery/labels.js';
import { CelCompileError, compileExpression, type ResultType } from '../../apiserver/cel/environment.js';
import { AGE_COLUMN, column, NAME_COLUMN, objectAge } from '../apps/printing.js';
import './types-policy.js';

const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const REASONS = ['Forbidden', 'Invalid', 'RequestEntityTooLarge', 'Unauthorized'];
const ACTIONS = ['Audit', 'Deny', 'Warn'];
const NOT_FOUND_ACTIONS = ['Allow', 'Deny'];
const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];

/** SetDefaults_MatchResources and its rules. */
function defaultMatchResources(m: Obj): void {
  setDefault(m, 'matchPolicy', 'Equivalent');
  setDefault(m, 'namespaceSelector', {});
  setDefault(m, 'objectSelector', {});
  for (const rule of [...objs(m['resourceRules']), ...objs(m['excludeResourceRules'])]) setDefault(rule, 'scope', '*');
}

function defaultPolicy(obj: KubeObject): void {
  const spec = part(obj, 'spec');
  setDefault(spec, 'failurePolicy', 'Fail');
  const match = asObj(spec['matchConstraints']);
  if (match) defaultMatchResources(match);
}

function defaultBinding(obj: KubeObject): void {
  const match = asObj(part(obj, 'spec')['matchResources']);
  if (match) defaultMatchResources(match);
}

/** A compile error of `expression` at `path`, as upstream reports it (webhooks' matchConditions too). */
export function compileErrors(path: FieldPath, expression: unknown, want: ResultType): FieldError[] {
  const text = str(expression);
  if (!text) return [required(path, 'expression is not specified')];
  try {
    compileExpression(text, want);
    return [];
  } catch (err) {
    if (err instanceof CelCompileError) return [invalid(path, text, `compilation failed: ${err.message}`)];
    throw err;
  }
}

function validateRules(rules: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objs(rules).forEach((rule, i) => {
    const rp = p.index(i);
    const ops = arr(rule['operations']);
    if (ops.length === 0) errs.push(required(rp.child('operations')));
    ops.forEach((op, j) => {
      if (!OPERATIONS.includes(str(op))) errs.push(notSupported(rp.child('operations').index(j), op, OPERATIONS));
    });
    if (arr(rule['apiGroups']).length === 0) errs.push(required(rp.child('apiGroups')));
    if (arr(rule['apiVersions']).length === 0) errs.push(required(rp.child('apiVersions')));
    if (arr(rule['resources']).length === 0) errs.push(required(rp.child('resources')));
    const scope = rule['scope'];
    if (scope !== undefined && !SCOPES.includes(str(scope))) errs.push(notSupported(rp.child('scope'), scope, SCOPES));
  });
  return errs;
}

function validateMatchResources(m: Obj, p: FieldPath, requireRules: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const policy = m['matchPolicy'];
  if (policy !== undefined && !MATCH_POLICIES.includes(str(policy)))
    errs.push(notSupported(p.child('matchPolicy'), policy, MATCH_POLICIES));
  for (const key of ['namespaceSelector', 'objectSelector']) {
    errs.push(...validateLabelSelector(asObj(m[key]) as LabelSelector | undefined, p.child(key)));
  }
  if (requireRules && arr(m['resourceRules']).length === 0) errs.push(required(p.child('resourceRules')));
  errs.push(...validateRules(m['resourceRules'], p.child('resourceRules')));
  errs.push(...validateRules(m['excludeResourceRules'], p.child('excludeResourceRules')));
  return errs;
}

/** Names must be unique in a list of {name, expression}. */
function validateNamedExpressions(list: unknown, p: FieldPath, want: ResultType): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  objs(list).forEach((item, i) => {
    const name = str(item['name']);
    if (!name) errs.push(required(p.index(i).child('name')));
    else if (seen.has(name)) errs.push(duplicate(p.index(i).child('name'), name));
    seen.add(name);
    errs.push(...compileErrors(p.index(i).child('expression'), item['expression'], want));
  });
  return errs;
}

/** ValidateValidatingAdmissionPolicy. */
export function validateValidatingAdmissionPolicy(obj: KubeObject): FieldError[] {
  const spec = part(obj, 'spec');
  const p = newPath('spec');
  const errs: FieldError[] = [];
  const paramKind = asObj(spec['paramKind']);
  if (paramKind) {
    if (!str(paramKind['apiVersion'])) errs.push(required(p.child('paramKind', 'apiVersion')));
    if (!str(paramKind['kind'])) errs.push(required(p.child('paramKind', 'kind')));
  }
  const match = asObj(spec['matchConstraints']);
  if (!match) errs.push(required(p.child('matchConstraints')));
  else errs.push(...validateMatchResources(match, p.child('matchConstraints'), true));
  const failurePolicy = spec['failurePolicy'];
  if (failurePolicy !== undefined && !FAILURE_POLICIES.includes(str(failurePolicy))) {
    errs.push(notSupported(p.child('failurePolicy'), failurePolicy, FAILURE_POLICIES));
  }
  const validations = objs(spec['validations']);
  const annotations = objs(spec['auditAnnotations']);
  if (validations.length === 0 && annotations.length === 0) {
    errs.push(required(p.child('validations'), 'validations or auditAnnotations must contain at least one item'));
  }
  errs.push(...validateNamedExpressions(spec['matchConditions'], p.child('matchConditions'), 'bool'));
  errs.push(...validateNamedExpressions(spec['variables'], p.child('variables'), 'any'));
  validations.forEach((v, i) => {
    const vp = p.child('validations').index(i);
    errs.push(...compileErrors(vp.child('expression'), v['expression'], 'bool'));
    if (v['messageExpression'] !== undefined) errs.push(...compileErrors(vp.child('messageExpression'), v['messageExpression'], 'string'));
    const message = str(v['message']);
    if (message.includes('\n')) errs.push(invalid(vp.child('message'), message, 'message must not contain line breaks'));
    const reason = v['reason'];
    if (reason !== undefined && !REASONS.includes(str(reason))) errs.push(notSupported(vp.child('reason'), reason, REASONS));
  });
  const keys = new Set<string>();
  annotations.forEach((a, i) => {
    const ap = p.child('auditAnnotations').index(i);
    const key = str(a['key']);
    if (!key) errs.push(required(ap.child('key')));
    else if (keys.has(key)) errs.push(duplicate(ap.child('key'), key));
    keys.add(key);
    errs.push(...compileErrors(ap.child('valueExpression'), a['valueExpression'], 'any'));
  });
  return errs;
}

/** ValidateValidatingAdmissionPolicyBinding. */
export function validateValidatingAdmissionPolicyBinding(obj: KubeObject): FieldError[] {
  const spec = part(obj, 'spec');
  const p = newPath('spec');
  const errs: FieldError[] = [];
  if (!str(spec['policyName'])) errs.push(required(p.child('policyName')));
  const paramRef = asObj(spec['paramRef']);
  if (paramRef) {
    const rp = p.child('paramRef');
    const hasSelector = asObj(paramRef['selector']) !== undefined;
    if (str(paramRef['name']) && hasSelector) errs.push(forbidden(rp.child('name'), 'name and selector are mutually exclusive'));
    if (!str(paramRef['name']) && !hasSelector) errs.push(required(rp, 'one of name or selector must be set'));
    if (hasSelector) errs.push(...validateLabelSelector(asObj(paramRef['selector']) as LabelSelector, rp.child('selector')));
    const action = paramRef['parameterNotFoundAction'];
    if (action === undefined) errs.push(required(rp.child('parameterNotFoundAction')));
    else if (!NOT_FOUND_ACTIONS.includes(str(action)))
      errs.push(notSupported(rp.child('parameterNotFoundAction'), action, NOT_FOUND_ACTIONS));
  }
  const match = asObj(spec['matchResources']);
  if (match) errs.push(...validateMatchResources(match, p.child('matchResources'), false));
  const actions = arr(spec['validationActions']).map(str);
  const ap = p.child('validationActions');
  if (actions.length === 0) errs.push(required(ap, 'at least one validation action is required'));
  actions.forEach((a, i) => {
    if (!ACTIONS.includes(a)) errs.push(notSupported(ap.index(i), a, ACTIONS));
    else if (actions.indexOf(a) !== i) errs.push(duplicate(ap.index(i), a));
  });
  if (actions.includes('Deny') && actions.includes('Warn')) {
    errs.push(
      invalid(
        ap,
        actions,
        'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)',
      ),
    );
  }
  return errs;
}

export const validatingAdmissionPolicyStrategy: ResourceStrategy = {
  defaults: defaultPolicy,
  // status is the apiserver's (observedGeneration, typeChecking)
  prepareForCreate: (obj) => {
    delete obj['status'];
  },
  validate: validateValidatingAdmissionPolicy,
  validateUpdate: (obj) => validateValidatingAdmissionPolicy(obj),
};

export const validatingAdmissionPolicyBindingStrategy: ResourceStrategy = {
  defaults: defaultBinding,
  validate: validateValidatingAdmissionPolicyBinding,
  validateUpdate: (obj) => validateValidatingAdmissionPolicyBinding(obj),
};

export const validatingAdmissionPolicyPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Validations', 'integer', 'Validations contain CEL expressions which is used to apply the validation.'),
    column('ParamKind', 'string', 'ParamKind specifies the kind of resources used to parameterize this policy'),
    AGE_COLUMN,
  ],
  row: (obj, now) => {
    const spec = part(obj, 'spec');
    const kind = asObj(spec['paramKind']);
    return [
      obj.metadata.name ?? '',
      objs(spec['validations']).length,
      kind ? `${str(kind['apiVersion'])}/${str(kind['kind'])}` : '<unset>',
      objectAge(obj, now),
    ];
  },
};

export const validatingAdmissionPolicyBindingPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column(
      'PolicyName',
      'string',
      'PolicyName references a ValidatingAdmissionPolicy name which the ValidatingAdmissionPolicyBinding binds to.',
    ),
    column('ParamRef', 'string', 'ParamRef specifies the parameter resource used to configure the admission control policy.'),
    AGE_COLUMN,
  ],
  row: (obj, now) => {
    const spec = part(obj, 'spec');
    const ref = asObj(spec['paramRef']);
    const where = ref ? `${str(ref['namespace']) || '*'}/${str(ref['name']) || '*'}` : '<unset>';
    return [obj.metadata.name ?? '', str(spec['policyName']), where, objectAge(obj, now)];
  },
};
