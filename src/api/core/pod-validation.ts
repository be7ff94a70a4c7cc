/** PodSpec validation (ValidatePodSpec in pkg/apis/core/validation), shared by pods and templates. */
import type { FieldError } from '../../machinery/errors.js';
import { invalid, notSupported, required, type FieldPath } from '../../machinery/validation/field.js';
import { inclusiveRangeError, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../machinery/validation/formats.js';
import { validateLabels } from '../../machinery/validation/object-meta.js';
import { asObj, num, objs, str, strMap, type Obj } from './access.js';
import { validateContainers, validateDNS1123Label } from './container-validation.js';
import { validateVolumes } from './volume-validation.js';
import { validateResourceRequirements } from './resource-validation.js';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const MAX_INT32 = 2147483647;

export function validateDNS1123Subdomain(value: string, path: FieldPath): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => invalid(path, value, m));
}

export function validateRestartPolicy(value: string, path: FieldPath): FieldError[] {
  if (!value) return [required(path)];
  return RESTART_POLICIES.includes(value) ? [] : [notSupported(path, value, RESTART_POLICIES)];
}

function validateTolerations(tolerations: Obj[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  tolerations.forEach((t, i) => {
    const p = path.index(i);
    const key = str(t['key']);
    const operator = str(t['operator']);
    const value = str(t['value']);
    if (key) errs.push(...isQualifiedName(key).map((m) => invalid(p.child('key'), key, m)));
    if (!key && operator !== 'Exists') {
      errs.push(
        invalid(p.child('operator'), operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'),
      );
    }
    if (t['tolerationSeconds'] !== undefined && t['effect'] !== 'NoExecute') {
      errs.push(invalid(p.child('effect'), str(t['effect']), "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === '' || operator === 'Equal') {
      errs.push(...isValidLabelValue(value).map((m) => invalid(p.child('value'), value, m)));
    } else if (operator === 'Exists') {
      if (value) errs.push(invalid(p.child('operator'), value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(p.child('operator'), operator, ['Equal', 'Exists']));
    }
    const effect = str(t['effect']);
    if (effect && !TAINT_EFFECTS.includes(effect)) errs.push(notSupported(p.child('effect'), effect, TAINT_EFFECTS));
  });
  return errs;
}

/** ValidatePodSpec: containers, volumes, policies and scheduling fields. */
export function validatePodSpec(spec: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const volumes = validateVolumes(objs(spec['volumes']), path.child('volumes'));
  errs.push(...volumes.errs);
  const names = new Set<string>();
  const containers = objs(spec['containers']);
  if (containers.length === 0) errs.push(required(path.child('containers')));
  errs.push(...validateContainers(objs(spec['initContainers']), volumes.names, names, path.child('initContainers')));
  errs.push(...validateContainers(containers, volumes.names, names, path.child('containers')));
  errs.push(...validateRestartPolicy(str(spec['restartPolicy']), path.child('restartPolicy')));
  const dnsPolicy = str(spec['dnsPolicy']);
  if (!dnsPolicy) errs.push(required(path.child('dnsPolicy')));
  else if (!DNS_POLICIES.includes(dnsPolicy)) errs.push(notSupported(path.child('dnsPolicy'), dnsPolicy, DNS_POLICIES));
  if (dnsPolicy === 'None' && !asObj(spec['dnsConfig'])) {
    errs.push(required(path.child('dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  errs.push(...validateLabels(strMap(spec['nodeSelector']), path.child('nodeSelector')));
  const sa = str(spec['serviceAccountName']);
  if (sa) errs.push(...validateDNS1123Subdomain(sa, path.child('serviceAccountName')));
  const nodeName = str(spec['nodeName']);
  if (nodeName) errs.push(...validateDNS1123Subdomain(nodeName, path.child('nodeName')));
  const deadline = num(spec['activeDeadlineSeconds']);
  if (deadline !== undefined && (deadline < 1 || deadline > MAX_INT32)) {
    errs.push(invalid(path.child('activeDeadlineSeconds'), deadline, inclusiveRangeError(1, MAX_INT32)));
  }
  const hostname = str(spec['hostname']);
  if (hostname) errs.push(...validateDNS1123Label(hostname, path.child('hostname')));
  const subdomain = str(spec['subdomain']);
  if (subdomain) errs.push(...validateDNS1123Label(subdomain, path.child('subdomain')));
  errs.push(...validateTolerations(objs(spec['tolerations']), path.child('tolerations')));
  if (spec['resources'] !== undefined) errs.push(...validateResourceRequirements(spec['resources'], path.child('resources')));
  return errs;
}

/** ValidatePodTemplateSpec: labels of the template plus its spec. */
export function validatePodTemplateSpec(template: unknown, path: FieldPath): FieldError[] {
  const t = asObj(template);
  if (!t) return [required(path)];
  const meta = asObj(t['metadata']) ?? {};
  return [
    ...validateLabels(strMap(meta['labels']), path.child('metadata', 'labels')),
    ...validatePodSpec(asObj(t['spec']) ?? {}, path.child('spec')),
  ];
}
