/**
 * The service proxy conformance suite (DESIGN.md rule 3): what every `--proxy-mode` makes true
 * on a real node, end to end with real containers. Each mode's test file starts a
 * `k8ts server --runtime containerd --proxy-mode MODE` in a network namespace and registers the
 * suite against it:
 *
 *   serviceProxySuite({ mode: 'iptables', node: () => subject, skip });
 *
 * From a pod, a Service answers on its cluster IP, balanced over its three ready pods (each httpd
 * answers its host name) and never a pod that is not ready; its NodePort answers on the node's
 * 127.0.0.1 and on the node IP; a Service without endpoints and a cluster IP no Service owns
 * refuse the connection at once (not a timeout); kube-proxy's /healthz answers on port 10256 and a
 * LoadBalancer Service with externalTrafficPolicy Local on its health check node port; a load
 * balancer IP serves only the Service's loadBalancerSourceRanges; scaling the
 * Deployment changes who answers, and deleting the Service removes what the mode made for it.
 *
 * The node's route to the service CIDR (a real host's default route) goes to an empty bridge the
 * suite adds in the namespace: what a proxy lets through is dropped there, never sent off the machine.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clientset } from '../../client/interface.js';
import { BUSYBOX_IMAGE } from '../../kubelet/images/busybox-image.js';
import type { ProxyMode } from '../interface.js';

/** The started node the suite runs against. */
export interface ServiceProxySubject {
  client: Clientset;
  /** The server's --service-cidr. */
  serviceCIDR: string;
  /** The node IP (in the namespace), which the test process reaches. */
  nodeIP: string;
  /** Runs a command on the node's host (inside its namespace); rejects on a non-zero exit with the program's stderr. */
  hostExec(file: string, args: string[]): Promise<string>;
  /** Runs a command in a pod's container (kubectl exec); resolves with its exit code and output. */
  podExec(namespace: string, pod: string, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** What the mode made on the node for a service port (upstream's ServicePortName, e.g. `default/web:http`); empty when nothing. */
  rulesFor?(servicePortName: string): Promise<string[]>;
}

export interface ServiceProxySuiteOptions {
  mode: ProxyMode;
  node: () => ServiceProxySubject;
  skip?: string | false;
}

type Obj = Record<string, unknown>;
const ns = 'default';
const PODS = { group: '', version: 'v1', resource: 'pods' };
const SERVICES = { group: '', version: 'v1', resource: 'services' };
const DEPLOYMENTS = { group: 'apps', version: 'v1', resource: 'deployments' };
const ENDPOINT_SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
const HTTPD = 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www';
const container = (command: string, extra: Obj = {}) => ({
  name: 'main',
  image: BUSYBOX_IMAGE,
  imagePullPolicy: 'IfNotPresent',
  command: ['sh', '-c', command],
  ...extra,
});

/** Polls `check` until it returns a value, bounded; fails with `what` and the last error. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await sleep(300);
  }
}

export function serviceProxySuite(options: ServiceProxySuiteOptions): void {
  const { skip } = options;
  describe(`service proxy conformance (--proxy-mode ${options.mode})`, { skip, timeout: 600_000 }, () => {
    let n: ServiceProxySubject;
    let clusterIP = '';
    let nodePort = 0;
    /** The host names that answer `url` over `times` requests from the client pod. */
    const answers = async (url: string, times: number): Promise<string[]> => {
      const loop = `for i in $(seq ${times}); do timeout 5 wget -q -O - ${url} || echo FAILED; done`;
      const r = await n.podExec(ns, 'client', ['sh', '-c', loop]);
      return r.stdout.split('\n').filter(Boolean);
    };
    const deploymentPods = async (): Promise<string[]> =>
      (await n.client.resource(PODS).list(ns, { labelSelector: 'app=web,role=backend' })).items
        .filter((p) => (p['status'] as Obj | undefined)?.['phase'] === 'Running' && !p.metadata.deletionTimestamp)
        .map((p) => p.metadata.name ?? '');
    const readyEndpoints = async (service: string): Promise<number> => {
      const slices = await n.client.resource(ENDPOINT_SLICES).list(ns, { labelSelector: `kubernetes.io/service-name=${service}` });
      return slices.items.flatMap((s) =>
        ((s['endpoints'] ?? []) as { conditions?: { ready?: boolean } }[]).filter((e) => e.conditions?.ready !== false),
      ).length;
    };

    before(async () => {
      if (skip) return;
      n = options.node();
      const [net, bits] = n.serviceCIDR.split('/');
      await n.hostExec('ip', ['link', 'add', 'k8tssvc0', 'type', 'bridge']);
      await n.hostExec('ip', ['link', 'set', 'k8tssvc0', 'up']);
      await n.hostExec('ip', ['route', 'add', `${net}/${bits}`, 'dev', 'k8tssvc0']);
      const labels = { app: 'web', role: 'backend' };
      await n.client.resource(DEPLOYMENTS).create(ns, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: ns },
        spec: {
          replicas: 3,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { terminationGracePeriodSeconds: 1, containers: [container(HTTPD)] } },
        },
      });
      // selected by the Service, never ready: must receive nothing
      await n.client.resource(PODS).create(ns, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'unready', namespace: ns, labels: { app: 'web', role: 'unready' } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [container(HTTPD, { readinessProbe: { exec: { command: ['false'] }, periodSeconds: 1 } })],
        },
      });
      await n.client.resource(PODS).create(ns, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'client', namespace: ns },
        spec: { terminationGracePeriodSeconds: 1, containers: [container('exec sleep 3600')] },
      });
      const svc = await n.client.resource(SERVICES).create(ns, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: ns },
        spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      });
      const spec = svc['spec'] as { clusterIP: string; ports: { nodePort: number }[] };
      clusterIP = spec.clusterIP;
      nodePort = spec.ports[0]?.nodePort ?? 0;
      await n.client.resource(SERVICES).create(ns, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'empty', namespace: ns },
        spec: { selector: { app: 'nothing' }, ports: [{ port: 80, targetPort: 8080 }] },
      });
      await waitFor('three ready endpoints of web', async () => ((await readyEndpoints('web')) === 3 ? true : undefined), 180_000);
      await waitFor('the client pod running', async () => {
        const p = await n.client.resource(PODS).get(ns, 'client');
        return (p['status'] as Obj | undefined)?.['phase'] === 'Running' ? true : undefined;
      });
    });

    it('a pod reaches a Service by its cluster IP', async () => {
      const backends = await deploymentPods();
      const first = await waitFor('an answer on the cluster IP', async () => {
        const [got] = await answers(`http://${clusterIP}/`, 1);
        return got && backends.includes(got) ? got : undefined;
      });
      assert.ok(backends.includes(first));
    });

    it('balances over the three ready endpoints and sends nothing to the pod that is not ready', async () => {
      const backends = await deploymentPods();
      const seen = new Set<string>();
      await waitFor('all three backends answering', async () => {
        for (const got of await answers(`http://${clusterIP}/`, 30)) {
          assert.notEqual(got, 'unready', 'the pod that is not ready answered');
          seen.add(got);
        }
        return backends.every((b) => seen.has(b)) ? true : undefined;
      });
      assert.deepEqual([...seen].sort(), [...backends].sort());
    });

    it('answers on the NodePort at 127.0.0.1 on the node and at the node IP', async () => {
      const backends = await deploymentPods();
      const local = await waitFor('the NodePort on 127.0.0.1', async () =>
        (await n.hostExec('curl', ['-sS', '-m', '5', `http://127.0.0.1:${nodePort}/`])).trim(),
      );
      assert.ok(backends.includes(local), local);
      const res = await waitFor('the NodePort on the node IP', async () => {
        const r = await fetch(`http://${n.nodeIP}:${nodePort}/`, { signal: AbortSignal.timeout(5_000) });
        return r.ok ? (await r.text()).trim() : undefined;
      });
      assert.ok(backends.includes(res), res);
    });

    it('refuses a Service without endpoints and a cluster IP no Service owns, from a pod and from the node', async () => {
      const empty = (await n.client.resource(SERVICES).get(ns, 'empty'))['spec'] as { clusterIP: string };
      const unowned = unownedAddress(n.serviceCIDR);
      for (const ip of [empty.clusterIP, unowned]) {
        await waitFor(`${ip} refused from a pod`, async () => {
          const r = await n.podExec(ns, 'client', ['sh', '-c', `timeout 5 wget -q -O - http://${ip}/ 2>&1; echo exit=$?`]);
          return /refused/i.test(r.stdout) ? true : undefined;
        });
        const started = Date.now();
        const err = await n.hostExec('curl', ['-sS', '-m', '5', `http://${ip}/`]).then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        // curl's exit 7: could not connect (refused; a drop would be 28, timed out)
        assert.match(err?.message ?? 'answered', /curl: \(7\)/, `${ip} from the node`);
        assert.ok(Date.now() - started < 5_000, 'refused at once, not timed out');
      }
    });

    it("serves kube-proxy's /healthz and a Local LoadBalancer Service's health check node port", async () => {
      const healthz = await waitFor('/healthz on port 10256', async () => {
        const r = await fetch(`http://${n.nodeIP}:10256/healthz`, { signal: AbortSignal.timeout(5_000) });
        return r.status === 200 ? r : undefined;
      });
      assert.equal(healthz.headers.get('x-content-type-options'), 'nosniff');
      const body = (await healthz.json()) as Obj;
      assert.deepEqual(Object.keys(body), ['lastUpdated', 'currentTime']);
      assert.match(String(body['lastUpdated']), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC$/);
      const lb = await n.client.resource(SERVICES).create(ns, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web-lb', namespace: ns },
        spec: {
          type: 'LoadBalancer',
          externalTrafficPolicy: 'Local',
          selector: { app: 'web', role: 'backend' },
          ports: [{ port: 8081, targetPort: 8080 }],
        },
      });
      try {
        const port = (lb['spec'] as { healthCheckNodePort?: number }).healthCheckNodePort;
        assert.ok(port, 'the apiserver allocated a health check node port');
        const health = await waitFor('the health check node port answering 200', async () => {
          const r = await fetch(`http://${n.nodeIP}:${port}/`, { signal: AbortSignal.timeout(5_000) });
          return r.status === 200 ? ((await r.json()) as Obj) : undefined;
        });
        assert.deepEqual(health, { service: { namespace: ns, name: 'web-lb' }, localEndpoints: 3, serviceProxyHealthy: true });
      } finally {
        await n.client.resource(SERVICES).delete(ns, 'web-lb');
      }
    });

    it('serves a load balancer IP only to the loadBalancerSourceRanges', async () => {
      // the test process reaches the node from the other end of the namespace's veth, in the node IP's /24
      const mine = `${n.nodeIP.split('.').slice(0, 3).join('.')}.0/24`;
      await n.client.resource(SERVICES).create(ns, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web-fw', namespace: ns },
        spec: {
          type: 'LoadBalancer',
          selector: { app: 'web', role: 'backend' },
          ports: [{ port: 8082, targetPort: 8080 }],
          loadBalancerSourceRanges: [mine],
        },
      });
      const get = (url: string) =>
        fetch(url, { signal: AbortSignal.timeout(3_000) }).then(
          (r) => (r.ok ? 'answered' : `HTTP ${r.status}`),
          () => 'no answer',
        );
      try {
        const lbIP = await waitFor('the load balancer IP', async () => {
          const svc = await n.client.resource(SERVICES).get(ns, 'web-fw');
          return ((svc['status'] as Obj | undefined)?.['loadBalancer'] as { ingress?: { ip?: string }[] } | undefined)?.ingress?.[0]?.ip;
        });
        const url = `http://${lbIP}:8082/`;
        await waitFor('an answer from inside the source ranges', async () => ((await get(url)) === 'answered' ? true : undefined));
        await n.client.resource(SERVICES).patch(ns, 'web-fw', 'merge', { spec: { loadBalancerSourceRanges: ['192.0.2.0/24'] } });
        await waitFor('no answer from outside the source ranges', async () => ((await get(url)) === 'no answer' ? true : undefined));
        await n.client.resource(SERVICES).patch(ns, 'web-fw', 'merge', { spec: { loadBalancerSourceRanges: ['192.0.2.0/24', mine] } });
        await waitFor('an answer again once a range holds the client', async () => ((await get(url)) === 'answered' ? true : undefined));
      } finally {
        await n.client.resource(SERVICES).delete(ns, 'web-fw');
      }
    });

    it('follows the Deployment when it scales, and removes everything for a deleted Service', async () => {
      await n.client.resource(DEPLOYMENTS).patch(ns, 'web', 'merge', { spec: { replicas: 1 } });
      await waitFor('one ready endpoint', async () => ((await readyEndpoints('web')) === 1 ? true : undefined), 120_000);
      const one = await waitFor('one backend answering', async () => {
        const got = new Set(await answers(`http://${clusterIP}/`, 10));
        return got.size === 1 && !got.has('FAILED') ? [...got][0] : undefined;
      });
      assert.deepEqual(await deploymentPods(), [one]);
      if (n.rulesFor) assert.notDeepEqual(await n.rulesFor('default/web:http'), [], 'rules for the Service before it is deleted');

      await n.client.resource(SERVICES).delete(ns, 'web');
      await waitFor('the cluster IP refused', async () => {
        const r = await n.podExec(ns, 'client', ['sh', '-c', `timeout 5 wget -q -O - http://${clusterIP}/ 2>&1; echo exit=$?`]);
        return /refused/i.test(r.stdout) ? true : undefined;
      });
      const gone = await n.hostExec('curl', ['-sS', '-m', '5', `http://127.0.0.1:${nodePort}/`]).then(
        () => false,
        (e: unknown) => /curl: \(7\)/.test((e as Error).message),
      );
      assert.ok(gone, 'the NodePort refused');
      if (n.rulesFor) assert.deepEqual(await n.rulesFor('default/web:http'), [], 'rules left for the deleted Service');
    });
  });
}

/** An address of the service CIDR that the allocator hands out last (the CIDR's last but one). */
function unownedAddress(cidr: string): string {
  const [net, bits] = cidr.split('/');
  const ip = (net ?? '').split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const last = ip + 2 ** (32 - Number(bits)) - 2;
  return [last >>> 24, (last >>> 16) & 255, (last >>> 8) & 255, last & 255].join('.');
}
