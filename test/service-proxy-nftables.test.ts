/**
 * The nftables service proxy end to end: a `k8ts server --runtime containerd --proxy-mode
 * nftables` in a network namespace of the test's runs the service proxy conformance suite
 * (src/proxy/testing/service-proxy-suite.ts), whose rules for a service port are the lines of the
 * `ip kube-proxy` table that name its chains; then what is the nftables mode's own:
 * sessionAffinity ClientIP keeps a client on one endpoint through a timeout set per endpoint that
 * holds the client's address, and the table holds nothing of a Service once it is deleted and
 * its stale chains are gone. Removing the namespace removes the table.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { servicePortChains } from '../src/proxy/nftables/names.js';
import { serviceProxySuite } from '../src/proxy/testing/service-proxy-suite.js';
import { useProxyModeNode } from './support/proxy-mode-node.js';
import { realNodeUnavailableForTests } from './support/real-node-server.js';
import { eventually } from './support/wait.js';

const skip = await realNodeUnavailableForTests();
const SERVICES = { group: '', version: 'v1', resource: 'services' };
const proxy = useProxyModeNode({ mode: 'nftables', clusterCIDR: '10.246.0.0/16', subnet: '10.246.255.0/30', skip });

/**
 * The table's lines that name one of the service port's chains (its endpoints' chains are named
 * after it too); with `declarations: false`, only the rules and elements that name one — a chain
 * or set flushed when its Service went is declared until it is deleted, a second later.
 */
async function tableLinesFor(servicePortName: string, declarations = true): Promise<string[]> {
  const [nsName = '', portName = ''] = servicePortName.split(':');
  const [namespace = '', name = ''] = nsName.split('/');
  // `service-HASH-default/web/tcp/http`: what follows the hash
  const named = servicePortChains({ namespace, name, portName, protocol: 'TCP' }).cluster.slice('service-'.length + 9);
  const table = await proxy.netns().exec('nft', ['list', 'table', 'ip', 'kube-proxy']);
  return table.split('\n').filter((l) => l.includes(named) && (declarations || !/^\s*(chain|set) /.test(l)));
}

serviceProxySuite({ mode: 'nftables', skip, node: () => proxy.subject((servicePortName) => tableLinesFor(servicePortName, false)) });

describe('nftables mode', { skip, timeout: 300_000 }, () => {
  it('keeps a client on one endpoint with sessionAffinity ClientIP: its address in the endpoint affinity set, with the Service timeout', async () => {
    const n = proxy.server();
    const k = proxy.kubectl();
    await n.client.resource({ group: 'apps', version: 'v1', resource: 'deployments' }).patch('default', 'web', 'merge', {
      spec: { replicas: 3 },
    });
    const svc = await n.client.resource(SERVICES).create('default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'sticky', namespace: 'default' },
      spec: {
        selector: { app: 'web', role: 'backend' },
        ports: [{ port: 80, targetPort: 8080 }],
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
      },
    });
    const ip = (svc['spec'] as { clusterIP: string }).clusterIP;
    const affinitySets = async () => (await tableLinesFor('default/sticky')).filter((l) => /^\s*set affinity-/.test(l)).length;
    await eventually('three endpoints, each with its affinity set', async () => (await affinitySets()) === 3, 180_000);
    const loop = `for i in $(seq 20); do timeout 5 wget -q -O - http://${ip}/ || echo FAILED; done`;
    const got = new Set((await k(['exec', 'client', '--', 'sh', '-c', loop], { timeoutMs: 200_000 })).stdout.split('\n').filter(Boolean));
    assert.equal(got.size, 1, `one endpoint answers every request: ${[...got].join(', ')}`);
    assert.ok(![...got].includes('FAILED'));
    const client = (await n.client.resource({ group: '', version: 'v1', resource: 'pods' }).get('default', 'client'))['status'] as {
      podIP: string;
    };
    const table = await proxy.netns().exec('nft', ['list', 'table', 'ip', 'kube-proxy']);
    assert.match(table, new RegExp(`timeout 10m[\\s\\S]*elements = \\{ ${client.podIP.replaceAll('.', '\\.')} (timeout 10m )?expires`));
    await n.client.resource(SERVICES).delete('default', 'sticky');
    await eventually(
      'no chain or set of the deleted Service left',
      async () => (await tableLinesFor('default/sticky')).length === 0,
      30_000,
    );
  });
});
