/** flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfiguration: defaults, validation and Table printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { asObj, child, part, setDefault, str } from '../core/access.js';
import { invalid, newPath, notSupported, required, forbidden, type FieldError } from '../../machinery/validation/field.js';
import { AGE_COLUMN, column, describe, NAME_COLUMN, objectAge } from '../apps/printing.js';
import { FLOWCONTROL_V1 } from './types.js';

/** SetDefaults_PriorityLevelConfiguration (v1): NCS 30 for Limited, 0 for Exempt; queuing 64/8/50. */
function defaultPriorityLevel(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (spec['type'] === 'Exempt') {
    const exempt = child(spec, 'exempt');
    setDefault(exempt, 'nominalConcurrencyShares', 0);
    setDefault(exempt, 'lendablePercent', 0);
  }
  const limited = asObj(spec['limited']);
  if (!limited) return;
  setDefault(limited, 'nominalConcurrencyShares', 30);
  setDefault(limited, 'lendablePercent', 0);
  const queuing = asObj(asObj(limited['limitResponse'])?.['queuing']);
  if (!queuing) return;
  setDefault(queuing, 'queues', 64);
  setDefault(queuing, 'handSize', 8);
  setDefault(queuing, 'queueLengthLimit', 50);
}

/** ValidatePriorityLevelConfiguration (the parts clients trip over). */
export function validatePriorityLevel(obj: KubeObject): FieldError[] {
  const spec = part(obj, 'spec');
  const p = newPath('spec');
  const type = str(spec['type']);
  if (type !== 'Exempt' && type !== 'Limited') return [notSupported(p.child('type'), type, ['Exempt', 'Limited'])];
  if (type === 'Exempt') return spec['limited'] ? [forbidden(p.child('limited'), 'must be nil if the type is not Limited')] : [];
  const errs: FieldError[] = [];
  if (spec['exempt']) errs.push(forbidden(p.child('exempt'), 'must be nil if the type is Limited'));
  const limited = asObj(spec['limited']);
  if (!limited) return [...errs, required(p.child('limited'), 'must not be empty when type is Limited')];
  const lp = p.child('limited');
  const response = asObj(limited['limitResponse']) ?? {};
  const rtype = str(response['type']);
  if (rtype !== 'Queue' && rtype !== 'Reject') errs.push(notSupported(lp.child('limitResponse', 'type'), rtype, ['Queue', 'Reject']));
  const queuing = asObj(response['queuing']);
  if (rtype === 'Reject' && queuing)
    errs.push(forbidden(lp.child('limitResponse', 'queuing'), 'must be nil if limited.limitResponse.type is not Limited'));
  if (rtype === 'Queue' && !queuing)
    errs.push(required(lp.child('limitResponse', 'queuing'), 'must not be empty if limited.limitResponse.type is Limited'));
  if (queuing) {
    const qp = lp.child('limitResponse', 'queuing');
    const queues = Number(queuing['queues']);
    const handSize = Number(queuing['handSize']);
    if (!(queues > 0)) errs.push(invalid(qp.child('queues'), queuing['queues'], 'must be positive'));
    if (!(Number(queuing['queueLengthLimit']) > 0))
      errs.push(invalid(qp.child('queueLengthLimit'), queuing['queueLengthLimit'], 'must be positive'));
    if (!(handSize > 0)) errs.push(invalid(qp.child('handSize'), queuing['handSize'], 'must be positive'));
    else if (handSize > queues) errs.push(invalid(qp.child('handSize'), handSize, `should not be greater than queues (${queues})`));
  }
  return errs;
}

export const priorityLevelStrategy: ResourceStrategy = {
  // status is the apiserver's to write (through the status subresource)
  prepareForCreate: (obj) => {
    delete obj['status'];
  },
  defaults: defaultPriorityLevel,
  validate: validatePriorityLevel,
  validateUpdate: (obj) => validatePriorityLevel(obj),
};

/** printPriorityLevelConfiguration. */
export const priorityLevelPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Type', 'string', describe(`${FLOWCONTROL_V1}.PriorityLevelConfigurationSpec`, 'type')),
    column(
      'NominalConcurrencyShares',
      'string',
      describe(`${FLOWCONTROL_V1}.LimitedPriorityLevelConfiguration`, 'nominalConcurrencyShares'),
    ),
    column('Queues', 'string', describe(`${FLOWCONTROL_V1}.QueuingConfiguration`, 'queues')),
    column('HandSize', 'string', describe(`${FLOWCONTROL_V1}.QueuingConfiguration`, 'handSize')),
    column('QueueLengthLimit', 'string', describe(`${FLOWCONTROL_V1}.QueuingConfiguration`, 'queueLengthLimit')),
    AGE_COLUMN,
  ],
  row: (obj, now) => {
    const spec = part(obj, 'spec');
    const limited = asObj(spec['limited']);
    const queuing = asObj(asObj(limited?.['limitResponse'])?.['queuing']);
    const cell = (o: Record<string, unknown> | undefined, k: string): unknown => (o && typeof o[k] === 'number' ? o[k] : '<none>');
    return [
      obj.metadata.name ?? '',
      str(spec['type']),
      cell(limited, 'nominalConcurrencyShares'),
      cell(queuing, 'queues'),
      cell(queuing, 'handSize'),
      cell(queuing, 'queueLengthLimit'),
      objectAge(obj, now),
    ];
  },
};
