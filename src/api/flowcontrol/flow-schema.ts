/** flowcontrol.apiserver.k8s.io/v1 FlowSchema: defaults, validation and Table printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { asObj, child, objs, part, str } from '../core/access.js';
import { invalid, newPath, notSupported, required, type FieldError, type FieldPath } from '../../machinery/validation/field.js';
import { AGE_COLUMN, column, describe, NAME_COLUMN, objectAge } from '../apps/printing.js';
import { FLOWCONTROL_V1 } from './types.js';

const SUBJECT_KINDS = ['Group', 'ServiceAccount', 'User'];
const DISTINGUISHER_METHODS = ['ByUser', 'ByNamespace'];

/** SetDefaults_FlowSchemaSpec: matchingPrecedence 1000. */
function defaultFlowSchema(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (spec['matchingPrecedence'] === undefined || spec['matchingPrecedence'] === 0) spec['matchingPrecedence'] = 1000;
}

function validateSubject(s: Record<string, unknown>, p: FieldPath): FieldError[] {
  const kind = str(s['kind']);
  if (!SUBJECT_KINDS.includes(kind)) return [notSupported(p.child('kind'), kind, SUBJECT_KINDS)];
  const member = kind === 'ServiceAccount' ? 'serviceAccount' : kind.toLowerCase();
  const m = asObj(s[member]);
  if (!m) return [required(p.child(member), `${member} is required when subject kind is '${kind}'`)];
  const errs: FieldError[] = [];
  if (!str(m['name'])) errs.push(required(p.child(member, 'name'), ''));
  if (kind === 'ServiceAccount' && !str(m['namespace'])) errs.push(required(p.child(member, 'namespace'), ''));
  return errs;
}

/** ValidateFlowSchema (the parts clients trip over). */
export function validateFlowSchema(obj: KubeObject): FieldError[] {
  const spec = part(obj, 'spec');
  const p = newPath('spec');
  const errs: FieldError[] = [];
  const precedence = spec['matchingPrecedence'];
  if (typeof precedence === 'number' && (precedence < 1 || precedence > 10000))
    errs.push(invalid(p.child('matchingPrecedence'), precedence, 'must be between 1 and 10000 inclusive'));
  if (!str(asObj(spec['priorityLevelConfiguration'])?.['name']))
    errs.push(required(p.child('priorityLevelConfiguration', 'name'), 'must reference a priority level'));
  const method = asObj(spec['distinguisherMethod']);
  if (method && !DISTINGUISHER_METHODS.includes(str(method['type'])))
    errs.push(notSupported(p.child('distinguisherMethod', 'type'), str(method['type']), DISTINGUISHER_METHODS));
  objs(spec['rules']).forEach((rule, i) => {
    const rp = p.child('rules').index(i);
    const subjects = objs(rule['subjects']);
    if (subjects.length === 0) errs.push(required(rp.child('subjects'), 'subjects must contain at least one value'));
    subjects.forEach((s, j) => errs.push(...validateSubject(s, rp.child('subjects').index(j))));
    if (objs(rule['resourceRules']).length === 0 && objs(rule['nonResourceRules']).length === 0)
      errs.push(required(rp, 'at least one of resourceRules and nonResourceRules has to be non-empty'));
  });
  return errs;
}

export const flowSchemaStrategy: ResourceStrategy = {
  // status is the apiserver's to write (through the status subresource)
  prepareForCreate: (obj) => {
    delete obj['status'];
  },
  defaults: defaultFlowSchema,
  validate: validateFlowSchema,
  validateUpdate: (obj) => validateFlowSchema(obj),
};

/** printFlowSchema: MissingPL is the Dangling condition's status, "?" before the controller set it. */
export const flowSchemaPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('PriorityLevel', 'string', describe(`${FLOWCONTROL_V1}.PriorityLevelConfigurationReference`, 'name')),
    column('MatchingPrecedence', 'string', describe(`${FLOWCONTROL_V1}.FlowSchemaSpec`, 'matchingPrecedence')),
    column('DistinguisherMethod', 'string', describe(`${FLOWCONTROL_V1}.FlowSchemaSpec`, 'distinguisherMethod')),
    AGE_COLUMN,
    column('MissingPL', 'string', 'references a broken or non-existent PriorityLevelConfiguration'),
  ],
  row: (obj, now) => {
    const spec = part(obj, 'spec');
    const dangling = objs(part(obj, 'status')['conditions']).find((c) => c['type'] === 'Dangling');
    return [
      obj.metadata.name ?? '',
      str(asObj(spec['priorityLevelConfiguration'])?.['name']),
      typeof spec['matchingPrecedence'] === 'number' ? spec['matchingPrecedence'] : 0,
      str(asObj(spec['distinguisherMethod'])?.['type']) || '<none>',
      objectAge(obj, now),
      dangling ? str(dangling['status']) : '?',
    ];
  },
};
