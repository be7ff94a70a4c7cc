/** ReplicationControllers and PodTemplates (pkg/registry/core/replicationcontroller, podtemplate). */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import type { FieldError } from '../../machinery/errors.js';
import { invalid, newPath, notSupported, required } from '../../machinery/validation/field.js';
import { validateNonnegativeField } from '../../machinery/validation/object-meta.js';
import { asObj, child, num, objs, part, setDefault, strMap, type Obj } from './access.js';
import { defaultPodTemplateSpec } from './pod-defaults.js';
import { validatePodTemplateSpec } from './pod-validation.js';
import { AGE_COLUMN, NAME_COLUMN, age, column, containerCells, describe, formatLabels } from './printer-columns.js';

/** SetDefaults_ReplicationController: selector and labels from the template, one replica. */
function defaultReplicationController(rc: KubeObject): void {
  const spec = child(rc, 'spec');
  const template = asObj(spec['template']);
  const templateLabels = strMap(asObj(template?.['metadata'])?.['labels']);
  if (template && Object.keys(templateLabels).length > 0) {
    if (Object.keys(strMap(spec['selector'])).length === 0) spec['selector'] = { ...templateLabels };
    if (Object.keys(rc.metadata.labels ?? {}).length === 0) rc.metadata.labels = { ...templateLabels };
  }
  setDefault(spec, 'replicas', 1);
  defaultPodTemplateSpec(template);
}

function labelsMatch(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function validateReplicationController(rc: KubeObject): FieldError[] {
  const spec = part(rc, 'spec');
  const path = newPath('spec');
  const errs = validateNonnegativeField(num(spec['minReadySeconds']) ?? 0, path.child('minReadySeconds'));
  const selector = strMap(spec['selector']);
  if (Object.keys(selector).length === 0) errs.push(required(path.child('selector')));
  errs.push(...validateNonnegativeField(num(spec['replicas']) ?? 0, path.child('replicas')));
  const tpath = path.child('template');
  const template = asObj(spec['template']);
  if (!template) return [...errs, required(tpath)];
  const labels = strMap(asObj(template['metadata'])?.['labels']);
  if (Object.keys(selector).length > 0 && !labelsMatch(selector, labels)) {
    errs.push(invalid(tpath.child('metadata', 'labels'), labels, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(template, tpath));
  const tspec = asObj(template['spec']) ?? {};
  if (tspec['restartPolicy'] !== 'Always')
    errs.push(notSupported(tpath.child('spec', 'restartPolicy'), tspec['restartPolicy'] ?? '', ['Always']));
  if (tspec['activeDeadlineSeconds'] !== undefined) {
    errs.push(
      invalid(
        tpath.child('spec', 'activeDeadlineSeconds'),
        tspec['activeDeadlineSeconds'],
        'activeDeadlineSeconds in ReplicationController is not Supported',
      ),
    );
  }
  return errs;
}

function validateStatus(rc: KubeObject): FieldError[] {
  const status = part(rc, 'status');
  const path = newPath('status');
  const errs: FieldError[] = [];
  const replicas = num(status['replicas']) ?? 0;
  for (const f of ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']) {
    errs.push(...validateNonnegativeField(num(status[f]) ?? 0, path.child(f)));
  }
  for (const f of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']) {
    const v = num(status[f]) ?? 0;
    if (v > replicas) errs.push(invalid(path.child(f), v, 'cannot be greater than status.replicas'));
  }
  const available = num(status['availableReplicas']) ?? 0;
  const ready = num(status['readyReplicas']) ?? 0;
  if (available > ready) errs.push(invalid(path.child('availableReplicas'), available, 'cannot be greater than readyReplicas'));
  return errs;
}

export const replicationControllerStrategy: ResourceStrategy = {
  defaults: defaultReplicationController,
  prepareForCreate(rc) {
    rc['status'] = { replicas: 0 };
  },
  validate: validateReplicationController,
  validateUpdate: validateReplicationController,
  validateStatusUpdate: validateStatus,
  selectableFields: (rc) => ({ 'status.replicas': String(num(part(rc, 'status')['replicas']) ?? 0) }),
};

function templateContainers(template: unknown): Obj[] {
  return objs(asObj(asObj(template)?.['spec'])?.['containers']);
}

export const replicationControllerPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', describe('ReplicationControllerSpec', 'replicas')),
    column('Current', 'integer', describe('ReplicationControllerStatus', 'replicas')),
    column('Ready', 'integer', describe('ReplicationControllerStatus', 'readyReplicas')),
    AGE_COLUMN,
    column('Containers', 'string', 'Names of each container in the template.', 1),
    column('Images', 'string', 'Images referenced by each container in the template.', 1),
    column('Selector', 'string', describe('ReplicationControllerSpec', 'selector'), 1),
  ],
  row(rc, now) {
    const spec = part(rc, 'spec');
    const status = part(rc, 'status');
    const [names, images] = containerCells(templateContainers(spec['template']));
    return [
      rc.metadata.name ?? '',
      num(spec['replicas']) ?? 0,
      num(status['replicas']) ?? 0,
      num(status['readyReplicas']) ?? 0,
      age(rc.metadata.creationTimestamp, now),
      names,
      images,
      formatLabels(strMap(spec['selector'])),
    ];
  },
};

function validatePodTemplate(pt: KubeObject): FieldError[] {
  return validatePodTemplateSpec(pt['template'], newPath('template'));
}

export const podTemplateStrategy: ResourceStrategy = {
  defaults: (pt) => defaultPodTemplateSpec(pt['template']),
  validate: validatePodTemplate,
  validateUpdate: validatePodTemplate,
};

export const podTemplatePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Containers', 'string', 'Names of each container in the template.'),
    column('Images', 'string', 'Images referenced by each container in the template.'),
    column('Pod Labels', 'string', 'The labels for the pod template.'),
  ],
  row(pt) {
    const [names, images] = containerCells(templateContainers(pt['template']));
    return [pt.metadata.name ?? '', names, images, formatLabels(strMap(asObj(asObj(pt['template'])?.['metadata'])?.['labels']))];
  },
};
