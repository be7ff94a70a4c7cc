/** The nodes strategy (pkg/registry/core/node): taints, pod CIDRs, provider ID, status defaults, printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import type { FieldError } from '../../machinery/errors.js';
import { duplicate, forbidden, invalid, newPath, notSupported, required } from '../../machinery/validation/field.js';
import { isQualifiedName, isValidLabelValue } from '../../machinery/validation/formats.js';
import { isValidCIDR } from '../../machinery/validation/ip.js';
import { arr, asObj, objs, part, str, type Obj } from './access.js';
import { TAINT_EFFECTS } from './pod-validation.js';
import { validateResourceList } from './resource-validation.js';
import { AGE_COLUMN, NAME_COLUMN, age, column, describe } from './printer-columns.js';
import { cloneJson } from '../../machinery/clone.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

function validateTaints(taints: Obj[]): FieldError[] {
  const errs: FieldError[] = [];
  const path = newPath('spec', 'taints');
  const seen = new Set<string>();
  taints.forEach((t, i) => {
    const p = path.index(i);
    const key = str(t['key']);
    if (!key) errs.push(required(p.child('key')));
    else errs.push(...isQualifiedName(key).map((m) => invalid(p.child('key'), key, m)));
    const value = str(t['value']);
    errs.push(...isValidLabelValue(value).map((m) => invalid(p.child('value'), value, m)));
    const effect = str(t['effect']);
    if (!effect) errs.push(required(p.child('effect')));
    else if (!TAINT_EFFECTS.includes(effect)) errs.push(notSupported(p.child('effect'), effect, TAINT_EFFECTS));
    const k = `${effect}/${key}`;
    if (seen.has(k)) {
      const d = duplicate(p, t);
      errs.push({ ...d, message: `${d.message}: taints must be unique by key and effect pair` });
    }
    seen.add(k);
  });
  return errs;
}

function validateNode(node: KubeObject): FieldError[] {
  const spec = part(node, 'spec');
  const errs = validateTaints(objs(spec['taints']));
  const cidrs = arr(spec['podCIDRs']).map(str);
  cidrs.forEach((c, i) => errs.push(...isValidCIDR(newPath('spec', 'podCIDRs').index(i), c)));
  if (cidrs.length > 2) errs.push(invalid(newPath('spec', 'podCIDRs'), cidrs, 'may specify no more than one CIDR for each IP family'));
  const status = part(node, 'status');
  const any = (): boolean => true;
  errs.push(...validateResourceList(status['capacity'], newPath('status', 'capacity'), any));
  errs.push(...validateResourceList(status['allocatable'], newPath('status', 'allocatable'), any));
  return errs;
}

function validateNodeUpdate(node: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateNode(node);
  const spec = part(node, 'spec');
  const oldSpec = part(old, 'spec');
  const oldCIDRs = arr(oldSpec['podCIDRs']).map(str);
  if (oldCIDRs.length > 0 && JSON.stringify(arr(spec['podCIDRs'])) !== JSON.stringify(oldCIDRs)) {
    errs.push(forbidden(newPath('spec', 'podCIDRs'), 'node updates may not change podCIDR except from "" to valid'));
  }
  if (str(oldSpec['providerID']) && spec['providerID'] !== oldSpec['providerID']) {
    errs.push(forbidden(newPath('spec', 'providerID'), 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

export const nodeStrategy: ResourceStrategy = {
  defaults(node) {
    // SetDefaults_NodeStatus: allocatable defaults to capacity
    const status = asObj(node['status']);
    if (status && asObj(status['capacity']) && !asObj(status['allocatable'])) status['allocatable'] = cloneJson(status['capacity']);
  },
  validate: validateNode,
  validateUpdate: validateNodeUpdate,
  validateStatusUpdate: validateNodeUpdate,
  selectableFields: (node) => ({ 'spec.unschedulable': String(part(node, 'spec')['unschedulable'] === true) }),
};

/** findNodeRoles: node-role.kubernetes.io/<role> labels and the kubernetes.io/role value, sorted. */
export function nodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === ROLE_LABEL && v) roles.add(v);
  }
  return [...roles].sort();
}

function nodeStatusCell(node: KubeObject): string {
  const ready = objs(part(node, 'status')['conditions']).find((c) => c['type'] === 'Ready');
  const status = [ready ? (ready['status'] === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (part(node, 'spec')['unschedulable'] === true) status.push('SchedulingDisabled');
  return status.join(',');
}

function address(node: KubeObject, type: string): string {
  return str(objs(part(node, 'status')['addresses']).find((a) => a['type'] === type)?.['address']) || '<none>';
}

export const nodePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    AGE_COLUMN,
    column('Version', 'string', describe('NodeSystemInfo', 'kubeletVersion')),
    column('Internal-IP', 'string', describe('NodeStatus', 'addresses'), 1),
    column('External-IP', 'string', describe('NodeStatus', 'addresses'), 1),
    column('OS-Image', 'string', describe('NodeSystemInfo', 'osImage'), 1),
    column('Kernel-Version', 'string', describe('NodeSystemInfo', 'kernelVersion'), 1),
    column('Container-Runtime', 'string', describe('NodeSystemInfo', 'containerRuntimeVersion'), 1),
  ],
  row(node, now) {
    const info = asObj(part(node, 'status')['nodeInfo']) ?? {};
    return [
      node.metadata.name ?? '',
      nodeStatusCell(node),
      nodeRoles(node.metadata.labels).join(',') || '<none>',
      age(node.metadata.creationTimestamp, now),
      str(info['kubeletVersion']),
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      str(info['osImage']) || '<unknown>',
      str(info['kernelVersion']) || '<unknown>',
      str(info['containerRuntimeVersion']) || '<unknown>',
    ];
  },
};
