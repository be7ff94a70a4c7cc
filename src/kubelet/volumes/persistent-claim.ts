/**
 * persistentVolumeClaim volumes (the desired-state populator's getPVCExtractPV, then the PV's own
 * plugin): the claim must exist and be Bound to a PV, whose hostPath or local path is what the
 * containers mount (an nfs PV is mounted on the volume's directory); readOnly on the claim volume is honoured.
 */
import { asObj, str } from '../../api/core/access.js';
import type { HostPathType, MountedVolume, VolumePlugin } from './interface.js';
import { VolumeSetUpError } from './interface.js';
import { mountNfsSource } from './nfs.js';

export const persistentClaimPlugin: VolumePlugin = {
  name: 'kubernetes.io/persistent-claim',
  canSupport: (volume) => asObj(volume['persistentVolumeClaim']) !== undefined,
  async setUp(ctx, volume, dir): Promise<MountedVolume> {
    const source = asObj(volume['persistentVolumeClaim']) ?? {};
    const namespace = ctx.pod.metadata.namespace ?? '';
    const claimName = str(source['claimName']);
    const fail = (why: string): never => {
      throw new VolumeSetUpError(`error processing PVC ${namespace}/${claimName}: ${why}`, { processing: true });
    };
    const pvc = await ctx.objects.persistentVolumeClaim(namespace, claimName);
    if (!pvc) return fail(`failed to fetch PVC from API server: persistentvolumeclaims "${claimName}" not found`);
    if (pvc.metadata.deletionTimestamp) return fail('PVC is being deleted');
    const phase = str(asObj(pvc['status'])?.['phase']);
    const volumeName = str(asObj(pvc['spec'])?.['volumeName']);
    if (phase !== 'Bound' || volumeName === '') {
      return fail(
        `PVC ${namespace}/${claimName} has non-bound phase (${JSON.stringify(phase)}) or empty pvc.Spec.VolumeName (${JSON.stringify(volumeName)})`,
      );
    }
    const pv = await ctx.objects.persistentVolume(volumeName);
    if (!pv) return fail(`failed to fetch PV ${volumeName} from API server: persistentvolumes "${volumeName}" not found`);
    const spec = asObj(pv['spec']) ?? {};
    const hostPath = asObj(spec['hostPath']);
    const local = asObj(spec['local']);
    const readOnly = source['readOnly'] === true;
    if (hostPath) {
      const path = str(hostPath['path']);
      await ctx.fs.checkHostPath(path, str(hostPath['type']) as HostPathType);
      return { hostPath: path, readOnly, refreshes: false };
    }
    if (local) {
      const path = str(local['path']);
      await ctx.fs.checkHostPath(path, 'Directory');
      return { hostPath: path, readOnly, refreshes: false };
    }
    const nfs = asObj(spec['nfs']);
    if (nfs) {
      const options = Array.isArray(spec['mountOptions']) ? spec['mountOptions'].map(String) : undefined;
      return mountNfsSource(ctx, nfs, dir, readOnly || nfs['readOnly'] === true, options);
    }
    return fail(`PV ${volumeName} has no volume source this node can mount (hostPath, local or nfs)`);
  },
};
