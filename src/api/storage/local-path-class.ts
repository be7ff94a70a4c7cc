/**
 * The StorageClass k8ts installs at bootstrap, as k3s does: `local-path (default)`, whose
 * provisioner k8ts.io/local-path (each node's agent, src/kubelet/local-path/) makes a directory
 * per claim on the node the claim's first pod lands on.
 */
import type { StorageClass } from './volume-helpers.js';
import { ANN_DEFAULT_CLASS } from './volume-helpers.js';

export const LOCAL_PATH_PROVISIONER = 'k8ts.io/local-path';
export const LOCAL_PATH_CLASS_NAME = 'local-path';

export const LOCAL_PATH_STORAGE_CLASS: StorageClass = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: LOCAL_PATH_CLASS_NAME, annotations: { [ANN_DEFAULT_CLASS]: 'true' } },
  provisioner: LOCAL_PATH_PROVISIONER,
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
  allowVolumeExpansion: true,
};
