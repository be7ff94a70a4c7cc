import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../machinery/object.js';
import { serviceEnvironment, serviceEnvVars } from './service-env.js';

function service(namespace: string, name: string, clusterIP: string, ports: object[]): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { clusterIP, ports } };
}

const kubernetes = service('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]);

test('one service’s variables, docker-links style, in upstream’s order', () => {
  const s = service('ns', 'my-db', '10.96.3.4', [{ port: 5432 }, { name: 'metrics', port: 9187, protocol: 'UDP' }]);
  assert.deepEqual(serviceEnvVars(s), [
    ['MY_DB_SERVICE_HOST', '10.96.3.4'],
    ['MY_DB_SERVICE_PORT', '5432'],
    ['MY_DB_SERVICE_PORT_METRICS', '9187'],
    ['MY_DB_PORT', 'tcp://10.96.3.4:5432'],
    ['MY_DB_PORT_5432_TCP', 'tcp://10.96.3.4:5432'],
    ['MY_DB_PORT_5432_TCP_PROTO', 'tcp'],
    ['MY_DB_PORT_5432_TCP_PORT', '5432'],
    ['MY_DB_PORT_5432_TCP_ADDR', '10.96.3.4'],
    ['MY_DB_PORT_9187_UDP', 'udp://10.96.3.4:9187'],
    ['MY_DB_PORT_9187_UDP_PROTO', 'udp'],
    ['MY_DB_PORT_9187_UDP_PORT', '9187'],
    ['MY_DB_PORT_9187_UDP_ADDR', '10.96.3.4'],
  ]);
});

test('headless services and services without a cluster IP give nothing', () => {
  assert.deepEqual(serviceEnvVars(service('ns', 'headless', 'None', [{ port: 80 }])), []);
  assert.deepEqual(serviceEnvVars(service('ns', 'pending', '', [{ port: 80 }])), []);
});

test('IPv6 cluster IPs are bracketed in URLs', () => {
  const vars = new Map(serviceEnvVars(service('ns', 'v6', 'fd00::10', [{ port: 80 }])));
  assert.equal(vars.get('V6_PORT'), 'tcp://[fd00::10]:80');
  assert.equal(vars.get('V6_SERVICE_HOST'), 'fd00::10');
});

test('the namespace’s services and the master service; enableServiceLinks=false keeps only the master’s', () => {
  const own = [service('apps', 'web', '10.96.0.20', [{ port: 80 }]), service('apps', 'none', 'None', [{ port: 80 }])];
  const defaults = [kubernetes, service('default', 'other', '10.96.0.30', [{ port: 81 }])];
  const env = serviceEnvironment(true, own, defaults);
  assert.equal(env.get('WEB_SERVICE_HOST'), '10.96.0.20');
  assert.equal(env.get('KUBERNETES_SERVICE_HOST'), '10.96.0.1');
  assert.equal(env.get('KUBERNETES_SERVICE_PORT_HTTPS'), '443');
  assert.equal(env.has('OTHER_SERVICE_HOST'), false);
  assert.equal(env.has('NONE_SERVICE_HOST'), false);
  const off = serviceEnvironment(false, [], defaults);
  assert.deepEqual(
    [...off.keys()].filter((k) => !k.startsWith('KUBERNETES_')),
    [],
  );
  assert.equal(off.get('KUBERNETES_PORT'), 'tcp://10.96.0.1:443');
});

test('a service of the pod’s namespace named like the master service wins', () => {
  const own = [service('apps', 'kubernetes', '10.96.9.9', [{ port: 8443 }])];
  assert.equal(serviceEnvironment(true, own, [kubernetes]).get('KUBERNETES_SERVICE_HOST'), '10.96.9.9');
});
