/**
 * The k8ts.io/nfs provisioner (seed 000's nfs-provisioner, as nfs-subdir-external-provisioner):
 * a StorageClass names an export (parameters `server` and `path`); each claim gets the
 * sub-directory `<namespace>-<claim>-<pv name>` on it and a PV with an `nfs` source there, which
 * the kubelet mounts with `mount -t nfs`. On reclaim Delete the directory is renamed
 * `archived-<dir>` (parameter `archiveOnDelete: "false"` removes it instead). The export is
 * reached through NfsExports: mounted for the moment on a real machine (mounted-exports.ts).
 */
import { posix } from 'node:path';
import type { PersistentVolume, StorageClass } from '../../../api/storage/volume-helpers.js';
import type { ProvisionedVolumeSource, ProvisionOptions, Provisioner } from '../provisioner/interface.js';

export const NFS_PROVISIONER = 'k8ts.io/nfs';

/** What the provisioner does on an export: directories at paths relative to its root. */
export interface NfsExports {
  /** Runs `fn` with a local directory that is the export `server:path`'s root. */
  withExport<T>(server: string, path: string, fn: (root: string) => Promise<T>): Promise<T>;
  makeDir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  removeAll(path: string): Promise<void>;
}

export class NfsProvisioner implements Provisioner {
  readonly name = NFS_PROVISIONER;
  readonly #exports: NfsExports;

  constructor(options: { exports: NfsExports }) {
    this.#exports = options.exports;
  }

  async provision(options: ProvisionOptions): Promise<ProvisionedVolumeSource> {
    const params = options.storageClass.parameters ?? {};
    const server = params['server'] ?? '';
    const root = params['path'] ?? '';
    if (!server || !root.startsWith('/')) throw new Error('parameters "server" and an absolute "path" are required');
    const { namespace = '', name = '' } = options.claim.metadata;
    const dir = `${namespace}-${name}-${options.volumeName}`;
    await this.#exports.withExport(server, root, (local) => this.#exports.makeDir(posix.join(local, dir)));
    return { nfs: { server, path: posix.join(root, dir) } };
  }

  /** The PV's own nfs source tells where it is: a directory directly under the export's root. */
  async delete(volume: PersistentVolume, storageClass?: StorageClass): Promise<void> {
    const nfs = volume.spec?.nfs;
    if (!nfs) return;
    const root = posix.dirname(nfs.path);
    const dir = posix.basename(nfs.path);
    const archive = storageClass?.parameters?.['archiveOnDelete'] !== 'false';
    await this.#exports.withExport(nfs.server, root, async (local) => {
      if (archive) await this.#exports.rename(posix.join(local, dir), posix.join(local, `archived-${dir}`));
      else await this.#exports.removeAll(posix.join(local, dir));
    });
  }
}
