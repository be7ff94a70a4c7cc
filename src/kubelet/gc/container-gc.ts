/**
 * The kubelet's container garbage collection (kuberuntime_gc.go: no minimum age, no global
 * limit; --maximum-dead-containers-per-container, default 1, a negative value for no limit): dead
 * containers beyond the newest N per (pod, container name) are removed, all of them once the pod
 * is gone from the API; dead sandboxes without containers are removed except a pod's newest; the sandboxes of
 * pods the API no longer has (deleted while the kubelet was away) are stopped and removed, as the
 * kubelet's pod cleanup kills orphaned pods.
 *
 *   garbageCollectContainers(options: ContainerGCOptions): Promise<ContainerGCResult>
 */
import { POD_UID_LABEL } from '../runtime-view.js';
import type { Container, PodSandbox, Runtime } from '../runtime/interface.js';

export interface ContainerGCOptions {
  runtime: Pick<Runtime, 'listContainers' | 'listPodSandbox' | 'removeContainer' | 'stopPodSandbox' | 'removePodSandbox'>;
  /** Whether the API still has the pod of this uid (bound to this node). */
  podExists: (uid: string) => boolean;
  /** Dead containers kept per (pod, container name) while the pod exists (default 1; negative: all). */
  maxPerPodContainer?: number;
}

export interface ContainerGCResult {
  removedContainers: string[];
  removedSandboxes: string[];
}

const uidOf = (o: { labels: Record<string, string> }): string => o.labels[POD_UID_LABEL] ?? '';

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

/** Newest first. */
const byCreation = <T extends { createdAt: number }>(a: T, b: T): number => b.createdAt - a.createdAt;

export async function garbageCollectContainers(options: ContainerGCOptions): Promise<ContainerGCResult> {
  const { runtime, podExists } = options;
  const maxPerPodContainer = options.maxPerPodContainer ?? 1;
  const result: ContainerGCResult = { removedContainers: [], removedSandboxes: [] };
  const sandboxes = await runtime.listPodSandbox();
  const ours = (o: { labels: Record<string, string> }) => uidOf(o) !== '';

  // orphans: sandboxes of pods the API no longer has, running or not
  for (const s of sandboxes.filter((x) => ours(x) && !podExists(uidOf(x)) && x.state === 'SANDBOX_READY')) {
    await runtime.stopPodSandbox(s.id);
    s.state = 'SANDBOX_NOTREADY';
  }

  // dead containers: keep the newest N per (pod, name) while the pod exists
  const dead = (await runtime.listContainers()).filter((c) => ours(c) && c.state !== 'CONTAINER_RUNNING');
  for (const [, group] of groupBy(dead, (c: Container) => `${uidOf(c)}/${c.metadata.name}`)) {
    group.sort(byCreation);
    // a gone pod's all go; a negative limit keeps every one of a live pod's
    const keep = podExists(uidOf(group[0] as Container)) ? (maxPerPodContainer < 0 ? group.length : maxPerPodContainer) : 0;
    for (const c of group.slice(keep)) {
      await runtime.removeContainer(c.id);
      result.removedContainers.push(c.id);
    }
  }

  // dead sandboxes without containers: keep a live pod's newest
  const holding = new Set((await runtime.listContainers()).map((c) => c.podSandboxId));
  for (const [uid, group] of groupBy(sandboxes.filter(ours), uidOf)) {
    group.sort(byCreation);
    const candidates = (podExists(uid) ? group.slice(1) : group).filter(
      (s: PodSandbox) => s.state !== 'SANDBOX_READY' && !holding.has(s.id),
    );
    for (const s of candidates) {
      await runtime.removePodSandbox(s.id);
      result.removedSandboxes.push(s.id);
    }
  }
  return result;
}
