/**
 * The downward API's values (pkg/fieldpath ExtractFieldPathAsString, FormatMap;
 * pkg/api/v1/resource ExtractContainerResourceValue): pod metadata fields for downwardAPI files
 * and subPathExpr's environment, and container resources scaled by a divisor, where an unset
 * limit is the node's allocatable.
 */
import { asObj, objs, str, strMap, type Obj } from '../../api/core/access.js';
import type { KubeObject } from '../../machinery/object.js';
import { parseQuantity, type Quantity } from '../../machinery/quantity.js';

/** `k="v"` lines in key order, as Go's %q quotes (FormatMap). */
export function formatMap(m: Record<string, string>): string {
  return Object.keys(m)
    .sort()
    .map((k) => `${k}=${JSON.stringify(m[k])}`)
    .join('\n');
}

const SUBSCRIPT = /^metadata\.(labels|annotations)\['(.+)'\]$/;

/** ExtractFieldPathAsString: the metadata fields a downwardAPI volume may project. */
export function podMetadataField(pod: KubeObject, fieldPath: string): string {
  const sub = SUBSCRIPT.exec(fieldPath);
  if (sub) return strMap(pod.metadata[sub[1] as 'labels' | 'annotations'])[sub[2] as string] ?? '';
  switch (fieldPath) {
    case 'metadata.annotations':
      return formatMap(strMap(pod.metadata.annotations));
    case 'metadata.labels':
      return formatMap(strMap(pod.metadata.labels));
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
  }
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

/** podFieldSelectorRuntimeValue: the fields an env var's fieldRef may name (metadata plus spec and status ones). */
export function podEnvField(pod: KubeObject, fieldPath: string): string {
  const spec = asObj(pod['spec']) ?? {};
  const status = asObj(pod['status']) ?? {};
  switch (fieldPath) {
    case 'spec.nodeName':
      return str(spec['nodeName']);
    case 'spec.serviceAccountName':
      return str(spec['serviceAccountName']);
    case 'status.hostIP':
      return str(status['hostIP']);
    case 'status.podIP':
      return str(status['podIP']);
  }
  return podMetadataField(pod, fieldPath);
}

const ONE = parseQuantity('1');

/** ExtractContainerResourceValue with MergeContainerResourceLimits (unset limits are the node's allocatable). */
export function containerResourceValue(pod: KubeObject, ref: Obj, allocatable: Record<string, string>): string {
  const containerName = str(ref['containerName']);
  const spec = asObj(pod['spec']) ?? {};
  const container = [...objs(spec['containers']), ...objs(spec['initContainers'])].find((c) => c['name'] === containerName);
  if (!container) throw new Error(`container ${containerName} not found`);
  const resource = str(ref['resource']);
  const [kind, name = ''] = resource.split('.', 2) as [string, string?];
  if ((kind !== 'limits' && kind !== 'requests') || !['cpu', 'memory', 'ephemeral-storage'].includes(name)) {
    throw new Error(`unsupported container resource : ${resource}`);
  }
  const set = strMap(asObj(container['resources'])?.[kind])[name];
  const raw = set ?? (kind === 'limits' ? allocatable[name] : undefined) ?? '0';
  const divisorRaw = ref['divisor'];
  let divisor: Quantity = divisorRaw === undefined ? ONE : parseQuantity(String(divisorRaw));
  if (divisor.isZero()) divisor = ONE;
  const q = parseQuantity(raw);
  const value = name === 'cpu' ? Math.ceil(q.milliValue() / divisor.milliValue()) : Math.ceil(q.value() / divisor.value());
  return String(value);
}
