/** A pod's QoS class, as qos.GetPodQOS computes it (pkg/apis/core/helper/qos). */
import { parseQuantity, type Quantity } from '../../machinery/quantity.js';
import { asObj, objs, type Obj } from './access.js';

export type PodQOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const QOS_RESOURCES = new Set(['cpu', 'memory']);

function positive(v: unknown): Quantity | undefined {
  try {
    const q = parseQuantity(typeof v === 'number' ? String(v) : String(v ?? ''));
    return q.sign() > 0 ? q : undefined;
  } catch {
    return undefined;
  }
}

function addTo(sum: Map<string, Quantity>, name: string, q: Quantity): void {
  const cur = sum.get(name);
  sum.set(name, cur ? cur.add(q) : q);
}

export function podQOSClass(spec: Obj): PodQOSClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const containers = [...objs(spec['containers']), ...objs(spec['initContainers'])];
  const podResources = asObj(spec['resources']);
  const sources = podResources ? [podResources] : containers.map((c) => asObj(c['resources']) ?? {});
  for (const resources of sources) {
    for (const [name, v] of Object.entries(asObj(resources['requests']) ?? {})) {
      const q = QOS_RESOURCES.has(name) ? positive(v) : undefined;
      if (q) addTo(requests, name, q);
    }
    const found = new Set<string>();
    for (const [name, v] of Object.entries(asObj(resources['limits']) ?? {})) {
      const q = QOS_RESOURCES.has(name) ? positive(v) : undefined;
      if (!q) continue;
      found.add(name);
      addTo(limits, name, q);
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (lim?.cmp(req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
