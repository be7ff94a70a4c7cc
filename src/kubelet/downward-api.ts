/**
 * The downward API values of env (and volumes): a pod field by fieldPath
 * (kubelet_pods.go podFieldSelectorRuntimeValue, fieldpath.ExtractFieldPathAsString) and a
 * container resource by resourceFieldRef with its divisor (resource.ExtractContainerResourceValue),
 * limits defaulting to the node's allocatable as upstream's defaultPodLimitsForDownwardAPI does.
 */
import { asObj, str, strMap, type Obj } from '../api/core/access.js';
import type { KubeObject } from '../machinery/object.js';
import { parseQuantity, type Quantity } from '../machinery/quantity.js';

/** What the kubelet knows beyond the pod object: its node's IPs and the pod's IPs. */
export interface DownwardContext {
  hostIPs: string[];
  podIPs: string[];
}

/** The node's allocatable cpu and memory (quantities), the default of unset limits. */
export interface NodeAllocatable {
  cpu: string;
  memory: string;
}

/** upstream formatMap: `key="value"` lines sorted by key, with Go's %q quoting. */
function formatMap(m: Record<string, string>): string {
  return Object.keys(m)
    .sort()
    .map((k) => `${k}=${JSON.stringify(m[k])}`)
    .join('\n');
}

/** `metadata.labels['x']` → ['labels', 'x']. */
function subscript(path: string): [string, string] | undefined {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  return m ? [m[1] as string, m[2] as string] : undefined;
}

export function podFieldValue(pod: KubeObject, fieldPath: string, ctx: DownwardContext): string {
  const spec = asObj(pod['spec']) ?? {};
  const sub = subscript(fieldPath);
  if (sub) return strMap(pod.metadata[sub[0] as 'labels' | 'annotations'])[sub[1]] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
      return formatMap(strMap(pod.metadata.labels));
    case 'metadata.annotations':
      return formatMap(strMap(pod.metadata.annotations));
    case 'spec.nodeName':
      return str(spec['nodeName']);
    case 'spec.serviceAccountName':
      return str(spec['serviceAccountName']);
    case 'status.hostIP':
      return ctx.hostIPs[0] ?? '';
    case 'status.hostIPs':
      return ctx.hostIPs.join(',');
    case 'status.podIP':
      return ctx.podIPs[0] ?? '';
    case 'status.podIPs':
      return ctx.podIPs.join(',');
  }
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

function quantity(v: unknown): Quantity | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return parseQuantity(String(v));
}

/** ceil(a / b) for non-negative bigints. */
function ceilDiv(a: bigint, b: bigint): bigint {
  return b === 0n ? 0n : (a + b - 1n) / b;
}

/**
 * The value of `resource` (limits.cpu, requests.memory, …) of the container, divided by the
 * divisor (default 1) and rounded up; cpu compares milli-units, the rest whole units.
 */
export function containerResourceValue(container: Obj, ref: Obj, allocatable: NodeAllocatable | undefined): string {
  const resource = str(ref['resource']);
  const divisor = quantity(ref['divisor']);
  const [kind, name] = resource.split('.', 2) as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || !name) throw new Error(`unsupported container resource : ${resource}`);
  const resources = asObj(container['resources']) ?? {};
  let value = quantity(asObj(resources[kind])?.[name]);
  if (!value && kind === 'limits' && (name === 'cpu' || name === 'memory') && allocatable) value = quantity(allocatable[name]);
  const amount = value ?? parseQuantity('0');
  const by = divisor && !divisor.isZero() ? divisor : parseQuantity('1');
  if (name === 'cpu') return String(ceilDiv(amount.milliValueBig(), by.milliValueBig()));
  if (name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-')) {
    return String(ceilDiv(amount.valueBig(), by.valueBig()));
  }
  throw new Error(`unsupported container resource : ${resource}`);
}
