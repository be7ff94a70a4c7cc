/** events.k8s.io/v1 Event: validation (ValidateEventCreate/Update), field labels and printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { asObj, part, str } from '../core/access.js';
import { eventPrinter } from '../core/event.js';
import { invalid, newPath, required, type FieldError } from '../../machinery/validation/field.js';
import { isDNS1123Subdomain, isQualifiedName } from '../../machinery/validation/formats.js';
import { validateImmutableField } from '../../machinery/validation/object-meta.js';
import { eventToCore } from './convert.js';

const LIMIT = 128;
const NOTE_LIMIT = 1024;
const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** legacyValidateEvent for an events.k8s.io request (field names of the internal type, as upstream). */
function legacyValidate(ev: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const ns = ev.metadata.namespace ?? '';
  const regardingNs = str(part(ev, 'regarding')['namespace']);
  const nsPath = newPath('involvedObject', 'namespace');
  if (!isSet(ev['eventTime'])) {
    if (!regardingNs ? ns !== '' && ns !== 'default' : ns !== regardingNs)
      errs.push(invalid(nsPath, regardingNs, 'does not match event.namespace'));
  } else {
    if (!regardingNs && ns !== 'default' && ns !== 'kube-system') errs.push(invalid(nsPath, regardingNs, 'does not match event.namespace'));
    const controller = str(ev['reportingController']);
    if (!controller) errs.push(required(newPath('reportingController'), ''));
    for (const m of isQualifiedName(controller)) errs.push(invalid(newPath('reportingController'), controller, m));
    for (const [key, limit, path] of [
      ['reportingInstance', LIMIT, 'reportingInstance'],
      ['action', LIMIT, 'action'],
      ['reason', LIMIT, 'reason'],
    ] as const) {
      const v = str(ev[key]);
      if (!v) errs.push(required(newPath(path), ''));
      if (v.length > limit) errs.push(invalid(newPath(path), '', `can have at most ${limit} characters`));
    }
    if (str(ev['note']).length > NOTE_LIMIT) errs.push(invalid(newPath('message'), '', `can have at most ${NOTE_LIMIT} characters`));
  }
  if (regardingNs) for (const m of isDNS1123Subdomain(regardingNs)) errs.push(invalid(nsPath, regardingNs, m));
  return errs;
}

function validateSeries(ev: KubeObject): FieldError[] {
  const series = asObj(ev['series']);
  if (!series) return [];
  const errs: FieldError[] = [];
  if (typeof series['count'] !== 'number' || series['count'] < 2) errs.push(invalid(newPath('series.count'), '', 'should be at least 2'));
  if (!isSet(series['lastObservedTime'])) errs.push(required(newPath('series.lastObservedTime'), ''));
  return errs;
}

/** ValidateEventCreate for events.k8s.io/v1. */
export function validateEventsV1(ev: KubeObject): FieldError[] {
  const errs = [...legacyValidate(ev), ...validateSeries(ev)];
  if (!isSet(ev['eventTime'])) errs.push(required(newPath('eventTime'), ''));
  const type = str(ev['type']);
  if (type !== 'Normal' && type !== 'Warning') errs.push(invalid(newPath('type'), '', `has invalid value: ${type}`));
  if (isSet(ev['deprecatedFirstTimestamp'])) errs.push(invalid(newPath('deprecatedFirstTimestamp'), '', 'needs to be unset'));
  if (isSet(ev['deprecatedLastTimestamp'])) errs.push(invalid(newPath('deprecatedLastTimestamp'), '', 'needs to be unset'));
  if (typeof ev['deprecatedCount'] === 'number' && ev['deprecatedCount'] !== 0)
    errs.push(invalid(newPath('deprecatedCount'), '', 'needs to be unset'));
  const source = part(ev, 'deprecatedSource');
  if (str(source['component']) || str(source['host'])) errs.push(invalid(newPath('deprecatedSource'), '', 'needs to be unset'));
  return errs;
}

/** ValidateEventUpdate for events.k8s.io/v1: everything but series and metadata is fixed. */
export function validateEventsV1Update(ev: KubeObject, old: KubeObject): FieldError[] {
  const errs = [...legacyValidate(ev), ...validateSeries(ev)];
  const pairs: [string, string][] = [
    ['regarding', 'involvedObject'],
    ['reason', 'reason'],
    ['note', 'message'],
    ['deprecatedSource', 'source'],
    ['deprecatedFirstTimestamp', 'firstTimestamp'],
    ['deprecatedLastTimestamp', 'lastTimestamp'],
    ['deprecatedCount', 'count'],
    ['type', 'type'],
    ['eventTime', 'eventTime'],
    ['action', 'action'],
    ['related', 'related'],
    ['reportingController', 'reportingController'],
    ['reportingInstance', 'reportingInstance'],
  ];
  for (const [key, path] of pairs) errs.push(...validateImmutableField(ev[key] ?? null, old[key] ?? null, newPath(path)));
  return errs;
}

function selectableFields(ev: KubeObject): Record<string, string> {
  const r = part(ev, 'regarding');
  const out: Record<string, string> = {};
  for (const k of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) out[`regarding.${k}`] = str(r[k]);
  out['reason'] = str(ev['reason']);
  out['reportingController'] = str(ev['reportingController']);
  out['type'] = str(ev['type']);
  return out;
}

export const eventsV1Strategy: ResourceStrategy = {
  validate: validateEventsV1,
  validateUpdate: validateEventsV1Update,
  selectableFields,
};

/** The same columns and cells as core Events, through the core form. */
export const eventsV1Printer: TablePrinter = {
  columns: eventPrinter.columns,
  row: (ev, now) => eventPrinter.row(eventToCore(ev), now),
};
