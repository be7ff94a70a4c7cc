/** discovery.k8s.io/v1 EndpointSlice: validation and Table printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { arr, objs, str } from '../core/access.js';
import { duplicate, invalid, newPath, notSupported, required, tooMany, type FieldError } from '../../machinery/validation/field.js';
import { isDNS1123Label, isDNS1123Subdomain, isFullyQualifiedDomainName, isValidPortNum } from '../../machinery/validation/formats.js';
import { isIPv4String, isIPv6String } from '../../machinery/validation/ip.js';
import { validateImmutableField } from '../../machinery/validation/object-meta.js';
import { AGE_COLUMN, column, describe, NAME_COLUMN, objectAge } from '../apps/printing.js';
import './types.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;

/** ValidateEndpointSlice. */
export function validateEndpointSlice(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const addressType = str(obj['addressType']);
  if (!addressType) errs.push(required(newPath('addressType'), ''));
  else if (!ADDRESS_TYPES.includes(addressType)) errs.push(notSupported(newPath('addressType'), addressType, ADDRESS_TYPES));
  const endpoints = objs(obj['endpoints']);
  if (endpoints.length > MAX_ENDPOINTS) errs.push(tooMany(newPath('endpoints'), endpoints.length, MAX_ENDPOINTS));
  endpoints.forEach((ep, i) => {
    const ap = newPath('endpoints').index(i).child('addresses');
    const addresses = arr(ep['addresses']).map(str);
    if (addresses.length === 0) errs.push(required(ap, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(ap, addresses.length, MAX_ADDRESSES));
    addresses.forEach((a, j) => {
      if (addressType === 'IPv4' && !isIPv4String(a)) errs.push(invalid(ap.index(j), a, 'must be a valid IPv4 address'));
      if (addressType === 'IPv6' && !isIPv6String(a)) errs.push(invalid(ap.index(j), a, 'must be a valid IPv6 address'));
      if (addressType === 'FQDN') errs.push(...isFullyQualifiedDomainName(ap.index(j), a));
    });
    const nodeName = str(ep['nodeName']);
    if (nodeName)
      for (const m of isDNS1123Subdomain(nodeName)) errs.push(invalid(newPath('endpoints').index(i).child('nodeName'), nodeName, m));
    const hostname = str(ep['hostname']);
    if (hostname)
      for (const m of isDNS1123Label(hostname)) errs.push(invalid(newPath('endpoints').index(i).child('hostname'), hostname, m));
  });
  const ports = objs(obj['ports']);
  if (ports.length > MAX_PORTS) errs.push(tooMany(newPath('ports'), ports.length, MAX_PORTS));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const pp = newPath('ports').index(i);
    const name = str(port['name']);
    if (name) for (const m of isDNS1123Label(name)) errs.push(invalid(pp.child('name'), name, m));
    if (names.has(name)) errs.push(duplicate(pp.child('name'), name));
    names.add(name);
    const protocol = port['protocol'];
    if (protocol === undefined) errs.push(required(pp.child('protocol'), ''));
    else if (!PROTOCOLS.includes(str(protocol))) errs.push(notSupported(pp.child('protocol'), protocol, PROTOCOLS));
    if (typeof port['port'] === 'number')
      for (const m of isValidPortNum(port['port'])) errs.push(invalid(pp.child('port'), port['port'], m));
  });
  return errs;
}

export const endpointSliceStrategy: ResourceStrategy = {
  defaults(obj) {
    for (const port of objs(obj['ports'])) {
      if (port['protocol'] === undefined || port['protocol'] === null) port['protocol'] = 'TCP';
      if (port['name'] === undefined || port['name'] === null) port['name'] = '';
    }
  },
  validate: validateEndpointSlice,
  validateUpdate: (obj, old) => [
    ...validateEndpointSlice(obj),
    ...validateImmutableField(obj['addressType'], old['addressType'], newPath('addressType')),
  ],
};

/** listWithMoreString: up to three entries, "+ N more...", "<unset>" when empty. */
function listWithMore(list: string[]): string {
  if (list.length > 3) return `${list.slice(0, 3).join(',')} + ${list.length - 3} more...`;
  return list.join(',') || '<unset>';
}

const SLICE = 'io.k8s.api.discovery.v1.EndpointSlice';

export const endpointSlicePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('AddressType', 'string', describe(SLICE, 'addressType')),
    column('Ports', 'string', describe(SLICE, 'ports')),
    column('Endpoints', 'string', describe(SLICE, 'endpoints')),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const ports = objs(obj['ports']).map((p) =>
      typeof p['port'] === 'number' ? String(p['port']) : typeof p['name'] === 'string' ? p['name'] : '*',
    );
    const addresses = objs(obj['endpoints']).flatMap((ep) => arr(ep['addresses']).map(str));
    return [obj.metadata.name ?? '', str(obj['addressType']), listWithMore(ports), listWithMore(addresses), objectAge(obj, now)];
  },
};
