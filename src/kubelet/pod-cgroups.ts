/**
 * Pod cgroups in the QoS hierarchy (pkg/kubelet/cm: qos_container_manager, pod_container_manager,
 * helpers_linux ResourceConfigForPod), with the cgroupfs driver k8ts' containerd uses:
 * `<root>/kubepods/pod<uid>` for Guaranteed pods, `<root>/kubepods/burstable/pod<uid>` and
 * `<root>/kubepods/besteffort/pod<uid>`, handed to the runtime as the sandbox's cgroup parent
 * (runc puts each container of the pod below it). The kubelet makes the pod's cgroup before the
 * sandbox with the pod's limits — cpu shares from the summed cpu requests, a CFS quota and a
 * memory limit when every container has one — and removes it once the pod's containers are gone.
 * cgroup v1 (one hierarchy per controller) and v2 (the unified hierarchy) are both handled.
 *
 *   podCgroupName(pod, root): string
 *   ensurePodCgroup(pod, root, mount?): Promise<string>
 *   removePodCgroup(uid, root, mount?): Promise<void>
 *   removeCgroupTree(root, mount?): Promise<string[]>   // what could not be removed
 *   removeNodeCgroups(dataDir, mount?): Promise<string[]>  // once the node's containers are gone
 */
import { createHash } from 'node:crypto';
import { access, mkdir, readdir, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { asObj, objs, type Obj } from '../api/core/access.js';
import type { KubeObject } from '../machinery/object.js';
import { parseQuantity } from '../machinery/quantity.js';
import { milliCPUToQuota, milliCPUToShares, podQOS, QUOTA_PERIOD } from './qos.js';

export const CGROUP_MOUNT = '/sys/fs/cgroup';
const QOS_DIRS = { Guaranteed: '', Burstable: 'burstable', BestEffort: 'besteffort' } as const;
/** The v1 hierarchies the kubelet writes pod limits to (runc makes the pod's directory in the others). */
const V1_LIMITED = ['cpu', 'memory'];

/** A cgroup root of its own per node data dir, so nodes sharing a machine never share cgroups. */
export function nodeCgroupRoot(dataDir: string): string {
  return `/k8ts/${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`;
}

export function podCgroupName(pod: KubeObject, root: string): string {
  const qos = QOS_DIRS[podQOS(pod)];
  return `${root.replace(/\/+$/, '')}/kubepods${qos ? `/${qos}` : ''}/pod${pod.metadata.uid ?? ''}`;
}

async function isUnified(mount: string): Promise<boolean> {
  return access(join(mount, 'cgroup.controllers')).then(
    () => true,
    () => false,
  );
}

/** The v1 hierarchies mounted here (directories, not symlinks such as cpu,cpuacct's aliases). */
async function hierarchies(mount: string): Promise<string[]> {
  if (await isUnified(mount)) return [mount];
  const entries = await readdir(mount, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => join(mount, e.name));
}

function quantityOf(c: Obj, kind: 'requests' | 'limits', name: 'cpu' | 'memory'): bigint | undefined {
  const v = asObj(asObj(c['resources'])?.[kind])?.[name];
  if (v === undefined || v === null || v === '') return undefined;
  const q = parseQuantity(String(v));
  return name === 'cpu' ? q.milliValueBig() : q.valueBig();
}

/**
 * The pod's total (ResourceConfigForPod): the app containers' sum or the largest init
 * container's, whichever is larger; undefined when a container has none of it.
 */
function podTotal(pod: KubeObject, kind: 'requests' | 'limits', name: 'cpu' | 'memory'): bigint | undefined {
  const spec = asObj(pod['spec']) ?? {};
  let sum = 0n;
  for (const c of objs(spec['containers'])) {
    const v = quantityOf(c, kind, name);
    if (v === undefined) {
      if (kind === 'limits') return undefined;
      continue;
    }
    sum += v;
  }
  for (const c of objs(spec['initContainers'])) {
    const v = quantityOf(c, kind, name);
    if (v === undefined) {
      if (kind === 'limits') return undefined;
      continue;
    }
    if (v > sum) sum = v;
  }
  return sum;
}

/** The files to write in the pod's cgroup, by controller (v1) or in the unified hierarchy (v2). */
export function podCgroupLimits(pod: KubeObject, unified: boolean): Record<string, string> {
  const qos = podQOS(pod);
  const cpuRequest = Number(podTotal(pod, 'requests', 'cpu') ?? 0n);
  const cpuLimit = podTotal(pod, 'limits', 'cpu');
  const memoryLimit = podTotal(pod, 'limits', 'memory');
  const shares = qos === 'BestEffort' ? 2 : milliCPUToShares(cpuRequest);
  const quota = cpuLimit === undefined || cpuLimit === 0n ? -1 : milliCPUToQuota(Number(cpuLimit), QUOTA_PERIOD);
  const memory = memoryLimit === undefined || memoryLimit === 0n || qos === 'BestEffort' ? undefined : memoryLimit;
  if (unified) {
    return {
      // the kernel's shares-to-weight conversion (runc's ConvertCPUSharesToCgroupV2Value)
      'cpu.weight': String(1 + Math.floor(((shares - 2) * 9999) / 262142)),
      'cpu.max': `${quota === -1 ? 'max' : quota} ${QUOTA_PERIOD}`,
      ...(memory === undefined ? {} : { 'memory.max': String(memory) }),
    };
  }
  return {
    'cpu/cpu.shares': String(shares),
    'cpu/cpu.cfs_period_us': String(QUOTA_PERIOD),
    'cpu/cpu.cfs_quota_us': String(quota),
    ...(memory === undefined ? {} : { 'memory/memory.limit_in_bytes': String(memory) }),
  };
}

/** Makes the pod's cgroup with its limits (idempotent); returns its name, the sandbox's cgroup parent. */
export async function ensurePodCgroup(pod: KubeObject, root: string, mount = CGROUP_MOUNT): Promise<string> {
  const name = podCgroupName(pod, root);
  const unified = await isUnified(mount);
  const limits = podCgroupLimits(pod, unified);
  if (unified) {
    await mkdir(join(mount, name), { recursive: true });
    for (const [file, value] of Object.entries(limits)) await writeFile(join(mount, name, file), value);
    return name;
  }
  for (const controller of V1_LIMITED) await mkdir(join(mount, controller, name), { recursive: true });
  // the BestEffort tier gets the fewest shares (qos_container_manager)
  if (podQOS(pod) === 'BestEffort') await writeFile(join(mount, 'cpu', root, 'kubepods', 'besteffort', 'cpu.shares'), '2');
  for (const [path, value] of Object.entries(limits)) {
    const [controller = '', file = ''] = path.split('/');
    await writeFile(join(mount, controller, name, file), value);
  }
  return name;
}

/** Removes the pod's cgroup (whatever its QoS class was) from every hierarchy; a busy or missing one is left. */
export async function removePodCgroup(uid: string, root: string, mount = CGROUP_MOUNT): Promise<void> {
  if (!uid) return;
  for (const h of await hierarchies(mount)) {
    for (const qos of Object.values(QOS_DIRS)) {
      await rmdir(join(h, root, 'kubepods', qos, `pod${uid}`)).catch(() => undefined);
    }
  }
}

/** Removes `root` and everything below it, deepest first; returns the directories that stayed (still in use). */
export async function removeCgroupTree(root: string, mount = CGROUP_MOUNT): Promise<string[]> {
  const left: string[] = [];
  const remove = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
    if (!entries) return;
    for (const e of entries) if (e.isDirectory()) await remove(join(dir, e.name));
    await rmdir(dir).catch(() => left.push(dir));
  };
  for (const h of await hierarchies(mount)) await remove(join(h, root));
  return left;
}

/** Removes the node's cgroup root (nodeCgroupRoot) and, when no other node uses it, /k8ts; returns what stayed. */
export async function removeNodeCgroups(dataDir: string, mount = CGROUP_MOUNT): Promise<string[]> {
  const root = nodeCgroupRoot(dataDir);
  const left = await removeCgroupTree(root, mount);
  for (const h of await hierarchies(mount)) await rmdir(join(h, dirname(root))).catch(() => undefined);
  return left;
}
