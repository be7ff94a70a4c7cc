/**
 * The Node authorizer's graph at scale, in one process: 1,000 nodes × 10 pods (each pod with
 * a Secret volume, the kube-root-ca.crt ConfigMap projection and its ServiceAccount), then
 * rescheduling churn. Prints the build time, the heap the graph holds, pod updates per second
 * and authorization decisions per second (allowed and denied).
 *
 *   node --expose-gc --import tsx bench/node-graph.ts [--nodes 1000] [--pods-per-node 10]
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { KubeObject } from '../src/machinery/object.js';
import { NodeGraph } from '../src/apiserver/authz/node/graph.js';
import { NodeAuthorizer } from '../src/apiserver/authz/node/node-authorizer.js';
import type { Attributes } from '../src/apiserver/authz/interface.js';

const { values } = parseArgs({
  options: { nodes: { type: 'string', default: '1000' }, 'pods-per-node': { type: 'string', default: '10' } },
});
const nodes = Number(values.nodes);
const perNode = Number(values['pods-per-node']);

function pod(n: number, i: number, node: number): KubeObject {
  return {
    metadata: { name: `p-${n}-${i}`, namespace: `ns-${n % 50}` },
    spec: {
      nodeName: `node-${node}`,
      serviceAccountName: 'default',
      containers: [{ name: 'c' }],
      volumes: [
        { name: 's', secret: { secretName: `secret-${n}-${i}` } },
        {
          name: 'token',
          projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { configMap: { name: 'kube-root-ca.crt' } }] },
        },
      ],
    },
  };
}

const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const graph = new NodeGraph();
let t = performance.now();
for (let n = 0; n < nodes; n++) for (let i = 0; i < perNode; i++) graph.setPod(`/registry/pods/ns/p-${n}-${i}`, pod(n, i, n));
const buildMs = performance.now() - t;
gc?.();
const heapMB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;

const pods = nodes * perNode;
t = performance.now();
for (let k = 0; k < pods; k++) {
  const n = k % nodes;
  const i = Math.floor(k / nodes) % perNode;
  graph.setPod(`/registry/pods/ns/p-${n}-${i}`, pod(n, i, (n + 1) % nodes));
}
const updatesPerSec = pods / ((performance.now() - t) / 1000);

const authorizer = new NodeAuthorizer({ graph });
const attrs = (n: number, i: number, node: number): Attributes => ({
  user: { name: `system:node:node-${node}`, groups: ['system:nodes', 'system:authenticated'] },
  verb: 'get',
  isResourceRequest: true,
  path: '',
  group: '',
  version: 'v1',
  resource: 'secrets',
  subresource: '',
  namespace: `ns-${n % 50}`,
  name: `secret-${n}-${i}`,
});
let allowed = 0;
const decisions = 200_000;
t = performance.now();
for (let k = 0; k < decisions; k++) {
  const n = k % nodes;
  const i = k % perNode;
  // even k: the pod's own node (moved to n+1 above); odd k: another node
  if (authorizer.authorize(attrs(n, i, k % 2 === 0 ? (n + 1) % nodes : n)).allowed) allowed++;
}
const decisionsPerSec = decisions / ((performance.now() - t) / 1000);

console.log(`node graph: ${nodes} nodes × ${perNode} pods = ${pods} pods (${graph.podCount} in the graph)`);
console.log(`  build ${buildMs.toFixed(0)} ms, heap ${gc ? `${heapMB.toFixed(1)} MiB` : 'n/a (run with --expose-gc)'}`);
console.log(`  pod updates (rescheduled to another node): ${Math.round(updatesPerSec).toLocaleString('en')}/s`);
console.log(`  authorization decisions: ${Math.round(decisionsPerSec).toLocaleString('en')}/s (${allowed} of ${decisions} allowed)`);
