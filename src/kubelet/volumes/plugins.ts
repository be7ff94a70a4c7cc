/** The volume plugins a kubelet knows, by upstream name (the ProbeVolumePlugins list). */
import type { Obj } from '../../api/core/access.js';
import { configMapPlugin } from './configmap.js';
import { downwardAPIPlugin } from './downward-api.js';
import { emptyDirPlugin } from './empty-dir.js';
import { hostPathPlugin } from './host-path.js';
import { nfsPlugin } from './nfs.js';
import type { VolumePlugin } from './interface.js';
import { persistentClaimPlugin } from './persistent-claim.js';
import { projectedPlugin } from './projected.js';
import { secretPlugin } from './secret.js';

export const VOLUME_PLUGINS: readonly VolumePlugin[] = [
  emptyDirPlugin,
  hostPathPlugin,
  configMapPlugin,
  secretPlugin,
  downwardAPIPlugin,
  projectedPlugin,
  persistentClaimPlugin,
  nfsPlugin,
];

/** The plugin of a pod volume, undefined for sources this node does not support. */
export function pluginFor(volume: Obj): VolumePlugin | undefined {
  return VOLUME_PLUGINS.find((p) => p.canSupport(volume));
}

/** The directory of a plugin's volumes under a pod: kubernetes.io/empty-dir → kubernetes.io~empty-dir. */
export function pluginDirName(plugin: VolumePlugin): string {
  return plugin.name.replaceAll('/', '~');
}
