/**
 * The eviction manager's local storage limits (pkg/kubelet/eviction: localStorageEviction →
 * emptyDirLimitEviction), the part of the eviction manager k8ts has: every monitoring interval
 * (10 s) the emptyDir volumes with a sizeLimit of the node's running pods are measured as du
 * measures them (the blocks of everything under the volume's directory, hard links once), and a
 * pod whose volume uses more than its limit is evicted with upstream's message
 * `Usage of EmptyDir volume "NAME" exceeds the limit "LIMIT". `. Static and mirror pods are
 * critical pods: never evicted. Eviction under node pressure is not built (the conditions are).
 *
 *   directoryUsageBytes(dir: string): Promise<number>
 *   emptyDirLimitViolation(pod, usedBytes): Promise<string | undefined>
 *   runLocalStorageEviction(options: LocalStorageEvictionOptions, signal: AbortSignal): void
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { asObj, objs, str } from '../../api/core/access.js';
import type { KubeObject } from '../../machinery/object.js';
import { canonicalQuantity } from '../../machinery/quantity.js';
import type { Clock } from '../clock.js';
import { every } from '../gc/node-gc.js';
import { isMirrorPod, isStaticPod } from '../static-pods/static-pods.js';
import { sizeLimitBytes } from '../volumes/empty-dir.js';

/** upstream's evictionMonitoringPeriod. */
export const EVICTION_MONITORING_PERIOD_MS = 10_000;

/** The disk usage of a directory tree, as `du -s` counts it (allocated blocks; a file with several links once). */
export async function directoryUsageBytes(dir: string): Promise<number> {
  const seen = new Set<string>();
  const walk = async (path: string): Promise<number> => {
    const st = await lstat(path).catch(() => undefined);
    if (!st) return 0;
    const id = `${st.dev}:${st.ino}`;
    if (seen.has(id)) return 0;
    seen.add(id);
    let total = st.blocks * 512;
    if (st.isDirectory()) {
      for (const entry of await readdir(path).catch(() => [] as string[])) total += await walk(join(path, entry));
    }
    return total;
  };
  return walk(dir);
}

/**
 * The eviction message of the first emptyDir of `pod` whose usage (`usedBytes(name)`, undefined
 * when unknown) exceeds its sizeLimit; undefined when none does.
 */
export async function emptyDirLimitViolation(
  pod: KubeObject,
  usedBytes: (volumeName: string) => Promise<number | undefined>,
): Promise<string | undefined> {
  for (const volume of objs(asObj(pod['spec'])?.['volumes'])) {
    const source = asObj(volume['emptyDir']);
    const limit = source && sizeLimitBytes(source);
    if (!source || limit === undefined || limit <= 0) continue;
    const used = await usedBytes(str(volume['name']));
    if (used !== undefined && used > limit) {
      return `Usage of EmptyDir volume "${str(volume['name'])}" exceeds the limit "${canonicalQuantity(String(source['sizeLimit']))}". `;
    }
  }
  return undefined;
}

export interface LocalStorageEvictionOptions {
  /** The node's pods from the API (those finished or being deleted are skipped here). */
  pods: () => KubeObject[];
  /** The directory of a pod's emptyDir volume. */
  emptyDirPath: (uid: string, volumeName: string) => string;
  evict: (pod: KubeObject, message: string) => void;
  clock: Clock;
  /** Default EVICTION_MONITORING_PERIOD_MS. */
  periodMs?: number;
  onError: (message: string) => void;
}

const running = (pod: KubeObject): boolean =>
  !pod.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(str(asObj(pod['status'])?.['phase']));

export function runLocalStorageEviction(options: LocalStorageEvictionOptions, signal: AbortSignal): void {
  const check = async (): Promise<void> => {
    for (const pod of options.pods().filter(running)) {
      if (isMirrorPod(pod) || isStaticPod(pod)) continue;
      const uid = pod.metadata.uid ?? '';
      const message = await emptyDirLimitViolation(pod, (name) => directoryUsageBytes(options.emptyDirPath(uid, name)));
      if (message) options.evict(pod, message);
    }
  };
  every(
    options.clock,
    options.periodMs ?? EVICTION_MONITORING_PERIOD_MS,
    () => check().catch((err: Error) => options.onError(`local storage eviction: ${err.message}`)),
    signal,
  );
}
