/**
 * The fixture of the service proxy end-to-end files: one `k8ts server --runtime containerd
 * --proxy-mode MODE` in a network namespace the test makes (its own cluster CIDR and /30), with
 * kubectl 1.33 on it. `useProxyModeNode` registers the before/after hooks of the file; `subject`
 * hands the conformance suite (src/proxy/testing/service-proxy-suite.ts) the node as it sees it.
 *
 *   const proxy = useProxyModeNode({ mode: 'iptables', clusterCIDR, subnet, skip });
 *   serviceProxySuite({ mode: 'iptables', skip, node: () => proxy.subject(rulesFor) });
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { ProxyMode } from '../../src/proxy/interface.js';
import type { ServiceProxySubject } from '../../src/proxy/testing/service-proxy-suite.js';
import { type Kubectl, kubectl } from './kubectl.js';
import type { NetnsHost } from './netns.js';
import { type RealNodeServer, startRealNodeServer } from './real-node-server.js';

export const PROXY_SERVICE_CIDR = '10.96.0.0/12';

export interface ProxyModeNodeOptions {
  mode: ProxyMode;
  clusterCIDR: string;
  /** The /30 joining the node's namespace to the machine. */
  subnet: string;
  /** Why the node cannot run here (the hooks then do nothing). */
  skip: string | undefined;
  /** Runs in after(), before the node stops (what the file started beside it). */
  beforeStop?: () => Promise<void>;
}

export interface ProxyModeNode {
  server(): RealNodeServer;
  netns(): NetnsHost;
  kubectl(): Kubectl;
  /** The node as the suite takes it; `rulesFor` tells what the mode made for a service port. */
  subject(rulesFor: (servicePortName: string) => Promise<string[]>): ServiceProxySubject;
}

export function useProxyModeNode(options: ProxyModeNodeOptions): ProxyModeNode {
  let node: RealNodeServer | undefined;
  let run: Kubectl | undefined;
  let dir = '';
  before(async () => {
    if (options.skip) return;
    node = await startRealNodeServer({
      nodeName: `k8ts-e2e-proxy-${options.mode}`,
      clusterCIDR: options.clusterCIDR,
      netns: { subnet: options.subnet },
      args: ['--proxy-mode', options.mode, '--service-cidr', PROXY_SERVICE_CIDR],
    });
    dir = await mkdtemp(join(tmpdir(), `k8ts-proxy-${options.mode}-`));
    run = kubectl('1.33', node.server.kubeconfig, join(dir, 'cache'));
  });
  after(async () => {
    await options.beforeStop?.();
    if (dir) await rm(dir, { recursive: true, force: true });
    if (!node) return;
    assert.deepEqual(await node.stop(), [], 'the test left these behind');
  });
  const fixture: ProxyModeNode = {
    server: () => {
      if (!node) throw new Error('the node did not start');
      return node;
    },
    netns: () => {
      const netns = fixture.server().netns;
      if (!netns) throw new Error('the node runs in a network namespace');
      return netns;
    },
    kubectl: () => {
      if (!run) throw new Error('the node did not start');
      return run;
    },
    subject: (rulesFor) => {
      const netns = fixture.netns();
      return {
        client: fixture.server().client,
        serviceCIDR: PROXY_SERVICE_CIDR,
        nodeIP: netns.ip,
        hostExec: (file, args) => netns.exec(file, args),
        podExec: (namespace, pod, argv) => fixture.kubectl()(['exec', '-n', namespace, pod, '--', ...argv], { timeoutMs: 300_000 }),
        rulesFor,
      };
    },
  };
  return fixture;
}
