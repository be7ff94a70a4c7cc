/**
 * The service quota evaluator (pkg/quota/v1/evaluator/core/services.go): `services`,
 * `count/services`, `services.loadbalancers` and `services.nodeports` (the ports a NodePort or
 * LoadBalancer service asks node ports for), charged on create and on update.
 */
import { asObj, objs } from '../api/core/access.js';
import { newQuantity } from '../machinery/quantity.js';
import type { Evaluator } from './interface.js';
import type { ResourceList } from './resources.js';

const SERVICE_RESOURCES = new Set(['services', 'count/services', 'services.loadbalancers', 'services.nodeports']);

export const serviceEvaluator: Evaluator = {
  group: '',
  resource: 'services',
  handles: (operation) => operation === 'CREATE' || operation === 'UPDATE',
  matchingResources: (names) => names.filter((n) => SERVICE_RESOURCES.has(n)),
  usage(svc) {
    const spec = asObj(svc['spec']) ?? {};
    const ports = objs(spec['ports']);
    const result: ResourceList = new Map([
      ['services', newQuantity(1)],
      ['count/services', newQuantity(1)],
    ]);
    if (spec['type'] === 'NodePort') result.set('services.nodeports', newQuantity(ports.length));
    if (spec['type'] === 'LoadBalancer') {
      // with node ports suppressed, only the ports that name one explicitly take one
      const nodePorts = spec['allocateLoadBalancerNodePorts'] === false ? ports.filter((p) => Boolean(p['nodePort'])).length : ports.length;
      result.set('services.nodeports', newQuantity(nodePorts));
      result.set('services.loadbalancers', newQuantity(1));
    }
    return result;
  },
  constraints: () => undefined,
  matchesScope: () => false,
};
