/**
 * A container's mounts from its volumeMounts (kubelet_pods.go makeMounts): the set-up volume's
 * host path, or a subPath inside it (subPathExpr expanded from the container's environment);
 * subPaths must be relative, without `..`, and resolve inside the volume. Failures are the
 * runtime's InvalidArgument, so the container waits in CreateContainerConfigError with the
 * kubelet's `Error: …` event, as upstream's are.
 */
import { asObj, objs, str, type Obj } from '../../api/core/access.js';
import type { KubeObject } from '../../machinery/object.js';
import { type DownwardContext, podFieldValue } from '../downward-api.js';
import { type Mount, RuntimeError } from '../runtime/interface.js';
import type { MountedVolume, VolumeFilesystem } from './interface.js';

function configError(message: string): RuntimeError {
  return new RuntimeError('InvalidArgument', message);
}

/** The IPs the pod's status reports (`status.hostIPs` and `status.podIPs`, else the single `hostIP` and `podIP`). */
function statusIPs(pod: KubeObject): DownwardContext {
  const status = asObj(pod['status']) ?? {};
  const ips = (list: string, single: string): string[] => {
    const all = objs(status[list])
      .map((e) => str(e['ip']))
      .filter((ip) => ip !== '');
    return all.length > 0 ? all : [str(status[single])];
  };
  return { hostIPs: ips('hostIPs', 'hostIP'), podIPs: ips('podIPs', 'podIP') };
}

/** The container's env vars a subPathExpr may name: literal values and fieldRefs. */
function containerEnv(pod: KubeObject, c: Obj): Map<string, string> {
  const env = new Map<string, string>();
  const ips = statusIPs(pod);
  for (const e of objs(c['env'])) {
    const fieldRef = asObj(asObj(e['valueFrom'])?.['fieldRef']);
    if (typeof e['value'] === 'string') env.set(str(e['name']), e['value']);
    else if (fieldRef) env.set(str(e['name']), podFieldValue(pod, str(fieldRef['fieldPath']), ips));
  }
  return env;
}

/** ExpandContainerVolumeMounts: `$(VAR)` from the env (`$$` is a literal `$`); missing or empty values fail. */
export function expandSubPathExpr(expr: string, env: Map<string, string>): string {
  const missing = new Set<string>();
  const out = expr.replace(/\$\$|\$\(([^)]*)\)/g, (_whole, name: string | undefined) => {
    if (name === undefined) return '$';
    const value = env.get(name);
    if (!value) missing.add(name);
    return value ?? '';
  });
  if (missing.size > 0) throw configError(`missing value for ${[...missing].sort().join(', ')}`);
  return out;
}

/** makeMounts for one container: one runtime Mount per volumeMount. */
export async function makeMounts(
  pod: KubeObject,
  c: Obj,
  volumes: ReadonlyMap<string, MountedVolume>,
  fs: VolumeFilesystem,
): Promise<Mount[]> {
  const mounts: Mount[] = [];
  const name = str(c['name']);
  let env: Map<string, string> | undefined;
  for (const vm of objs(c['volumeMounts'])) {
    const volumeName = str(vm['name']);
    const volume = volumes.get(volumeName);
    if (!volume) throw configError(`cannot find volume "${volumeName}" to mount into container "${name}"`);
    let subPath = str(vm['subPath']);
    if (str(vm['subPathExpr'])) {
      env ??= containerEnv(pod, c);
      subPath = expandSubPathExpr(str(vm['subPathExpr']), env);
    }
    let hostPath = volume.hostPath;
    if (subPath !== '') {
      if (subPath.startsWith('/')) throw configError(`error SubPath \`${subPath}\` must not be an absolute path`);
      if (subPath.split('/').includes('..')) throw configError(`unable to provision SubPath \`${subPath}\`: must not contain '..'`);
      try {
        hostPath = await fs.resolveSubPath(volume.hostPath, subPath);
      } catch {
        // the details would tell the user about the host's filesystem; upstream logs them only
        throw configError(`failed to prepare subPath for volumeMount "${volumeName}" of container "${name}"`);
      }
    }
    mounts.push({ containerPath: str(vm['mountPath']), hostPath, readonly: vm['readOnly'] === true || volume.readOnly });
  }
  return mounts;
}
