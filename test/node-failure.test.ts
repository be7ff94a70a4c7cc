/**
 * Node failure end to end: a `k8ts server` without nodes of its own and two `k8ts agent`
 * processes of two simulated nodes each. A deployment spreads over all four nodes; one agent is
 * stopped (SIGTERM, by PID); after the node monitor grace period its nodes go NotReady (Ready
 * Unknown), get the unreachable taints, their pods are evicted once their tolerationSeconds run
 * out, and the deployment's pods run again on the surviving agent's nodes.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Kubectl, kubectl, ok } from './support/kubectl.js';
import { REPO, startServer, type TestServer } from './support/server.js';
import { eventually } from './support/wait.js';

const GRACE_SECONDS = 15;
const TOLERATION_SECONDS = 5;

interface Agent {
  process: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

interface Pod {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string; tolerations?: { key?: string; effect?: string; tolerationSeconds?: number }[] };
  status: { phase?: string };
}

let server: TestServer;
let cache: string;
let k: Kubectl;
const agents: Agent[] = [];

/** `k8ts agent --runtime fake --nodes 2` as its own process, ready once it prints its ready line. */
async function startAgent(prefix: string): Promise<Agent> {
  const child = spawn(
    process.execPath,
    [
      join(REPO, 'bin', 'k8ts.js'),
      'agent',
      '--runtime',
      'fake',
      '--nodes',
      '2',
      '--kubeconfig',
      server.kubeconfig,
      '--node-name-prefix',
      prefix,
      '--kubelet-port',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const agent: Agent = {
    process: child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const [code] = await exited;
      return code;
    },
  };
  agents.push(agent);
  await eventually(
    `agent ${prefix} ready`,
    async () => {
      if (child.exitCode !== null) throw new Error(`agent ${prefix} exited with ${child.exitCode}: ${out}`);
      return /k8ts agent ready: 2 fake node\(s\)/.test(out);
    },
    20_000,
  );
  return agent;
}

async function pods(): Promise<Pod[]> {
  return (JSON.parse(ok(await k(['get', 'pods', '-l', 'app=web', '-o', 'json']), 'get pods')) as { items: Pod[] }).items;
}

const running = (list: Pod[]): Pod[] => list.filter((p) => p.status.phase === 'Running' && !p.metadata.deletionTimestamp);

before(async () => {
  server = await startServer({ args: ['--node-monitor-grace-period', `${GRACE_SECONDS}s`] });
  cache = await mkdtemp(join(tmpdir(), 'k8ts-node-failure-'));
  k = kubectl('1.33', server.kubeconfig, cache);
});

after(async () => {
  for (const agent of agents) await agent.stop();
  await server?.stop();
  await server?.cleanup();
  if (cache) await rm(cache, { recursive: true, force: true });
});

describe('a node agent that stops', { timeout: 85_000 }, () => {
  let east: Agent;

  it('joins two agents of two nodes each', async () => {
    assert.doesNotMatch(ok(await k(['get', 'nodes']), 'get nodes'), /Ready/, 'the server runs no nodes of its own');
    [east] = await Promise.all([startAgent('east-'), startAgent('west-')]);
    await eventually(
      '4 Ready nodes',
      async () => (ok(await k(['get', 'nodes']), 'get nodes').match(/\sReady\s/g) ?? []).length === 4,
      20_000,
    );
  });

  it('spreads a deployment that tolerates node failure briefly over both agents', async () => {
    const toleration = (key: string) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: TOLERATION_SECONDS });
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            tolerations: [toleration('node.kubernetes.io/unreachable'), toleration('node.kubernetes.io/not-ready')],
            containers: [{ name: 'nginx', image: 'nginx:1.27.0' }],
          },
        },
      },
    };
    ok(await k(['apply', '-f', '-'], { input: JSON.stringify(deployment) }), 'apply');
    ok(await k(['rollout', 'status', 'deployment/web', '--timeout=30s']), 'rollout status');
    const placed = running(await pods());
    assert.equal(placed.length, 4);
    const nodes = placed.map((p) => p.spec.nodeName ?? '');
    assert.ok(nodes.some((n) => n.startsWith('east-')) && nodes.some((n) => n.startsWith('west-')), `spread: ${nodes.join(' ')}`);
    // DefaultTolerationSeconds left the pods' own tolerations alone
    for (const p of placed) {
      const seconds = (p.spec.tolerations ?? []).filter((t) => t.effect === 'NoExecute').map((t) => t.tolerationSeconds);
      assert.deepEqual(seconds, [TOLERATION_SECONDS, TOLERATION_SECONDS]);
    }
  });

  it('marks the stopped agent’s nodes NotReady and taints them unreachable', async () => {
    assert.equal(await east.stop(), 0, `the agent exits cleanly on SIGTERM: ${east.output()}`);
    const stoppedAt = Date.now();
    await eventually(
      'east nodes NotReady',
      async () => {
        const table = ok(await k(['get', 'nodes', '--no-headers']), 'get nodes');
        return (table.match(/^east-\d\s+NotReady\s/gm) ?? []).length === 2 && (table.match(/^west-\d\s+Ready\s/gm) ?? []).length === 2;
      },
      (GRACE_SECONDS + 15) * 1000,
    );
    assert.ok(Date.now() - stoppedAt >= (GRACE_SECONDS - 11) * 1000, 'not before the grace period (less a lease renewal)');
    for (const node of ['east-0', 'east-1']) {
      await eventually(
        `${node} tainted`,
        async () => {
          const taints = ok(await k(['get', 'node', node, '-o', 'jsonpath={range .spec.taints[*]}{.key}:{.effect}{"\\n"}{end}']), 'taints');
          return (
            taints.split('\n').filter(Boolean).sort().join(' ') ===
            'node.kubernetes.io/unreachable:NoExecute node.kubernetes.io/unreachable:NoSchedule'
          );
        },
        10_000,
      );
      const described = ok(await k(['describe', 'node', node]), 'describe node');
      assert.match(described, /Ready\s+Unknown\s+.+\s+NodeStatusUnknown\s+Kubelet stopped posting node status\./);
    }
    const west = ok(await k(['get', 'nodes', 'west-0', 'west-1', '-o', 'jsonpath={.items[*].spec.taints}']), 'west taints');
    assert.equal(west.trim(), '', 'the surviving nodes are not tainted');
  });

  it('evicts the pods of the lost nodes and runs all four on the surviving nodes', async () => {
    let all: Pod[] = [];
    await eventually(
      '4 running pods on west nodes',
      async () => {
        all = await pods();
        const live = running(all);
        return live.length === 4 && live.every((p) => p.spec.nodeName?.startsWith('west-'));
      },
      (TOLERATION_SECONDS + 20) * 1000,
    );
    // the evicted pods stay Terminating: no kubelet is left to confirm their end
    const lost = all.filter((p) => p.spec.nodeName?.startsWith('east-'));
    assert.ok(lost.length > 0);
    for (const p of lost) assert.ok(p.metadata.deletionTimestamp, `${p.metadata.name} is being deleted`);
    const table = ok(await k(['get', 'pods', '-l', 'app=web', '-o', 'wide', '--no-headers']), 'get pods -o wide');
    for (const p of lost) assert.match(table, new RegExp(`^${p.metadata.name}\\s+\\S+\\s+Terminating\\s.*\\seast-\\d\\s`, 'm'));
    assert.match(ok(await k(['get', 'deployment', 'web', '--no-headers']), 'get deployment'), /^web\s+4\/4\s+4\s+4\s/);
    const events = ok(
      await k(['get', 'events', '-o', 'jsonpath={range .items[*]}{.reason}|{.involvedObject.name}|{.message}{"\\n"}{end}']),
      'events',
    );
    for (const p of lost)
      assert.match(
        events,
        new RegExp(`^TaintManagerEviction\\|${p.metadata.name}\\|Marking for deletion Pod default/${p.metadata.name}$`, 'm'),
      );
    assert.match(events, /^NodeNotReady\|east-0\|Node east-0 status is now: NodeNotReady$/m);
  });

  it('takes the nodes back when the agent returns: Ready, untainted, the evicted pods finished', async () => {
    await startAgent('east-');
    await eventually(
      '4 Ready nodes without taints',
      async () => {
        const table = ok(await k(['get', 'nodes', '--no-headers']), 'get nodes');
        const taints = ok(await k(['get', 'nodes', '-o', 'jsonpath={.items[*].spec.taints}']), 'taints');
        return (table.match(/\sReady\s/g) ?? []).length === 4 && taints.trim() === '';
      },
      20_000,
    );
    await eventually(
      'the evicted pods gone',
      async () => {
        const all = await pods();
        return all.length === 4 && running(all).length === 4;
      },
      20_000,
    );
    assert.ok(
      (await pods()).every((p) => p.spec.nodeName?.startsWith('west-')),
      'running pods are not moved back',
    );
  });
});
