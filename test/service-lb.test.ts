/**
 * The built-in service load balancer end to end, with the real kubectl against `k8ts server`
 * and two simulated nodes: a LoadBalancer Service gets the Ready nodes' InternalIPs as
 * status.loadBalancer.ingress (kubectl's EXTERNAL-IP), with the service controller's events; a
 * node excluded from load balancers leaves it; the status is cleared when the type changes.
 * (Traffic to the load balancer IPs: service-lb-traffic.test.ts, on a real node.)
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Kubectl, kubectl, ok } from './support/kubectl.js';
import { startServer, type TestServer } from './support/server.js';
import { eventually } from './support/wait.js';

let server: TestServer;
let k: Kubectl;
let cache = '';

before(async () => {
  server = await startServer({ args: ['--runtime', 'fake', '--fake-nodes', '2'] });
  cache = await mkdtemp(join(tmpdir(), 'k8ts-service-lb-'));
  k = kubectl('1.33', server.kubeconfig, cache);
  await eventually('2 Ready nodes', async () => (ok(await k(['get', 'nodes']), 'get nodes').match(/\sReady\s/g) ?? []).length === 2);
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  if (cache) await rm(cache, { recursive: true, force: true });
});

const ingress = async (name: string): Promise<string> =>
  ok(await k(['get', 'svc', name, '-o', 'jsonpath={range .status.loadBalancer.ingress[*]}{.ip}/{.ipMode} {end}']), 'get svc').trim();
const externalIP = async (name: string): Promise<string> =>
  ok(await k(['get', 'svc', name, '--no-headers']), 'get svc')
    .trim()
    .split(/\s+/)[3] ?? '';

describe('service load balancer', { timeout: 120_000 }, () => {
  let nodeIPs: string[] = [];

  it('gives a LoadBalancer Service the Ready nodes’ InternalIPs, shown as EXTERNAL-IP, with upstream’s events', async () => {
    nodeIPs = ok(await k(['get', 'nodes', '-o', 'jsonpath={.items[*].status.addresses[?(@.type=="InternalIP")].address}']), 'node IPs')
      .trim()
      .split(' ')
      .sort();
    assert.equal(nodeIPs.length, 2);
    ok(await k(['create', 'service', 'loadbalancer', 'web', '--tcp', '80:8080']), 'create service');
    ok(await k(['create', 'service', 'clusterip', 'plain', '--tcp', '80:8080']), 'create service');
    await eventually('the load balancer ingress', async () => (await ingress('web')) !== '', 30_000);
    assert.equal(await ingress('web'), nodeIPs.map((ip) => `${ip}/VIP`).join(' '));
    assert.equal(await externalIP('web'), nodeIPs.join(','));
    assert.equal(await externalIP('plain'), '<none>');
    const events = ok(
      await k([
        'get',
        'events',
        '--field-selector',
        'involvedObject.name=web',
        '-o',
        'jsonpath={range .items[*]}{.reason}/{.source.component}: {.message}{"\\n"}{end}',
      ]),
      'events',
    );
    assert.match(events, /EnsuringLoadBalancer\/service-controller: Ensuring load balancer/);
    assert.match(events, /EnsuredLoadBalancer\/service-controller: Ensured load balancer/);
  });

  it('follows the nodes: one excluded from external load balancers leaves the ingress', async () => {
    const [first, second] = ok(await k(['get', 'nodes', '-o', 'name']), 'nodes')
      .trim()
      .split('\n');
    ok(await k(['label', String(second), 'node.kubernetes.io/exclude-from-external-load-balancers=']), 'label node');
    const kept = ok(await k(['get', String(first), '-o', 'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}']), 'node IP');
    await eventually('one ingress point left', async () => (await ingress('web')) === `${kept}/VIP`, 30_000);
    ok(await k(['label', String(second), 'node.kubernetes.io/exclude-from-external-load-balancers-']), 'unlabel node');
    await eventually('both back', async () => (await ingress('web')) === nodeIPs.map((ip) => `${ip}/VIP`).join(' '), 30_000);
  });

  it('clears the status when the Service stops being a LoadBalancer', async () => {
    // the apiserver drops the node port and the traffic policy with the type (dropTypeDependentFields)
    ok(await k(['patch', 'svc', 'web', '-p', '{"spec":{"type":"ClusterIP"}}']), 'patch type');
    await eventually('the status cleared', async () => (await ingress('web')) === '', 30_000);
    assert.equal(await externalIP('web'), '<none>');
    const reasons = ok(
      await k(['get', 'events', '--field-selector', 'involvedObject.name=web', '-o', 'jsonpath={.items[*].reason}']),
      'events',
    );
    assert.match(reasons, /DeletingLoadBalancer.*DeletedLoadBalancer|DeletedLoadBalancer.*DeletingLoadBalancer/);
  });
});
