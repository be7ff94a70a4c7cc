/**
 * The k8ts.io/local-path provisioner (as k3s' local-path-provisioner): a claim's volume is a
 * directory `<storage dir>/pvc-<uid>_<namespace>_<name>` on the node its first pod was scheduled
 * to, served as a hostPath PV (DirectoryOrCreate) with node affinity to that node; reclaim
 * Delete removes the directory.
 *
 * Only a node can touch its own disk, so each agent runs this provisioner for the nodes it
 * hosts (external-provisioner's node deployment): a claim whose selected node is not one of
 * them, or a volume on another node, is left to that node's agent. Simulated nodes provision
 * through their simulated filesystem: the PV is real, no directory is.
 */
import { join } from 'node:path';
import { LOCAL_PATH_PROVISIONER } from '../../api/storage/local-path-class.js';
import type { PersistentVolume } from '../../api/storage/volume-helpers.js';
import type { ProvisionedVolumeSource, ProvisionOptions, Provisioner } from '../../controllers/volume/provisioner/interface.js';
import type { VolumeFilesystem } from '../volumes/interface.js';

/** The disk of one node this agent hosts. */
export interface LocalPathNode {
  /** Where the node's volumes go: DATA/storage on a real node. */
  storageDir: string;
  fs: VolumeFilesystem;
}

const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** The node a local-path volume lives on, from its node affinity. */
export function volumeNode(volume: PersistentVolume): string | undefined {
  for (const term of volume.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? []) {
    const req = term.matchExpressions?.find((r) => r.key === HOSTNAME_LABEL && r.operator === 'In');
    if (req?.values?.[0]) return req.values[0];
  }
  return undefined;
}

export class LocalPathProvisioner implements Provisioner {
  readonly name = LOCAL_PATH_PROVISIONER;
  readonly #nodes: ReadonlyMap<string, LocalPathNode>;

  constructor(options: { nodes: ReadonlyMap<string, LocalPathNode> }) {
    this.#nodes = options.nodes;
  }

  servesNode(nodeName: string): boolean {
    return this.#nodes.has(nodeName);
  }

  servesVolume(volume: PersistentVolume): boolean {
    return this.#nodes.has(volumeNode(volume) ?? '');
  }

  async provision(options: ProvisionOptions): Promise<ProvisionedVolumeSource> {
    const nodeName = options.selectedNode;
    if (!nodeName) throw new Error('configuration error, no node was specified');
    const node = this.#nodes.get(nodeName);
    if (!node) throw new Error(`node ${nodeName} is not served by this agent`);
    const { namespace = '', name = '' } = options.claim.metadata;
    const path = join(node.storageDir, `${options.volumeName}_${namespace}_${name}`);
    await node.fs.makeDir(path, 0o777);
    return {
      hostPath: { path, type: 'DirectoryOrCreate' },
      nodeAffinity: {
        required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'In', values: [nodeName] }] }] },
      },
    };
  }

  async delete(volume: PersistentVolume): Promise<void> {
    const node = this.#nodes.get(volumeNode(volume) ?? '');
    const path = volume.spec?.hostPath?.path ?? volume.spec?.local?.path ?? '';
    if (!node || !path) return;
    // only what this provisioner made: a directory directly under the node's storage dir
    if (join(node.storageDir, path.slice(path.lastIndexOf('/') + 1)) !== path) throw new Error(`${path} is not under ${node.storageDir}`);
    await node.fs.removeAll(path);
  }
}
