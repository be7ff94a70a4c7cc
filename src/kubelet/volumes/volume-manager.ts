/**
 * The kubelet's volume manager (pkg/kubelet/volumemanager, reduced to a call per pod sync): sets
 * up every volume of a pod under ROOT/pods/<uid>/volumes/kubernetes.io~<plugin>/<name> before its
 * containers start, says when API-data volumes want setting up again (the resync period, a
 * token's refresh time), tears a pod's directory down (unmounting its tmpfs mounts) when the pod
 * is gone, and removes the directories of pods that no longer exist at start
 * (cleanupOrphanedPodDirs). The filesystem is the disk on a real node, nothing on simulated ones.
 *
 *   new VolumeManager(options: VolumeManagerOptions)
 */
import { join } from 'node:path';
import { asObj, num, objs, str, type Obj } from '../../api/core/access.js';
import type { KubeObject } from '../../machinery/object.js';
import type { Clock } from '../clock.js';
import type { PodObjects } from '../pod-objects.js';
import type { Mount } from '../runtime/interface.js';
import { makeMounts } from './container-mounts.js';
import type { MountedVolume, TokenCache, VolumeFilesystem, VolumePlugin } from './interface.js';
import { pluginDirName, pluginFor } from './plugins.js';

export interface VolumeManagerOptions {
  /** The kubelet's root directory (DATA/kubelet on a real node). */
  rootDir: string;
  fs: VolumeFilesystem;
  objects: PodObjects;
  clock: Clock;
  /** The node's allocatable cpu, memory and ephemeral-storage (resourceFieldRef of unset limits). */
  allocatable?: Record<string, string>;
  /** How often volumes that follow API objects are set up again; undefined: only when the pod syncs anyway. */
  resyncMs?: number;
}

/** What setting a pod's volumes up gave. */
export interface PodVolumes {
  /** By volume name, the ones that are set up. */
  volumes: Map<string, MountedVolume>;
  /** FailedMount event messages, one per volume that failed; the pod's containers must not start. */
  failures: string[];
  /** Whether every volume of the pod is set up (now or by an earlier sync), so its containers may start. */
  ready: boolean;
  /** When the pod should sync again for its volumes (epoch ms): a resync, a token refresh or a retry. */
  resyncAt?: number;
}

const NO_VOLUMES: PodVolumes = { volumes: new Map(), failures: [], ready: true };
const RETRY_INITIAL_MS = 500;
const RETRY_MAX_MS = 122_000;

export class VolumeManager {
  readonly #o: VolumeManagerOptions;
  /** Per pod uid: the volumes set up so far (kept when a later refresh fails), its tokens and consecutive failed syncs. */
  readonly #pods = new Map<string, { mounted: Map<string, MountedVolume>; tokens: TokenCache; failedSyncs: number }>();

  constructor(options: VolumeManagerOptions) {
    this.#o = options;
  }

  /** ROOT/pods/<uid> (getPodDir). */
  podDir(uid: string): string {
    return join(this.#o.rootDir, 'pods', uid);
  }

  /** ROOT/pods/<uid>/volumes/kubernetes.io~<plugin>/<name>: where a pod's volume is set up. */
  volumeDir(uid: string, plugin: VolumePlugin, name: string): string {
    return join(this.podDir(uid), 'volumes', pluginDirName(plugin), name);
  }

  /** Sets up (or refreshes) every volume of the pod; failures are reported, not thrown. */
  async setUpPodVolumes(pod: KubeObject): Promise<PodVolumes> {
    const specVolumes = objs(asObj(pod['spec'])?.['volumes']);
    if (specVolumes.length === 0) return NO_VOLUMES;
    const uid = pod.metadata.uid ?? '';
    const now = this.#o.clock.now();
    let state = this.#pods.get(uid);
    if (!state) this.#pods.set(uid, (state = { mounted: new Map(), tokens: new Map(), failedSyncs: 0 }));
    const fsGroup = num(asObj(asObj(pod['spec'])?.['securityContext'])?.['fsGroup']);
    const ctx = {
      pod,
      objects: this.#o.objects,
      fs: this.#o.fs,
      now,
      allocatable: this.#o.allocatable ?? {},
      tokens: state.tokens,
      ...(fsGroup !== undefined ? { fsGroup } : {}),
    };
    const out: PodVolumes = { volumes: state.mounted, failures: [], ready: false };
    const unprocessed: string[] = [];
    const processingErrors: string[] = [];
    for (const volume of specVolumes) {
      const name = str(volume['name']);
      const plugin = pluginFor(volume);
      if (!plugin) {
        unprocessed.push(name);
        processingErrors.push(`no volume plugin matched for volume "${name}"`);
        continue;
      }
      const dir = this.volumeDir(uid, plugin, name);
      try {
        const mounted = await plugin.setUp(ctx, volume as Obj, dir);
        out.volumes.set(name, mounted);
        const due = [mounted.refreshBy, mounted.refreshes && this.#o.resyncMs !== undefined ? now + this.#o.resyncMs : undefined];
        for (const at of due) if (at !== undefined && (out.resyncAt === undefined || at < out.resyncAt)) out.resyncAt = at;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if ((err as { processing?: boolean }).processing) {
          unprocessed.push(name);
          processingErrors.push(message);
        } else out.failures.push(`MountVolume.SetUp failed for volume "${name}" : ${message}`);
      }
    }
    if (unprocessed.length > 0) {
      const all = specVolumes.map((v) => str(v['name'])).filter((n) => !out.volumes.has(n));
      out.failures.push(
        `Unable to attach or mount volumes: unmounted volumes=[${all.join(' ')}], failed to process volumes=[${unprocessed.join(' ')}]: ${processingErrors.join(', ')}`,
      );
    }
    out.ready = specVolumes.every((v) => out.volumes.has(str(v['name'])));
    if (out.failures.length === 0) state.failedSyncs = 0;
    else {
      // retried with exponential back-off, as the operation executor does (500 ms doubling to 2 m 2 s)
      const retryAt = now + Math.min(RETRY_INITIAL_MS * 2 ** state.failedSyncs++, RETRY_MAX_MS);
      if (out.resyncAt === undefined || retryAt < out.resyncAt) out.resyncAt = retryAt;
    }
    return out;
  }

  /** The runtime mounts of one container over the pod's set-up volumes. */
  containerMounts(pod: KubeObject, container: Obj, volumes: ReadonlyMap<string, MountedVolume>): Promise<Mount[]> {
    return makeMounts(pod, container, volumes, this.#o.fs);
  }

  /** Unmounts and removes the pod's directory once its containers are gone; forgets its tokens. */
  async tearDownPod(uid: string): Promise<void> {
    this.#pods.delete(uid);
    if (uid !== '') await this.#o.fs.removeAll(this.podDir(uid));
  }

  /** Removes the directories of pods not in `active` (HandlePodCleanups' cleanupOrphanedPodDirs); returns their uids. */
  async cleanupOrphanedPodDirs(active: ReadonlySet<string>): Promise<string[]> {
    const orphans = (await this.#o.fs.list(join(this.#o.rootDir, 'pods'))).filter((uid) => !active.has(uid));
    for (const uid of orphans) await this.tearDownPod(uid);
    return orphans;
  }
}
