/** networking.k8s.io/v1 IngressClass: defaults, validation and Table printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { asObj, dig, part, setDefault, str } from '../core/access.js';
import { forbidden, invalid, newPath, notSupported, required, tooLong, type FieldError } from '../../machinery/validation/field.js';
import { isDomainPrefixedPath, isDNS1123Label } from '../../machinery/validation/formats.js';
import { validateImmutableField } from '../../machinery/validation/object-meta.js';
import { AGE_COLUMN, column, NAME_COLUMN, objectAge } from '../apps/printing.js';

const MAX_CONTROLLER_LENGTH = 250;
const SCOPES = ['Cluster', 'Namespace'];

export function defaultIngressClass(obj: KubeObject): void {
  const params = asObj(dig(obj, 'spec', 'parameters'));
  if (params) setDefault(params, 'scope', 'Cluster');
}

/** ValidateIngressClass (spec). */
export function validateIngressClass(obj: KubeObject): FieldError[] {
  const s = part(obj, 'spec');
  const p = newPath('spec');
  const errs: FieldError[] = [];
  const controller = str(s['controller']);
  if (controller.length > MAX_CONTROLLER_LENGTH) errs.push(tooLong(p.child('controller'), controller, MAX_CONTROLLER_LENGTH));
  errs.push(...isDomainPrefixedPath(p.child('controller'), controller));
  const params = asObj(s['parameters']);
  if (params) {
    const pp = p.child('parameters');
    if (!str(params['kind'])) errs.push(required(pp.child('kind'), ''));
    if (!str(params['name'])) errs.push(required(pp.child('name'), ''));
    const scope = str(params['scope']);
    const ns = str(params['namespace']);
    if (!SCOPES.includes(scope)) errs.push(notSupported(pp.child('scope'), scope, SCOPES));
    else if (scope === 'Namespace' && !ns) errs.push(required(pp.child('namespace'), "`parameters.scope` is set to 'Namespace'"));
    else if (scope === 'Cluster' && ns) errs.push(forbidden(pp.child('namespace'), "`parameters.scope` is set to 'Cluster'"));
    if (ns) for (const m of isDNS1123Label(ns)) errs.push(invalid(pp.child('namespace'), ns, m));
  }
  return errs;
}

export const ingressClassStrategy: ResourceStrategy = {
  defaults: defaultIngressClass,
  validate: validateIngressClass,
  validateUpdate: (obj, old) => [
    ...validateIngressClass(obj),
    ...validateImmutableField(dig(obj, 'spec', 'controller'), dig(old, 'spec', 'controller'), 'spec.controller'),
  ],
};

export const ingressClassPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Controller', 'string', 'Controller that is responsible for handling this class'),
    column('Parameters', 'string', 'A reference to a resource with additional parameters'),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const s = part(obj, 'spec');
    const params = asObj(s['parameters']);
    let parameters = '<none>';
    if (params) {
      parameters = str(params['kind']);
      if (typeof params['apiGroup'] === 'string') parameters += `.${params['apiGroup']}`;
      parameters += `/${str(params['name'])}`;
    }
    return [obj.metadata.name ?? '', str(s['controller']), parameters, objectAge(obj, now)];
  },
};
