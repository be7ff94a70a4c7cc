/** Pod update rules (ValidatePodUpdate, ValidatePodStatusUpdate in pkg/apis/core/validation). */
import type { FieldError } from '../../machinery/errors.js';
import { forbidden, invalid, newPath } from '../../machinery/validation/field.js';
import { isValidIP } from '../../machinery/validation/ip.js';
import { asObj, num, objs, str, type Obj } from './access.js';
import { jsonEqual } from '../../machinery/json-equal.js';
import { validateDNS1123Subdomain } from './pod-validation.js';
import { cloneJson } from '../../machinery/clone.js';

export const POD_UPDATE_FORBIDDEN_MESSAGE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function withOldImages(newList: Obj[], oldList: Obj[]): Obj[] {
  if (newList.length !== oldList.length) return newList;
  return newList.map((c, i) => ({ ...c, image: oldList[i]?.['image'] }));
}

function isSubset(small: unknown, big: unknown): boolean {
  const b = objs(big);
  return objs(small).every((x) => b.some((y) => jsonEqual(x, y)));
}

/** A short cmp-style diff of the top-level PodSpec fields that differ. */
function specDiff(a: Obj, b: Obj): string {
  const lines = ['  core.PodSpec{'];
  for (const k of [...new Set([...Object.keys(b), ...Object.keys(a)])]) {
    if (jsonEqual(a[k], b[k])) continue;
    if (b[k] !== undefined) lines.push(`- \t${k}: ${JSON.stringify(b[k])},`);
    if (a[k] !== undefined) lines.push(`+ \t${k}: ${JSON.stringify(a[k])},`);
  }
  lines.push('  }');
  return lines.join('\n');
}

export function validatePodSpecUpdate(spec: Obj, old: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const specPath = newPath('spec');
  const munged: Obj = cloneJson(spec);
  munged['containers'] = withOldImages(objs(spec['containers']), objs(old['containers']));
  if (spec['initContainers'] !== undefined)
    munged['initContainers'] = withOldImages(objs(spec['initContainers']), objs(old['initContainers']));
  munged['ephemeralContainers'] = old['ephemeralContainers'];
  const newDeadline = num(spec['activeDeadlineSeconds']);
  const oldDeadline = num(old['activeDeadlineSeconds']);
  if (newDeadline !== undefined) {
    if (oldDeadline !== undefined && newDeadline > oldDeadline) {
      errs.push(invalid(specPath.child('activeDeadlineSeconds'), newDeadline, 'must be less than or equal to previous value'));
    }
    munged['activeDeadlineSeconds'] = old['activeDeadlineSeconds'];
  } else if (oldDeadline !== undefined) {
    errs.push(invalid(specPath.child('activeDeadlineSeconds'), null, 'must not update from a positive integer to nil value'));
  }
  if (isSubset(old['tolerations'], spec['tolerations'])) munged['tolerations'] = old['tolerations'];
  if (isSubset(spec['schedulingGates'], old['schedulingGates'])) munged['schedulingGates'] = old['schedulingGates'];
  const oldGrace = num(old['terminationGracePeriodSeconds']);
  if (oldGrace !== undefined && oldGrace < 0 && spec['terminationGracePeriodSeconds'] === 1) {
    munged['terminationGracePeriodSeconds'] = oldGrace;
  }
  for (const k of Object.keys(munged)) if (munged[k] === undefined) delete munged[k];
  if (!jsonEqual(munged, old)) errs.push(forbidden(specPath, `${POD_UPDATE_FORBIDDEN_MESSAGE}\n${specDiff(munged, old)}`));
  return errs;
}

/** ValidatePodStatusUpdate: node names, pod IPs and container state transitions. */
export function validatePodStatusUpdate(status: Obj, oldStatus: Obj, restartPolicy: string): FieldError[] {
  const errs: FieldError[] = [];
  const path = newPath('status');
  const nominated = str(status['nominatedNodeName']);
  if (nominated) errs.push(...validateDNS1123Subdomain(nominated, path.child('nominatedNodeName')));
  objs(status['podIPs']).forEach((ip, i) => errs.push(...isValidIP(path.child('podIPs').index(i).child('ip'), str(ip['ip']))));
  for (const list of ['containerStatuses', 'initContainerStatuses']) {
    const olds = objs(oldStatus[list]);
    objs(status[list]).forEach((cs, i) => {
      const prev = olds.find((o) => o['name'] === cs['name']);
      const prevTerminated = asObj(asObj(prev?.['state'])?.['terminated']);
      if (!prevTerminated || asObj(asObj(cs['state'])?.['terminated'])) return;
      const exitCode = num(prevTerminated['exitCode']) ?? 0;
      if (restartPolicy === 'Never' || (restartPolicy === 'OnFailure' && exitCode === 0)) {
        errs.push(forbidden(path.child(list).index(i).child('state'), 'may not be transitioned to non-terminated state'));
      }
    });
  }
  return errs;
}
