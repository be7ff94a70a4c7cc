/** Service validation (ValidateService, ValidateServiceUpdate in pkg/apis/core/validation). */
import type { FieldError } from '../../machinery/errors.js';
import { duplicate, forbidden, invalid, newPath, notSupported, required, type FieldPath } from '../../machinery/validation/field.js';
import { isValidPortName, isValidPortNum } from '../../machinery/validation/formats.js';
import { isValidIP } from '../../machinery/validation/ip.js';
import { validateLabels } from '../../machinery/validation/object-meta.js';
import { arr, num, objs, str, strMap, type Obj } from './access.js';
import { validateDNS1123Label, validateProtocol } from './container-validation.js';
import { validateDNS1123Subdomain } from './pod-validation.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const IP_FAMILIES = ['IPv4', 'IPv6'];

/** ExternallyAccessible: LoadBalancer, NodePort, or ClusterIP with external IPs. */
export function externallyAccessible(spec: Obj): boolean {
  const type = str(spec['type']);
  return type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && arr(spec['externalIPs']).length > 0);
}

function validatePortNumOrName(v: unknown, path: FieldPath): FieldError[] {
  if (typeof v === 'number') return isValidPortNum(v).map((m) => invalid(path, v, m));
  if (typeof v === 'string') return isValidPortName(v).map((m) => invalid(path, v, m));
  return [];
}

function validatePorts(spec: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const ports = objs(spec['ports']);
  const type = str(spec['type']);
  const names = new Set<string>();
  const seen = new Set<string>();
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    const pp = path.index(i);
    const name = str(p['name']);
    if (ports.length > 1 && !name) errs.push(required(pp.child('name')));
    else if (name) {
      errs.push(...validateDNS1123Label(name, pp.child('name')));
      if (names.has(name)) errs.push(duplicate(pp.child('name'), name));
      else names.add(name);
    }
    const port = num(p['port']) ?? 0;
    errs.push(...isValidPortNum(port).map((m) => invalid(pp.child('port'), port, m)));
    errs.push(...validateProtocol(p['protocol'], pp.child('protocol')));
    errs.push(...validatePortNumOrName(p['targetPort'], pp.child('targetPort')));
    const nodePort = num(p['nodePort']) ?? 0;
    if (type === 'ClusterIP' && nodePort !== 0) errs.push(forbidden(pp.child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
    if (type === 'ExternalName' && nodePort !== 0)
      errs.push(forbidden(pp.child('nodePort'), "may not be used when `type` is 'ExternalName'"));
    const protocol = str(p['protocol']);
    const key = `${protocol}/${port}`;
    if (seen.has(key)) {
      errs.push(duplicate(pp, { Name: '', Protocol: protocol, AppProtocol: null, Port: port, TargetPort: 0, NodePort: 0 }));
    }
    seen.add(key);
    if (nodePort !== 0) {
      const nodeKey = `${protocol}/${nodePort}`;
      if (nodePorts.has(nodeKey)) errs.push(duplicate(pp.child('nodePort'), nodePort));
      nodePorts.add(nodeKey);
    }
  });
  return errs;
}

function validateClusterIPs(spec: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const clusterIP = str(spec['clusterIP']);
  const clusterIPs = arr(spec['clusterIPs']).map(str);
  if (clusterIP && clusterIP !== 'None') errs.push(...isValidIP(path.child('clusterIP'), clusterIP));
  if (clusterIP && clusterIPs.length > 0 && clusterIPs[0] !== clusterIP) {
    errs.push(invalid(path.child('clusterIP'), clusterIP, 'must match first value in `clusterIPs`'));
  }
  clusterIPs.forEach((ip, i) => {
    if (ip === 'None' && i === 0) return;
    errs.push(...isValidIP(path.child('clusterIPs').index(i), ip));
  });
  if (clusterIPs.length > 2) errs.push(invalid(path.child('clusterIPs'), clusterIPs, 'may only hold up to 2 values'));
  return errs;
}

export function validateServiceSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const path = newPath('spec');
  const type = str(spec['type']);
  const headless = spec['clusterIP'] === 'None';
  if (!type) errs.push(required(path.child('type')));
  else if (!SERVICE_TYPES.includes(type)) errs.push(notSupported(path.child('type'), type, SERVICE_TYPES));
  if (objs(spec['ports']).length === 0 && !headless && type !== 'ExternalName') errs.push(required(path.child('ports')));
  if (type === 'ExternalName') {
    if (str(spec['clusterIP'])) errs.push(forbidden(path.child('clusterIP'), 'may not be set for ExternalName services'));
    if (arr(spec['clusterIPs']).length > 0) errs.push(forbidden(path.child('clusterIPs'), 'may not be set for ExternalName services'));
    const cname = str(spec['externalName']).replace(/\.$/, '');
    if (cname) errs.push(...validateDNS1123Subdomain(cname, path.child('externalName')));
    else errs.push(required(path.child('externalName')));
  } else {
    errs.push(...validateClusterIPs(spec, path));
  }
  errs.push(...validatePorts(spec, path.child('ports')));
  errs.push(...validateLabels(strMap(spec['selector']), path.child('selector')));
  const affinity = str(spec['sessionAffinity']);
  if (!affinity) errs.push(required(path.child('sessionAffinity')));
  else if (!SESSION_AFFINITIES.includes(affinity)) errs.push(notSupported(path.child('sessionAffinity'), affinity, SESSION_AFFINITIES));
  arr(spec['externalIPs']).forEach((ip, i) => errs.push(...isValidIP(path.child('externalIPs').index(i), str(ip))));
  const etp = str(spec['externalTrafficPolicy']);
  if (!externallyAccessible(spec)) {
    if (etp) errs.push(invalid(path.child('externalTrafficPolicy'), etp, 'may only be set for externally-accessible services'));
  } else if (!etp) errs.push(required(path.child('externalTrafficPolicy')));
  else if (!TRAFFIC_POLICIES.includes(etp)) errs.push(notSupported(path.child('externalTrafficPolicy'), etp, TRAFFIC_POLICIES));
  const itp = str(spec['internalTrafficPolicy']);
  if (type !== 'ExternalName') {
    if (!itp) errs.push(required(path.child('internalTrafficPolicy')));
    else if (!TRAFFIC_POLICIES.includes(itp)) errs.push(notSupported(path.child('internalTrafficPolicy'), itp, TRAFFIC_POLICIES));
  }
  const policy = str(spec['ipFamilyPolicy']);
  if (policy && !IP_FAMILY_POLICIES.includes(policy)) errs.push(notSupported(path.child('ipFamilyPolicy'), policy, IP_FAMILY_POLICIES));
  arr(spec['ipFamilies']).forEach((f, i) => {
    if (!IP_FAMILIES.includes(str(f))) errs.push(notSupported(path.child('ipFamilies').index(i), f, IP_FAMILIES));
  });
  return errs;
}

/** ValidateServiceUpdate: the primary cluster IP and IP family may not change (except to/from ExternalName). */
export function validateServiceSpecUpdate(spec: Obj, old: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (spec['type'] === 'ExternalName' || old['type'] === 'ExternalName') return errs;
  const path = newPath('spec');
  const ips = arr(spec['clusterIPs']).map(str);
  const oldIPs = arr(old['clusterIPs']).map(str);
  const first = ips[0] ?? str(spec['clusterIP']);
  const oldFirst = oldIPs[0] ?? str(old['clusterIP']);
  if (oldFirst && first !== oldFirst) errs.push(invalid(path.child('clusterIPs').index(0), first, 'may not change once set'));
  const fam = arr(spec['ipFamilies']).map(str);
  const oldFam = arr(old['ipFamilies']).map(str);
  if (oldFam[0] && fam[0] && fam[0] !== oldFam[0]) errs.push(invalid(path.child('ipFamilies').index(0), fam[0], 'may not change once set'));
  return errs;
}
