/**
 * The contract of a dynamic provisioner (sig-storage-lib-external-provisioner's Provisioner):
 * the provision controller (provision-controller.ts) watches claims handed to `name` by the PV
 * controller and Released volumes made by it; a Provisioner only makes and removes the storage.
 */
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../../api/storage/volume-helpers.js';

export interface ProvisionOptions {
  /** The PV's name, pvc-<claim uid>. */
  volumeName: string;
  claim: PersistentVolumeClaim;
  storageClass: StorageClass;
  /** The node the scheduler chose (volume.kubernetes.io/selected-node), for WaitForFirstConsumer classes. */
  selectedNode?: string;
}

/** What a provisioner puts in the PV's spec: its volume source and where it can be used. */
export type ProvisionedVolumeSource = Pick<NonNullable<PersistentVolume['spec']>, 'hostPath' | 'local' | 'nfs' | 'nodeAffinity'>;

export interface Provisioner {
  /** The provisioner name StorageClasses name, e.g. k8ts.io/local-path. */
  readonly name: string;
  /**
   * Node deployment (external-provisioner --node-deployment): whether this instance provisions
   * for that node (claims whose selected node it is not are left to another instance).
   */
  servesNode?(nodeName: string): boolean;
  /** Whether this instance can delete the volume (a node-local one: only its node's instance). */
  servesVolume?(volume: PersistentVolume): boolean;
  /** Makes the storage; throws with a message for the ProvisioningFailed event. */
  provision(options: ProvisionOptions): Promise<ProvisionedVolumeSource>;
  /** Removes the storage of a Released volume whose policy is Delete (its class, if it still exists). */
  delete(volume: PersistentVolume, storageClass?: StorageClass): Promise<void>;
}
