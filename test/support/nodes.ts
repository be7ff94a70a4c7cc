/**
 * Nodes and their pods in end-to-end tests and benches: an object's status, a node's Ready
 * condition, waiting until the API shows a node Ready, waiting for a spawned `k8ts agent`'s ready
 * line, and a busybox httpd pod: waiting for it Running with a pod IP and for its page.
 */
import type { ChildProcess } from 'node:child_process';
import type { Clientset, ResourceClient } from '../../src/client/interface.js';
import { BUSYBOX_IMAGE } from '../../src/kubelet/images/busybox-image.js';
import type { KubeObject } from '../../src/machinery/object.js';
import { eventually } from './wait.js';

type Obj = Record<string, unknown>;
const NODES = { group: '', version: 'v1', resource: 'nodes' };

/** An object's status; {} when it has none or there is no object. */
export const status = (o: KubeObject | undefined): Obj => (o?.['status'] ?? {}) as Obj;

/** A node's Ready condition, if it has one. */
export const readyCondition = (n: KubeObject | undefined): Obj | undefined =>
  ((status(n)['conditions'] ?? []) as Obj[]).find((c) => c['type'] === 'Ready');

/** Polls the API until the node exists and is Ready; resolves with the node as last read. */
export async function nodeReady(client: Clientset, name: string, timeoutMs: number): Promise<KubeObject> {
  let node: KubeObject | undefined;
  await eventually(
    'the node Ready',
    async () => {
      node = await client
        .resource(NODES)
        .get('', name)
        .catch(() => undefined);
      return readyCondition(node)?.['status'] === 'True';
    },
    timeoutMs,
  );
  return node as KubeObject;
}

/**
 * Resolves when the spawned agent prints `k8ts agent ready`; rejects, with its stderr so far, when
 * it exits first or `timeoutMs` pass. Call it right after spawning (it keeps reading stderr, so the
 * pipe never fills).
 */
export function agentReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the agent did not get ready in ${timeoutMs / 1000} s: ${err}`)), timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('k8ts agent ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the agent exited with ${code}: ${err}`));
    });
  });
}

/** A busybox pod whose httpd serves `page` (plus a newline) on port 8080; `spec` adds to its spec. */
export function httpdPod(name: string, page: string, spec: Obj = {}): KubeObject {
  const script = `mkdir -p /www && echo ${page} > /www/index.html && exec httpd -f -p 8080 -h /www`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      ...spec,
      containers: [{ name: 'httpd', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script] }],
    },
  };
}

/** Polls the pod until it is Running with a pod IP; resolves with the pod as last read. */
export async function podRunningWithIP(pods: ResourceClient, namespace: string, name: string, timeoutMs: number): Promise<KubeObject> {
  let pod: KubeObject | undefined;
  await eventually(
    'the pod Running with a pod IP',
    async () => {
      pod = await pods.get(namespace, name);
      return status(pod)['phase'] === 'Running' && typeof status(pod)['podIP'] === 'string';
    },
    timeoutMs,
  );
  return pod as KubeObject;
}

/** GETs `url` until it answers 200 with a body (each try bounded to 2 s); resolves with the body. */
export async function pageOf(url: string, timeoutMs: number): Promise<string> {
  let body = '';
  await eventually(
    `GET ${url}`,
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
      body = res?.ok ? await res.text() : '';
      return body !== '';
    },
    timeoutMs,
  );
  return body;
}
