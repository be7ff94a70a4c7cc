/**
 * What a user of a multi-node cluster (support/multi-node.ts) expects of Services, cluster DNS
 * and NetworkPolicies across nodes, as checks the cluster tests of each pod-network mode share:
 * a Deployment `web` of busybox httpd pods kept one per node (required pod anti-affinity on
 * kubernetes.io/hostname), each answering its own name; a ClusterIP Service `web` and a NodePort
 * Service `web-nodeport` in front of them; and on the first node a labelled client pod
 * (`access=true`) and an unlabelled one. Everything is applied with kubectl, as a user would.
 *
 *   deployWebAcrossNodes(cluster, k): Promise<WebAcrossNodes>
 *   pageFrom(k, client, url): one wget of `url` in a client pod (undefined when it fails)
 *   answersFrom(what, answer, want): polls `answer` until every page of `want` came back
 *   dnsRequests(node): how many queries the node's DNS server answered (its metrics)
 */
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/machinery/object.js';
import { BUSYBOX_IMAGE } from '../../src/kubelet/images/busybox-image.js';
import { type Kubectl, ok } from './kubectl.js';
import type { ClusterNode, MultiNodeCluster } from './multi-node.js';
import { podRunningWithIP, status } from './nodes.js';
import { eventually } from './wait.js';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const SERVICES = { group: '', version: 'v1', resource: 'services' };

/** The client pods on the first node: one a NetworkPolicy lets in (`access=true`), one without the label. */
export const CLIENT = 'client';
export const STRANGER = 'stranger';

export interface WebAcrossNodes {
  /** The ClusterIP Service's address (port 80). */
  clusterIP: string;
  /** The NodePort Service's node port. */
  nodePort: number;
  /** The Deployment's pods, by the node they run on: name and pod IP. */
  pods: Map<string, { name: string; ip: string }>;
}

/** httpd on 8080 answering the pod's name (its hostname). */
const WEB_SCRIPT = 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www';

function webDeployment(): KubeObject {
  const labels = { app: 'web' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: 1,
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' },
              ],
            },
          },
          containers: [
            {
              name: 'httpd',
              image: BUSYBOX_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              command: ['sh', '-c', WEB_SCRIPT],
              ports: [{ name: 'http', containerPort: 8080 }],
            },
          ],
        },
      },
    },
  };
}

function webService(name: string, spec: Obj): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...spec },
  };
}

function clientPod(name: string, nodeName: string, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: {
      nodeName,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'sh', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
    },
  };
}

/** Applies the Deployment, both Services and the client pods, and waits until every pod runs. */
export async function deployWebAcrossNodes(cluster: MultiNodeCluster, k: Kubectl): Promise<WebAcrossNodes> {
  const nodeA = cluster.nodes[0]?.name ?? '';
  const items = [
    webDeployment(),
    webService('web', {}),
    webService('web-nodeport', { type: 'NodePort' }),
    clientPod(CLIENT, nodeA, { access: 'true' }),
    clientPod(STRANGER, nodeA, {}),
  ];
  ok(await k(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) }), 'kubectl apply');
  const pods = cluster.client.resource(PODS);
  for (const name of [CLIENT, STRANGER]) await podRunningWithIP(pods, 'default', name, 120_000);
  const web = new Map<string, { name: string; ip: string }>();
  await eventually(
    'the Deployment’s pods Running, one on each node',
    async () => {
      web.clear();
      for (const pod of (await pods.list('default', { labelSelector: 'app=web' })).items) {
        const s = status(pod);
        const node = String(((pod['spec'] ?? {}) as Obj)['nodeName'] ?? '');
        if (s['phase'] === 'Running' && typeof s['podIP'] === 'string') web.set(node, { name: pod.metadata.name ?? '', ip: s['podIP'] });
      }
      return cluster.nodes.every((n) => web.has(n.name));
    },
    120_000,
    500,
  );
  const services = cluster.client.resource(SERVICES);
  const clusterIP = String(((await services.get('default', 'web'))['spec'] as Obj)['clusterIP']);
  const ports = ((await services.get('default', 'web-nodeport'))['spec'] as Obj)['ports'] as Obj[];
  return { clusterIP, nodePort: Number(ports[0]?.['nodePort']), pods: web };
}

/** One `timeout 5 wget` of `url` in a client pod: the page, or undefined when wget failed; throws when exec itself fails. */
export async function pageFrom(k: Kubectl, client: string, url: string): Promise<string | undefined> {
  const r = await k(['exec', client, '--', 'sh', '-c', `timeout 5 wget -q -O - ${url}; echo "wget exit $?"`], { timeoutMs: 20_000 });
  const exit = /wget exit (\d+)\n$/.exec(r.stdout);
  if (r.code !== 0 || !exit) throw new Error(`kubectl exec ${client} failed (${r.code}): ${r.stdout} ${r.stderr}`);
  return exit[1] === '0' ? r.stdout.slice(0, -exit[0].length) : undefined;
}

/** Polls `answer` (each call one request) until every page of `want` came back; a page not in `want` fails at once. */
export async function answersFrom(what: string, answer: () => Promise<string | undefined>, want: readonly string[]): Promise<void> {
  const seen = new Set<string>();
  await eventually(
    `${what} answering ${want.join(' and ')}`,
    async () => {
      const page = (await answer())?.trim();
      if (page !== undefined) {
        assert.ok(want.includes(page), `${what} answered ${JSON.stringify(page)}`);
        seen.add(page);
      }
      return want.every((w) => seen.has(w));
    },
    60_000,
    100,
  );
}

/** The node's DNS server's coredns_dns_requests_total, summed over its labels (read inside the node's namespace). */
export async function dnsRequests(node: ClusterNode): Promise<number> {
  const metrics = await node.host.exec('curl', ['-sS', '-m', '5', `http://${node.host.ip}:9153/metrics`]);
  return metrics
    .split('\n')
    .filter((l) => l.startsWith('coredns_dns_requests_total{'))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}
