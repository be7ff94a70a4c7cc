/**
 * The CRI runtime a real node ran on when k8ts did not start it (--container-runtime-endpoint),
 * recorded under DATA/agent so that `k8ts killall --data-dir DATA` finds it, and what killall
 * removes there: the pod sandboxes (with their containers) of this node's pods — those with a
 * pod directory under DATA/kubelet/pods, found by the kubelet's pod uid label —, nothing else of
 * that runtime's. The node's conflist in the runtime's CNI conf dir is killall's to remove too.
 *
 *   recordExternalRuntime(dataDir, runtime: ExternalRuntime | undefined): Promise<void>
 *   readExternalRuntime(dataDir): Promise<ExternalRuntime | undefined>
 *   removeNodePodsFromRuntime(dataDir, runtime, report): Promise<void>
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canConnect } from './containerd/supervisor.js';
import { POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from './runtime-view.js';
import { CriRuntime } from './runtime/cri/cri-runtime.js';

export interface ExternalRuntime {
  /** The runtime's socket. */
  socket: string;
  /** Its CNI conf dir, where the node wrote its conflist. */
  cniConfDir: string;
}

const recordFile = (dataDir: string): string => join(dataDir, 'agent', 'external-runtime.json');

/** Records the runtime the node runs on; undefined (k8ts' own containerd) removes the record. */
export async function recordExternalRuntime(dataDir: string, runtime: ExternalRuntime | undefined): Promise<void> {
  if (runtime) await writeFile(recordFile(dataDir), `${JSON.stringify(runtime)}\n`);
  else await rm(recordFile(dataDir), { force: true });
}

export async function readExternalRuntime(dataDir: string): Promise<ExternalRuntime | undefined> {
  const text = await readFile(recordFile(dataDir), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const r = JSON.parse(text) as Partial<ExternalRuntime>;
  return typeof r.socket === 'string' && typeof r.cniConfDir === 'string' ? { socket: r.socket, cniConfDir: r.cniConfDir } : undefined;
}

/** Forgets the record (killall, once the runtime holds nothing of the node's). */
export async function forgetExternalRuntime(dataDir: string): Promise<void> {
  await rm(recordFile(dataDir), { force: true });
}

/** Stops and removes the sandboxes (and so the containers) of the node's pods in that runtime, one line each. */
export async function removeNodePodsFromRuntime(dataDir: string, runtime: ExternalRuntime, report: (line: string) => void): Promise<void> {
  const uids = new Set(await readdir(join(dataDir, 'kubelet', 'pods')).catch(() => [] as string[]));
  if (uids.size === 0) return;
  if (!(await canConnect(runtime.socket))) {
    report(`the runtime at ${runtime.socket} does not answer: its pod sandboxes stay`);
    return;
  }
  const cri = new CriRuntime({ endpoint: `unix://${runtime.socket}` });
  try {
    for (const sandbox of await cri.listPodSandbox()) {
      const uid = sandbox.labels[POD_UID_LABEL];
      if (uid === undefined || !uids.has(uid)) continue;
      const containers = await cri.listContainers({ podSandboxId: sandbox.id });
      await cri.stopPodSandbox(sandbox.id);
      for (const c of containers) await cri.removeContainer(c.id);
      await cri.removePodSandbox(sandbox.id);
      const pod = `${sandbox.labels[POD_NAMESPACE_LABEL] ?? ''}/${sandbox.labels[POD_NAME_LABEL] ?? ''}`;
      report(`removed pod sandbox ${sandbox.id.slice(0, 13)} of ${pod} and its ${containers.length} container(s) from ${runtime.socket}`);
    }
  } finally {
    cri.close();
  }
}
