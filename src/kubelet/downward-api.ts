/**
 * The downward API's values, shared by env vars and downwardAPI volumes: a pod field by fieldPath
 * (pkg/fieldpath ExtractFieldPathAsString and FormatMap; env adds the spec and status fields of
 * kubelet_pods.go podFieldSelectorRuntimeValue) and a container resource by resourceFieldRef with
 * its divisor (pkg/api/v1/resource ExtractContainerResourceValue), unset limits defaulting to the
 * node's allocatable as upstream's MergeContainerResourceLimits does.
 */
import { asObj, objs, str, strMap, type Obj } from '../api/core/access.js';
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

/** The allocatable resources that default unset limits (cpu, memory, ephemeral-storage); others are left out. */
export type AllocatableLimits = Readonly<Partial<Record<'cpu' | 'memory' | 'ephemeral-storage', string>>>;

/** FormatMap: `key="value"` lines sorted by key, with Go's %q quoting. */
export function formatMap(m: Record<string, string>): string {
  return Object.keys(m)
    .sort()
    .map((k) => `${k}=${JSON.stringify(m[k])}`)
    .join('\n');
}

const SUBSCRIPT = /^metadata\.(labels|annotations)\['(.+)'\]$/;

/** ExtractFieldPathAsString: the metadata fields, whole label and annotation maps included (all a downwardAPI volume may project). */
export function podMetadataField(pod: KubeObject, fieldPath: string): string {
  const sub = SUBSCRIPT.exec(fieldPath);
  if (sub) return strMap(pod.metadata[sub[1] as 'labels' | 'annotations'])[sub[2] as string] ?? '';
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
  }
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

/** podFieldSelectorRuntimeValue: an env var's fieldRef — the spec and status fields the kubelet knows, else the metadata ones. */
export function podFieldValue(pod: KubeObject, fieldPath: string, ctx: DownwardContext): string {
  const spec = asObj(pod['spec']) ?? {};
  switch (fieldPath) {
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
  return podMetadataField(pod, fieldPath);
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
 * ExtractContainerResourceValue: the value of `resource` (limits.cpu, requests.memory, …) of the
 * container, divided by the divisor (default 1) and rounded up; cpu compares milli-units, the rest
 * whole units.
 */
export function containerResourceValue(container: Obj, ref: Obj, allocatable: AllocatableLimits | undefined): string {
  const resource = str(ref['resource']);
  const divisor = quantity(ref['divisor']);
  const [kind, name] = resource.split('.', 2) as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || !name) throw new Error(`unsupported container resource : ${resource}`);
  const resources = asObj(container['resources']) ?? {};
  let value = quantity(asObj(resources[kind])?.[name]);
  if (!value && kind === 'limits' && (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage') && allocatable) {
    value = quantity(allocatable[name]);
  }
  const amount = value ?? parseQuantity('0');
  const by = divisor && !divisor.isZero() ? divisor : parseQuantity('1');
  if (name === 'cpu') return String(ceilDiv(amount.milliValueBig(), by.milliValueBig()));
  if (name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-')) {
    return String(ceilDiv(amount.valueBig(), by.valueBig()));
  }
  throw new Error(`unsupported container resource : ${resource}`);
}

/** ExtractResourceValueByContainerNameAndNodeAllocatable: the resource of the ref's containerName (a container or init container). */
export function podContainerResourceValue(pod: KubeObject, ref: Obj, allocatable: AllocatableLimits | undefined): string {
  const containerName = str(ref['containerName']);
  const spec = asObj(pod['spec']) ?? {};
  const container = [...objs(spec['containers']), ...objs(spec['initContainers'])].find((c) => c['name'] === containerName);
  if (!container) throw new Error(`container ${containerName} not found`);
  return containerResourceValue(container, ref, allocatable);
}
