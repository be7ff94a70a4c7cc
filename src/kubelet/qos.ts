/**
 * A container's cgroup resources and OOM score from its pod's QoS class (kuberuntime
 * calculateLinuxResources, cm.MilliCPUToShares, milliCPUToQuota, qos.GetContainerOOMScoreAdjust):
 * cpu shares from the cpu request (the limit when no request is given), a CFS quota over a
 * 100 ms period from the cpu limit, the memory limit in bytes, and oom_score_adj -997 for
 * Guaranteed (and node-critical) pods, 1000 for BestEffort, and between for Burstable by the
 * share of the node's memory the container requests.
 */
import { asObj, str, type Obj } from '../api/core/access.js';
import { type PodQOSClass, podQOSClass } from '../api/core/pod-qos.js';
import type { KubeObject } from '../machinery/object.js';
import { parseQuantity } from '../machinery/quantity.js';
import type { LinuxContainerResources } from './runtime/interface.js';

export const MIN_SHARES = 2;
export const MAX_SHARES = 262144;
const SHARES_PER_CPU = 1024;
const MILLI_CPU_TO_CPU = 1000;
/** The CFS period the kubelet uses (100 ms, in µs). */
export const QUOTA_PERIOD = 100000;
const MIN_QUOTA_PERIOD = 1000;

export const GUARANTEED_OOM_SCORE_ADJ = -997;
export const BEST_EFFORT_OOM_SCORE_ADJ = 1000;

export function milliCPUToShares(milliCPU: number): number {
  if (milliCPU === 0) return MIN_SHARES;
  const shares = Math.floor((milliCPU * SHARES_PER_CPU) / MILLI_CPU_TO_CPU);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

/** The CFS quota for a cpu limit over `period` µs; 0 (none) without a limit, at least 1 ms. */
export function milliCPUToQuota(milliCPU: number, period: number): number {
  if (milliCPU === 0) return 0;
  return Math.max(MIN_QUOTA_PERIOD, Math.floor((milliCPU * period) / MILLI_CPU_TO_CPU));
}

/** upstream GetPodQOS: status.qosClass as the apiserver set it, computed from the spec otherwise. */
export function podQOS(pod: KubeObject): PodQOSClass {
  const set = str(asObj(pod['status'])?.['qosClass']);
  if (set === 'Guaranteed' || set === 'Burstable' || set === 'BestEffort') return set;
  return podQOSClass(asObj(pod['spec']) ?? {});
}

function resourceOf(container: Obj, kind: 'requests' | 'limits', name: 'cpu' | 'memory'): ReturnType<typeof parseQuantity> | undefined {
  const v = asObj(asObj(container['resources'])?.[kind])?.[name];
  if (v === undefined || v === null || v === '') return undefined;
  return parseQuantity(String(v));
}

/** upstream IsNodeCriticalPod: the system-node-critical priority class. */
function isNodeCritical(pod: KubeObject): boolean {
  return str(asObj(pod['spec'])?.['priorityClassName']) === 'system-node-critical';
}

export function containerOOMScoreAdjust(pod: KubeObject, container: Obj, memoryCapacity: number): number {
  if (isNodeCritical(pod)) return GUARANTEED_OOM_SCORE_ADJ;
  const qos = podQOS(pod);
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BEST_EFFORT_OOM_SCORE_ADJ;
  const request = resourceOf(container, 'requests', 'memory')?.valueBig() ?? 0n;
  const capacity = BigInt(Math.max(1, Math.floor(memoryCapacity)));
  const adj = Number(1000n - (1000n * request) / capacity);
  if (adj < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adj === BEST_EFFORT_OOM_SCORE_ADJ) return adj - 1;
  return adj;
}

/** The container's LinuxContainerResources; `memoryCapacity` is the node's memory in bytes. */
export function linuxContainerResources(pod: KubeObject, container: Obj, memoryCapacity: number): LinuxContainerResources {
  const cpuRequest = resourceOf(container, 'requests', 'cpu');
  const cpuLimit = resourceOf(container, 'limits', 'cpu');
  const memoryLimit = resourceOf(container, 'limits', 'memory');
  const shareFrom = !cpuRequest && cpuLimit && !cpuLimit.isZero() ? cpuLimit : cpuRequest;
  const resources: LinuxContainerResources = {
    cpuShares: milliCPUToShares(shareFrom?.milliValue() ?? 0),
    cpuPeriod: QUOTA_PERIOD,
    cpuQuota: milliCPUToQuota(cpuLimit?.milliValue() ?? 0, QUOTA_PERIOD),
    oomScoreAdj: containerOOMScoreAdjust(pod, container, memoryCapacity),
  };
  const memory = memoryLimit?.value() ?? 0;
  if (memory !== 0) resources.memoryLimitInBytes = memory;
  return resources;
}
