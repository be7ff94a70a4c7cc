/** apps/v1 StatefulSet: defaults, validation, status and Table printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { asObj, child, dig, objs, part, setDefault, str } from '../core/access.js';
import { jsonEqual } from '../../machinery/json-equal.js';
import { forbidden, invalid, newPath, notSupported, required, type FieldError } from '../../machinery/validation/field.js';
import { defaultPodTemplateSpec, templateRestartPolicy, validatePodTemplateSpec, validateSelectorMatchesTemplate } from './pod-template.js';
import {
  nonNegative,
  notMoreThan100Percent,
  positiveIntOrPercent,
  intOrPercentValue,
  selectorOf,
  validateRequiredSelector,
  validateStatusCounts,
} from './workload.js';
import { AGE_COLUMN, column, CONTAINERS_COLUMN, IMAGES_COLUMN, int, NAME_COLUMN, objectAge, templateCells } from './printing.js';

const spec = newPath('spec');
const RETENTION = ['Retain', 'Delete'];
/** Spec fields an update may change (ValidateStatefulSetUpdate). */
const MUTABLE = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
];

/** SetDefaults_StatefulSet, the template's pod defaults and the claim templates' PVC defaults. */
export function defaultStatefulSet(obj: KubeObject): void {
  const s = child(obj, 'spec');
  setDefault(s, 'podManagementPolicy', 'OrderedReady');
  const us = child(s, 'updateStrategy');
  if (!us['type']) {
    us['type'] = 'RollingUpdate';
    if (!asObj(us['rollingUpdate'])) us['rollingUpdate'] = {};
  }
  const ru = asObj(us['rollingUpdate']);
  if (us['type'] === 'RollingUpdate' && ru) setDefault(ru, 'partition', 0);
  const retention = child(s, 'persistentVolumeClaimRetentionPolicy');
  setDefault(retention, 'whenDeleted', 'Retain');
  setDefault(retention, 'whenScaled', 'Retain');
  setDefault(s, 'replicas', 1);
  setDefault(s, 'revisionHistoryLimit', 10);
  defaultPodTemplateSpec(s['template']);
  for (const pvc of objs(s['volumeClaimTemplates'])) {
    setDefault(pvc, 'apiVersion', 'v1');
    setDefault(pvc, 'kind', 'PersistentVolumeClaim');
    setDefault(child(pvc, 'spec'), 'volumeMode', 'Filesystem');
    setDefault(child(pvc, 'status'), 'phase', 'Pending');
  }
}

function validateUpdateStrategy(s: Record<string, unknown>): FieldError[] {
  const us = asObj(s['updateStrategy']) ?? {};
  const p = spec.child('updateStrategy');
  const ru = asObj(us['rollingUpdate']);
  switch (us['type']) {
    case undefined:
    case '':
      return [required(p, '')];
    case 'OnDelete':
      return ru ? [invalid(p.child('rollingUpdate'), ru, "only allowed for updateStrategy 'RollingUpdate'")] : [];
    case 'RollingUpdate': {
      if (!ru) return [];
      const rp = p.child('rollingUpdate');
      const errs = nonNegative(ru, 'partition', rp);
      if (ru['maxUnavailable'] !== undefined) {
        errs.push(...positiveIntOrPercent(ru, 'maxUnavailable', rp), ...notMoreThan100Percent(ru, 'maxUnavailable', rp));
        if (intOrPercentValue(ru['maxUnavailable']) === 0)
          errs.push(invalid(rp.child('maxUnavailable'), ru['maxUnavailable'], 'must be greater than 0'));
      }
      return errs;
    }
    default:
      return [invalid(p, us, "must be 'RollingUpdate' or 'OnDelete'")];
  }
}

/**
 * The template with a volume for each volumeClaimTemplate it does not name itself, as the
 * controller gives its pods: containers mount the claims by their template names. (Upstream
 * checks only the template's labels and annotations, with a TODO to check mounts against "the
 * union of the given volumes and volumeClaims"; that union is what is validated here.)
 */
function withClaimVolumes(s: Record<string, unknown>): unknown {
  const template = asObj(s['template']);
  const claims = objs(s['volumeClaimTemplates']);
  if (!template || claims.length === 0) return s['template'];
  const podSpec = asObj(template['spec']) ?? {};
  const volumes = objs(podSpec['volumes']);
  const named = new Set(volumes.map((v) => str(v['name'])));
  const added = claims
    .map((c) => str(asObj(c['metadata'])?.['name']))
    .filter((name) => name !== '' && !named.has(name))
    .map((name) => ({ name, persistentVolumeClaim: { claimName: name } }));
  return { ...template, spec: { ...podSpec, volumes: [...volumes, ...added] } };
}

/** ValidateStatefulSetSpec. */
export function validateStatefulSet(obj: KubeObject): FieldError[] {
  const s = part(obj, 'spec');
  const errs: FieldError[] = [];
  const pmp = str(s['podManagementPolicy']);
  if (!pmp) errs.push(required(spec.child('podManagementPolicy'), ''));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') {
    errs.push(invalid(spec.child('podManagementPolicy'), pmp, "must be 'OrderedReady' or 'Parallel'"));
  }
  errs.push(...validateUpdateStrategy(s));
  const retention = asObj(s['persistentVolumeClaimRetentionPolicy']);
  if (retention) {
    const rp = spec.child('persistentVolumeClaimRetentionPolicy');
    for (const k of ['whenDeleted', 'whenScaled']) {
      const v = str(retention[k]);
      if (!RETENTION.includes(v)) errs.push(notSupported(rp.child(k), v, RETENTION));
    }
  }
  errs.push(
    ...nonNegative(s, 'revisionHistoryLimit', spec),
    ...nonNegative(s, 'replicas', spec),
    ...nonNegative(s, 'minReadySeconds', spec),
  );
  const start = dig(s, 'ordinals', 'start');
  if (typeof start === 'number' && start < 0) errs.push(invalid(spec.child('ordinals.start'), start, 'must be greater than or equal to 0'));
  if (validateRequiredSelector(s, spec, 'statefulset', errs)) {
    const tp = spec.child('template');
    errs.push(...validateSelectorMatchesTemplate(selectorOf(s), s['template'], tp), ...validatePodTemplateSpec(withClaimVolumes(s), tp));
  }
  const policy = templateRestartPolicy(s['template']);
  if (policy !== 'Always') errs.push(notSupported(spec.child('template', 'spec', 'restartPolicy'), policy, ['Always']));
  if (dig(s, 'template', 'spec', 'activeDeadlineSeconds') !== undefined) {
    errs.push(forbidden(spec.child('template', 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  return errs;
}

/** ValidateStatefulSetUpdate: only some spec fields may change. */
export function validateStatefulSetUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const strip = (o: KubeObject): Record<string, unknown> => {
    const s = { ...part(o, 'spec') };
    for (const k of MUTABLE) delete s[k];
    return s;
  };
  const errs = validateStatefulSet(obj);
  if (!jsonEqual(strip(obj), strip(old))) {
    errs.push(
      forbidden(
        spec,
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  }
  return errs;
}

/** ValidateStatefulSetStatus. */
export function validateStatefulSetStatus(obj: KubeObject): FieldError[] {
  const keys = [
    'replicas',
    'readyReplicas',
    'currentReplicas',
    'updatedReplicas',
    'availableReplicas',
    'observedGeneration',
    'collisionCount',
  ];
  return validateStatusCounts(part(obj, 'status'), keys, newPath('status'));
}

export const statefulSetStrategy: ResourceStrategy = {
  defaults: defaultStatefulSet,
  prepareForCreate(obj) {
    obj['status'] = { replicas: 0, availableReplicas: 0 };
  },
  validate: validateStatefulSet,
  validateUpdate: validateStatefulSetUpdate,
  validateStatusUpdate: (obj) => validateStatefulSetStatus(obj),
};

export const statefulSetPrinter: TablePrinter = {
  columns: [NAME_COLUMN, column('Ready', 'string', 'Number of the pod with ready state'), AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN],
  row(obj, now) {
    const s = part(obj, 'spec');
    const [names, images] = templateCells(s['template']);
    return [
      obj.metadata.name ?? '',
      `${int(part(obj, 'status')['readyReplicas'])}/${int(s['replicas'])}`,
      objectAge(obj, now),
      names,
      images,
    ];
  },
};
