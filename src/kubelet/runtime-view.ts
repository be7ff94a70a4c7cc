/**
 * A pod as the runtime sees it (kubecontainer.PodStatus): its sandbox and, per container name,
 * the latest attempt and the one before. Rebuilt from the runtime's labels on every sync, so the
 * kubelet keeps no container bookkeeping of its own and survives restarts against a real runtime.
 */
import type { ContainerStatus, PodSandboxStatus, Runtime } from './runtime/interface.js';

/** Labels the kubelet puts on sandboxes and containers, as upstream's kuberuntime does. */
export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';

export interface ContainerRuntimeView {
  /** The latest attempt; its `metadata.attempt` is the restart count. */
  current: ContainerStatus;
  /** The attempt before, if any (the API's lastState). */
  previous: ContainerStatus | undefined;
}

export interface PodRuntimeView {
  /** The newest sandbox, ready or not. */
  sandbox: PodSandboxStatus | undefined;
  /** How many sandboxes the pod has had (the next sandbox's attempt). */
  sandboxAttempts: number;
  containers: Map<string, ContainerRuntimeView>;
}

export async function podRuntimeView(runtime: Runtime, uid: string): Promise<PodRuntimeView> {
  const selector = { [POD_UID_LABEL]: uid };
  const sandboxes = await runtime.listPodSandbox({ labelSelector: selector });
  let newest = sandboxes[0];
  for (const s of sandboxes) if (newest && s.metadata.attempt > newest.metadata.attempt) newest = s;
  const sandbox = newest ? await runtime.podSandboxStatus(newest.id) : undefined;
  const containers = new Map<string, ContainerRuntimeView>();
  if (sandbox) {
    const list = await runtime.listContainers({ podSandboxId: sandbox.id });
    const byName = new Map<string, ContainerStatus[]>();
    for (const c of list) {
      const status = await runtime.containerStatus(c.id);
      const all = byName.get(c.metadata.name) ?? [];
      all.push(status);
      byName.set(c.metadata.name, all);
    }
    for (const [name, all] of byName) {
      all.sort((a, b) => b.metadata.attempt - a.metadata.attempt);
      containers.set(name, { current: all[0] as ContainerStatus, previous: all[1] });
    }
  }
  return { sandbox, sandboxAttempts: sandboxes.length, containers };
}

/** Removes every sandbox (and so container) of a pod uid; returns how many there were. */
export async function removePodFromRuntime(runtime: Runtime, uid: string): Promise<number> {
  const sandboxes = await runtime.listPodSandbox({ labelSelector: { [POD_UID_LABEL]: uid } });
  for (const s of sandboxes) {
    await runtime.stopPodSandbox(s.id);
    await runtime.removePodSandbox(s.id);
  }
  return sandboxes.length;
}
