/** networking.k8s.io/v1 NetworkPolicy: defaults, validation and Table printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { asObj, child, objs, part, setDefault, str, type Obj } from '../core/access.js';
import { formatLabelSelector, validateLabelSelector, type LabelSelector } from '../../machinery/labels.js';
import { forbidden, invalid, newPath, notSupported, required, type FieldError, type FieldPath } from '../../machinery/validation/field.js';
import { isValidPortName, isValidPortNum } from '../../machinery/validation/formats.js';
import { isValidCIDR } from '../../machinery/validation/ip.js';
import { AGE_COLUMN, column, describe, NAME_COLUMN, objectAge } from '../apps/printing.js';
import './types.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const POLICY_TYPES = ['Egress', 'Ingress'];

/** SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort. */
export function defaultNetworkPolicy(obj: KubeObject): void {
  const s = child(obj, 'spec');
  for (const dir of ['ingress', 'egress'])
    for (const rule of objs(s[dir])) for (const port of objs(rule['ports'])) setDefault(port, 'protocol', 'TCP');
  if (!Array.isArray(s['policyTypes']) || s['policyTypes'].length === 0) {
    s['policyTypes'] = Array.isArray(s['egress']) && s['egress'].length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
}

function validatePort(port: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const protocol = port['protocol'];
  if (protocol !== undefined && !PROTOCOLS.includes(str(protocol))) errs.push(notSupported(path.child('protocol'), protocol, PROTOCOLS));
  const p = port['port'];
  const endPort = port['endPort'];
  if (typeof p === 'number') {
    for (const m of isValidPortNum(p)) errs.push(invalid(path.child('port'), p, m));
    if (typeof endPort === 'number') {
      if (endPort < p) errs.push(invalid(path.child('endPort'), endPort, 'must be greater than or equal to `port`'));
      for (const m of isValidPortNum(endPort)) errs.push(invalid(path.child('endPort'), endPort, m));
    }
  } else if (typeof p === 'string') {
    for (const m of isValidPortName(p)) errs.push(invalid(path.child('port'), p, m));
    if (endPort !== undefined) errs.push(invalid(path.child('endPort'), endPort, 'may not be specified when `port` is non-numeric'));
  } else if (endPort !== undefined) {
    errs.push(required(path.child('port'), 'must be specified when `endPort` is specified'));
  }
  return errs;
}

function validatePeer(peer: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const k of ['podSelector', 'namespaceSelector']) {
    const sel = asObj(peer[k]);
    if (!sel) continue;
    count++;
    errs.push(...validateLabelSelector(sel as LabelSelector, path.child(k)));
  }
  const ipBlock = asObj(peer['ipBlock']);
  if (ipBlock) {
    count++;
    const cidr = str(ipBlock['cidr']);
    if (!cidr) errs.push(required(path.child('ipBlock', 'cidr'), ''));
    else errs.push(...isValidCIDR(path.child('ipBlock', 'cidr'), cidr));
    (Array.isArray(ipBlock['except']) ? ipBlock['except'] : []).forEach((e, i) =>
      errs.push(...isValidCIDR(path.child('ipBlock', 'except').index(i), str(e))),
    );
  }
  if (count === 0) errs.push(required(path, 'must specify a peer'));
  else if (count > 1 && ipBlock) errs.push(forbidden(path, 'may not specify more than 1 peer type'));
  return errs;
}

/** ValidateNetworkPolicySpec. */
export function validateNetworkPolicy(obj: KubeObject): FieldError[] {
  const s = part(obj, 'spec');
  const p = newPath('spec');
  const errs = validateLabelSelector(asObj(s['podSelector']) as LabelSelector | undefined, p.child('podSelector'));
  for (const [dir, peers] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    objs(s[dir]).forEach((rule, i) => {
      const rp = p.child(dir).index(i);
      objs(rule['ports']).forEach((port, j) => errs.push(...validatePort(port, rp.child('ports').index(j))));
      objs(rule[peers]).forEach((peer, j) => errs.push(...validatePeer(peer, rp.child(peers).index(j))));
    });
  }
  const types = Array.isArray(s['policyTypes']) ? s['policyTypes'] : [];
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(str(t))) errs.push(notSupported(p.child('policyTypes').index(i), t, ['Ingress', 'Egress']));
  });
  if (types.length > 2) errs.push(invalid(p.child('policyTypes'), types, 'may not specify more than two policyTypes'));
  return errs;
}

export const networkPolicyStrategy: ResourceStrategy = {
  defaults: defaultNetworkPolicy,
  validate: validateNetworkPolicy,
  validateUpdate: (obj) => validateNetworkPolicy(obj),
};

export const networkPolicyPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Pod-Selector', 'string', describe('io.k8s.api.networking.v1.NetworkPolicySpec', 'podSelector')),
    AGE_COLUMN,
  ],
  row: (obj, now) => [
    obj.metadata.name ?? '',
    formatLabelSelector((asObj(part(obj, 'spec')['podSelector']) ?? {}) as LabelSelector),
    objectAge(obj, now),
  ],
};
