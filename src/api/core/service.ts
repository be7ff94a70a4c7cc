/**
 * The services strategy (pkg/registry/core/service): SetDefaults_Service, IP family defaults on
 * create, allocated values kept on update, validation and field selectors. Cluster IPs and node
 * ports are allocated elsewhere (the service allocators).
 */
import type { ResourceStrategy } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { isIPv6String } from '../../machinery/validation/ip.js';
import { arr, asObj, child, num, objs, part, setDefault, str, strMap, type Obj } from './access.js';
import { externallyAccessible, validateServiceSpec, validateServiceSpecUpdate } from './service-validation.js';
import { cloneJson } from '../../machinery/clone.js';

export { servicePrinter } from './service-printer.js';

export const DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS = 10800;

/** SetDefaults_Service. */
export function defaultService(svc: KubeObject): void {
  const spec = child(svc, 'spec');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec['sessionAffinity'] === 'None') delete spec['sessionAffinityConfig'];
  if (spec['sessionAffinity'] === 'ClientIP') {
    const timeout = num(asObj(asObj(spec['sessionAffinityConfig'])?.['clientIP'])?.['timeoutSeconds']);
    if (timeout === undefined) spec['sessionAffinityConfig'] = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS } };
  }
  setDefault(spec, 'type', 'ClusterIP');
  for (const p of objs(spec['ports'])) {
    setDefault(p, 'protocol', 'TCP');
    if (p['targetPort'] === undefined || p['targetPort'] === 0 || p['targetPort'] === '') p['targetPort'] = p['port'];
  }
  const type = str(spec['type']);
  if (externallyAccessible(spec)) setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP') setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  if (type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
}

/** The IP family fields the service REST sets on create (single-stack IPv4 cluster). */
function defaultIPFamilies(spec: Obj): void {
  if (spec['type'] === 'ExternalName') return;
  const clusterIP = str(spec['clusterIP']);
  if (clusterIP && arr(spec['clusterIPs']).length === 0) spec['clusterIPs'] = [clusterIP];
  if (clusterIP === 'None' && Object.keys(strMap(spec['selector'])).length === 0) {
    setDefault(spec, 'ipFamilyPolicy', 'RequireDualStack');
    if (arr(spec['ipFamilies']).length === 0) spec['ipFamilies'] = ['IPv4', 'IPv6'];
    return;
  }
  setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
  if (arr(spec['ipFamilies']).length === 0) spec['ipFamilies'] = [clusterIP && isIPv6String(clusterIP) ? 'IPv6' : 'IPv4'];
}

/** patchAllocatedValues: an update that omits allocated values keeps the old ones. */
function keepAllocated(spec: Obj, old: Obj): void {
  if (spec['type'] === 'ExternalName' || old['type'] === 'ExternalName') return;
  if (!str(spec['clusterIP']) && str(old['clusterIP'])) spec['clusterIP'] = old['clusterIP'];
  if (arr(spec['clusterIPs']).length === 0 && arr(old['clusterIPs']).length > 0) spec['clusterIPs'] = cloneJson(old['clusterIPs']);
  if (!spec['ipFamilyPolicy'] && old['ipFamilyPolicy']) spec['ipFamilyPolicy'] = old['ipFamilyPolicy'];
  if (arr(spec['ipFamilies']).length === 0 && arr(old['ipFamilies']).length > 0) spec['ipFamilies'] = cloneJson(old['ipFamilies']);
  const type = str(spec['type']);
  if (type === 'NodePort' || type === 'LoadBalancer') {
    const oldPorts = objs(old['ports']);
    for (const p of objs(spec['ports'])) {
      if (p['nodePort']) continue;
      const match = oldPorts.find((o) => o['port'] === p['port'] && o['protocol'] === p['protocol'] && o['nodePort']);
      if (match) p['nodePort'] = match['nodePort'];
    }
    if (!spec['healthCheckNodePort'] && old['healthCheckNodePort'] && spec['externalTrafficPolicy'] === 'Local') {
      spec['healthCheckNodePort'] = old['healthCheckNodePort'];
    }
  }
}

const needsNodePorts = (spec: Obj): boolean => spec['type'] === 'NodePort' || spec['type'] === 'LoadBalancer';
const needsHealthCheckNodePort = (spec: Obj): boolean => spec['type'] === 'LoadBalancer' && spec['externalTrafficPolicy'] === 'Local';
const nodePortsOf = (spec: Obj): unknown[] => objs(spec['ports']).flatMap((p) => (p['nodePort'] ? [p['nodePort']] : []));

/**
 * dropTypeDependentFields: an update that changes the type wipes what only the old type had and
 * the update left as it was (node ports, health check node port, allocateLoadBalancerNodePorts,
 * loadBalancerClass, externalTrafficPolicy), and a Service that is no longer a LoadBalancer loses
 * its load balancer status.
 */
function dropTypeDependentFields(svc: KubeObject, old: KubeObject): void {
  const spec = child(svc, 'spec');
  const oldSpec = part(old, 'spec');
  if (needsNodePorts(oldSpec) && !needsNodePorts(spec)) {
    // users may edit ports, as long as they add no node port of their own
    const oldNodePorts = nodePortsOf(oldSpec);
    if (nodePortsOf(spec).every((p) => oldNodePorts.includes(p))) for (const p of objs(spec['ports'])) delete p['nodePort'];
  }
  if (
    needsHealthCheckNodePort(oldSpec) &&
    !needsHealthCheckNodePort(spec) &&
    spec['healthCheckNodePort'] === oldSpec['healthCheckNodePort']
  ) {
    delete spec['healthCheckNodePort'];
  }
  if (oldSpec['type'] === 'LoadBalancer' && spec['type'] !== 'LoadBalancer') {
    if (spec['allocateLoadBalancerNodePorts'] === oldSpec['allocateLoadBalancerNodePorts']) delete spec['allocateLoadBalancerNodePorts'];
    if (spec['loadBalancerClass'] === oldSpec['loadBalancerClass']) delete spec['loadBalancerClass'];
  }
  if (externallyAccessible(oldSpec) && !externallyAccessible(spec) && spec['externalTrafficPolicy'] === oldSpec['externalTrafficPolicy']) {
    delete spec['externalTrafficPolicy'];
  }
  if (spec['type'] !== 'LoadBalancer' && svc['status'] !== undefined) child(svc, 'status')['loadBalancer'] = {};
}

export const serviceStrategy: ResourceStrategy = {
  defaults: defaultService,
  prepareForCreate(svc) {
    svc['status'] = { loadBalancer: {} };
    defaultIPFamilies(child(svc, 'spec'));
  },
  prepareForUpdate(svc, old) {
    keepAllocated(child(svc, 'spec'), part(old, 'spec'));
    dropTypeDependentFields(svc, old);
  },
  validate: (svc) => validateServiceSpec(part(svc, 'spec')),
  validateUpdate: (svc, old) => [
    ...validateServiceSpec(part(svc, 'spec')),
    ...validateServiceSpecUpdate(part(svc, 'spec'), part(old, 'spec')),
  ],
  selectableFields(svc) {
    const spec = part(svc, 'spec');
    return { 'spec.clusterIP': str(spec['clusterIP']), 'spec.type': str(spec['type']) };
  },
};
