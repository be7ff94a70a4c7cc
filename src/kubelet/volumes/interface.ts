/**
 * The contracts of the kubelet's volume manager (pkg/volume: VolumePlugin, Mounter, VolumeHost,
 * AtomicWriter's FileProjection): one plugin per volume source, each setting a pod's volume up
 * under DATA/kubelet/pods/<uid>/volumes/kubernetes.io~<plugin>/<name> through a
 * VolumeFilesystem — the disk on a real node, nothing at all on simulated nodes.
 */
import type { Obj } from '../../api/core/access.js';
import type { KubeObject } from '../../machinery/object.js';
import type { PodObjects } from '../pod-objects.js';

/** One file of a volume's payload (atomic_writer.go FileProjection). */
export interface FileProjection {
  data: Uint8Array;
  /** Permission bits, e.g. 0o644. */
  mode: number;
}

/** Relative path (inside the volume) → file. */
export type Payload = Map<string, FileProjection>;

/** The hostPath volume types (core/v1 HostPathType); "" checks nothing. */
export type HostPathType = '' | 'DirectoryOrCreate' | 'Directory' | 'FileOrCreate' | 'File' | 'Socket' | 'CharDevice' | 'BlockDevice';

/** What a volume manager does to the node's filesystem; one real and one simulated implementation. */
export interface VolumeFilesystem {
  /** Creates the directory (and parents) if missing and sets its mode; resolves whether it was created. */
  makeDir(path: string, mode: number): Promise<boolean>;
  /** Mounts a tmpfs on `path` (created if missing) unless one is mounted there; resolves whether it mounted one. */
  mountTmpfs(path: string, sizeBytes?: number): Promise<boolean>;
  /** Mounts the NFS export `server:path` on `path` (created if missing) unless something is mounted there. */
  mountNfs(path: string, source: { server: string; path: string; readOnly: boolean; options?: readonly string[] }): Promise<void>;
  /**
   * SetVolumeOwnership for a pod's fsGroup: everything below `dir` gets the group, and group
   * read (and write unless `readOnly`) permission; directories also setgid and group search.
   */
  setOwnership(dir: string, fsGroup: number, readOnly: boolean): Promise<void>;
  /** Writes the payload into `dir` atomically (AtomicWriter.Write); resolves whether anything changed. */
  writePayload(dir: string, payload: Payload): Promise<boolean>;
  /** Checks (and for the *OrCreate types creates) a hostPath; throws upstream's type-check error. */
  checkHostPath(path: string, type: HostPathType): Promise<void>;
  /**
   * The host path of `subPath` inside the volume at `volumePath`, created as a directory when
   * missing (with the volume's mode); throws when it resolves (through symlinks) outside the volume.
   */
  resolveSubPath(volumePath: string, subPath: string): Promise<string>;
  /** Unmounts everything under `dir` and removes it. */
  removeAll(dir: string): Promise<void>;
  /** The entries of a directory; [] when it does not exist. */
  list(dir: string): Promise<string[]>;
}

/** What a plugin's SetUp may use. */
export interface VolumeContext {
  pod: KubeObject;
  objects: PodObjects;
  fs: VolumeFilesystem;
  /** Epoch milliseconds. */
  now: number;
  /** The node's allocatable resources (cpu, memory, ephemeral-storage), the default of unset limits. */
  allocatable: Record<string, string>;
  /** Tokens already issued for this pod, by key, so a SetUp refreshes them only near expiry. */
  tokens: TokenCache;
  /** The pod's securityContext.fsGroup: the group that owns its volumes' files. */
  fsGroup?: number;
}

export interface CachedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

export type TokenCache = Map<string, CachedToken>;

/** A volume as SetUp left it: the host path containers bind, and when it wants setting up again. */
export interface MountedVolume {
  hostPath: string;
  /** API data volumes (configMap, secret, downwardAPI, projected) are always mounted read-only. */
  readOnly: boolean;
  /** Whether the contents follow API objects (then the kubelet resyncs the pod periodically). */
  refreshes: boolean;
  /** Epoch ms by which SetUp must run again regardless (a projected token at 80 % of its life). */
  refreshBy?: number;
}

/** A volume plugin (pkg/volume VolumePlugin + Mounter.SetUp). */
export interface VolumePlugin {
  /** Upstream's plugin name, e.g. kubernetes.io/empty-dir; its directory is the name with / as ~. */
  readonly name: string;
  /** Whether the pod's volume (spec.volumes[i]) is this plugin's. */
  canSupport(volume: Obj): boolean;
  /** Sets the volume up in `dir` (its directory under the pod; idempotent, run on every pod sync). */
  setUp(ctx: VolumeContext, volume: Obj, dir: string): Promise<MountedVolume>;
}

/**
 * A failed SetUp: its message goes into the FailedMount event as upstream words it. `processing`:
 * the volume could not even be resolved (the desired-state populator's errors, e.g. an unbound
 * claim), which upstream reports as "failed to process volumes" rather than a SetUp failure.
 */
export class VolumeSetUpError extends Error {
  readonly code = 'VolumeSetUpFailed';
  readonly processing: boolean;
  constructor(message: string, options: { processing?: boolean } = {}) {
    super(message);
    this.name = 'VolumeSetUpError';
    this.processing = options.processing === true;
  }
}
