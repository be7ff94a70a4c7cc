/** core/v1 Events (pkg/registry/core/event): namespace agreement, field selectors, printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import type { FieldError } from '../../machinery/errors.js';
import { invalid, newPath } from '../../machinery/validation/field.js';
import { asObj, num, part, str } from './access.js';
import { NAME_DESCRIPTION, age, column, describe } from './printer-columns.js';

function validateEvent(ev: KubeObject): FieldError[] {
  const involvedNamespace = str(part(ev, 'involvedObject')['namespace']);
  const ns = ev.metadata.namespace ?? '';
  const path = newPath('involvedObject', 'namespace');
  if (!involvedNamespace) {
    return ns !== '' && ns !== 'default' ? [invalid(path, involvedNamespace, 'does not match event.namespace')] : [];
  }
  return ns !== involvedNamespace ? [invalid(path, involvedNamespace, 'does not match event.namespace')] : [];
}

function selectableFields(ev: KubeObject): Record<string, string> {
  const io = part(ev, 'involvedObject');
  const reporting = str(ev['reportingComponent']);
  return {
    'involvedObject.kind': str(io['kind']),
    'involvedObject.namespace': str(io['namespace']),
    'involvedObject.name': str(io['name']),
    'involvedObject.uid': str(io['uid']),
    'involvedObject.apiVersion': str(io['apiVersion']),
    'involvedObject.resourceVersion': str(io['resourceVersion']),
    'involvedObject.fieldPath': str(io['fieldPath']),
    reason: str(ev['reason']),
    reportingComponent: reporting,
    source: str(part(ev, 'source')['component']) || reporting,
    type: str(ev['type']),
  };
}

export const eventStrategy: ResourceStrategy = {
  validate: validateEvent,
  validateUpdate: validateEvent,
  selectableFields,
};

/** formatEventSource: component (or reporting controller), then ", host" (or reporting instance). */
function eventSource(ev: KubeObject): string {
  const source = part(ev, 'source');
  const component = str(source['component']) || str(ev['reportingComponent']);
  const instance = str(source['host']) || str(ev['reportingInstance']);
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter: TablePrinter = {
  columns: [
    column('Last Seen', 'string', describe('Event', 'lastTimestamp')),
    column('Type', 'string', describe('Event', 'type')),
    column('Reason', 'string', describe('Event', 'reason')),
    column('Object', 'string', describe('Event', 'involvedObject')),
    column('Subobject', 'string', describe('ObjectReference', 'fieldPath'), 1),
    column('Source', 'string', describe('Event', 'source'), 1),
    column('Message', 'string', describe('Event', 'message')),
    column('First Seen', 'string', describe('Event', 'firstTimestamp'), 1),
    column('Count', 'string', describe('Event', 'count'), 1),
    { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 1 },
  ],
  row(ev, now) {
    const first = ev['firstTimestamp'] ? age(ev['firstTimestamp'], now) : age(ev['eventTime'], now);
    let last = ev['lastTimestamp'] ? age(ev['lastTimestamp'], now) : first;
    let count = num(ev['count']) ?? 0;
    const series = asObj(ev['series']);
    if (series) {
      last = age(series['lastObservedTime'], now);
      count = num(series['count']) ?? 0;
    } else if (count === 0) count = 1;
    const io = part(ev, 'involvedObject');
    const kind = str(io['kind']).toLowerCase();
    const target = str(io['name']) ? `${kind}/${str(io['name'])}` : kind;
    return [
      last,
      str(ev['type']),
      str(ev['reason']),
      target,
      str(io['fieldPath']),
      eventSource(ev),
      str(ev['message']).trim(),
      first,
      count,
      ev.metadata.name ?? '',
    ];
  },
};
