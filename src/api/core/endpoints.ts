/** Endpoints (pkg/registry/core/endpoint): port defaults, subset validation, printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import type { FieldError } from '../../machinery/errors.js';
import { duplicate, invalid, newPath, required, type FieldPath } from '../../machinery/validation/field.js';
import { isValidPortNum } from '../../machinery/validation/formats.js';
import { isIPv6String, isValidIP } from '../../machinery/validation/ip.js';
import { num, objs, setDefault, str, type Obj } from './access.js';
import { validateDNS1123Label, validateProtocol } from './container-validation.js';
import { validateDNS1123Subdomain } from './pod-validation.js';
import { AGE_COLUMN, NAME_COLUMN, age, column, describe } from './printer-columns.js';

function validateAddress(a: Obj, path: FieldPath): FieldError[] {
  const ip = str(a['ip']);
  const errs = isValidIP(path.child('ip'), ip);
  if (errs.length === 0) {
    if (/^127\./.test(ip) || ip === '::1')
      errs.push(invalid(path.child('ip'), ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
    else if (/^169\.254\./.test(ip) || /^fe80:/i.test(ip))
      errs.push(invalid(path.child('ip'), ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
    else if (ip === '0.0.0.0' || ip === '::') errs.push(invalid(path.child('ip'), ip, 'may not be unspecified (0.0.0.0, ::)'));
  }
  const hostname = str(a['hostname']);
  if (hostname) errs.push(...validateDNS1123Label(hostname, path.child('hostname')));
  const nodeName = str(a['nodeName']);
  if (nodeName) errs.push(...validateDNS1123Subdomain(nodeName, path.child('nodeName')));
  return errs;
}

function validateEndpoints(ep: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  objs(ep['subsets']).forEach((ss, i) => {
    const p = newPath('subsets').index(i);
    const addresses = objs(ss['addresses']);
    const notReady = objs(ss['notReadyAddresses']);
    if (addresses.length === 0 && notReady.length === 0) errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    addresses.forEach((a, j) => errs.push(...validateAddress(a, p.child('addresses').index(j))));
    notReady.forEach((a, j) => errs.push(...validateAddress(a, p.child('notReadyAddresses').index(j))));
    const ports = objs(ss['ports']);
    const names = new Set<string>();
    ports.forEach((port, j) => {
      const pp = p.child('ports').index(j);
      const name = str(port['name']);
      if (ports.length > 1 && !name) errs.push(required(pp.child('name')));
      else if (name) {
        errs.push(...validateDNS1123Label(name, pp.child('name')));
        if (names.has(name)) errs.push(duplicate(pp.child('name'), name));
        names.add(name);
      }
      const n = num(port['port']) ?? 0;
      errs.push(...isValidPortNum(n).map((m) => invalid(pp.child('port'), n, m)));
      errs.push(...validateProtocol(port['protocol'], pp.child('protocol')));
    });
  });
  return errs;
}

export const endpointsStrategy: ResourceStrategy = {
  defaults(ep) {
    for (const ss of objs(ep['subsets'])) for (const p of objs(ss['ports'])) setDefault(p, 'protocol', 'TCP');
  },
  validate: validateEndpoints,
  validateUpdate: validateEndpoints,
};

/** formatEndpoints: up to three `ip:port` (or bare IPs without ports), then "+ N more...". */
export function formatEndpoints(ep: KubeObject): string {
  const subsets = objs(ep['subsets']);
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = objs(ss['addresses']);
    const ports = objs(ss['ports']);
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(str(a['ip']));
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        const ip = str(a['ip']);
        list.push(`${isIPv6String(ip) ? `[${ip}]` : ip}:${num(port['port']) ?? 0}`);
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export const endpointsPrinter: TablePrinter = {
  columns: [NAME_COLUMN, column('Endpoints', 'string', describe('Endpoints', 'subsets')), AGE_COLUMN],
  row: (ep, now) => [ep.metadata.name ?? '', formatEndpoints(ep), age(ep.metadata.creationTimestamp, now)],
};
