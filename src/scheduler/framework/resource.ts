/**
 * Resource arithmetic in plain numbers (milli-CPU, bytes, counts), as upstream framework.Resource,
 * and pod requests as resourcehelper.PodRequests computes them: the sum of app containers and
 * sidecars (init containers with restartPolicy Always), the max against each classic init
 * container (plus the sidecars started before it), pod-level requests when set, plus overhead.
 */
import { parseQuantity } from '../../machinery/quantity.js';
import type { Container, Pod, ResourceList } from '../types.js';

export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  allowedPodNumber = 0;
  /** Extended and hugepages resources by name. */
  scalar: Map<string, number> | undefined;

  static fromList(list: ResourceList | undefined): Resource {
    const r = new Resource();
    if (list) r.addList(list);
    return r;
  }

  clone(): Resource {
    const r = new Resource();
    r.milliCPU = this.milliCPU;
    r.memory = this.memory;
    r.ephemeralStorage = this.ephemeralStorage;
    r.allowedPodNumber = this.allowedPodNumber;
    if (this.scalar) r.scalar = new Map(this.scalar);
    return r;
  }

  get(name: string): number {
    switch (name) {
      case 'cpu':
        return this.milliCPU;
      case 'memory':
        return this.memory;
      case 'ephemeral-storage':
        return this.ephemeralStorage;
      case 'pods':
        return this.allowedPodNumber;
      default:
        return this.scalar?.get(name) ?? 0;
    }
  }

  set(name: string, v: number): void {
    switch (name) {
      case 'cpu':
        this.milliCPU = v;
        return;
      case 'memory':
        this.memory = v;
        return;
      case 'ephemeral-storage':
        this.ephemeralStorage = v;
        return;
      case 'pods':
        this.allowedPodNumber = v;
        return;
      default:
        (this.scalar ??= new Map()).set(name, v);
    }
  }

  addList(list: ResourceList): void {
    for (const [name, v] of Object.entries(list)) this.set(name, this.get(name) + quantityValue(name, v));
  }

  add(o: Resource, sign: 1 | -1 = 1): void {
    this.milliCPU += sign * o.milliCPU;
    this.memory += sign * o.memory;
    this.ephemeralStorage += sign * o.ephemeralStorage;
    this.allowedPodNumber += sign * o.allowedPodNumber;
    if (o.scalar) for (const [k, v] of o.scalar) this.set(k, this.get(k) + sign * v);
  }

  /** Raises each resource to at least o's value. */
  max(o: Resource): void {
    this.milliCPU = Math.max(this.milliCPU, o.milliCPU);
    this.memory = Math.max(this.memory, o.memory);
    this.ephemeralStorage = Math.max(this.ephemeralStorage, o.ephemeralStorage);
    this.allowedPodNumber = Math.max(this.allowedPodNumber, o.allowedPodNumber);
    if (o.scalar) for (const [k, v] of o.scalar) this.set(k, Math.max(this.get(k), v));
  }

  /** True when nothing is requested (pods count ignored). */
  isEmpty(): boolean {
    if (this.milliCPU !== 0 || this.memory !== 0 || this.ephemeralStorage !== 0) return false;
    if (this.scalar) for (const v of this.scalar.values()) if (v !== 0) return false;
    return true;
  }
}

/** A quantity in the scheduler's unit: milli-units for cpu, whole units (rounded up) otherwise. */
export function quantityValue(name: string, v: string | number): number {
  try {
    const q = parseQuantity(typeof v === 'number' ? String(v) : v);
    return name === 'cpu' ? q.milliValue() : q.value();
  } catch {
    return 0;
  }
}

function containerRequests(c: Container, nonZero: boolean): Resource {
  const r = Resource.fromList(c.resources?.requests);
  if (nonZero) {
    const req = c.resources?.requests;
    if (req?.['cpu'] === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (req?.['memory'] === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * The pod's effective requests. With `nonZero`, containers that omit a cpu or memory request
 * count as 100m / 200Mi (upstream's NonMissingContainerRequests, used for scoring).
 */
export function computePodRequests(pod: Pod, nonZero = false): Resource {
  const spec = pod.spec;
  const reqs = new Resource();
  for (const c of spec.containers ?? []) reqs.add(containerRequests(c, nonZero));
  const sidecars = new Resource();
  const initMax = new Resource();
  for (const c of spec.initContainers ?? []) {
    const cr = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      reqs.add(cr);
      sidecars.add(cr);
      initMax.max(sidecars);
    } else {
      cr.add(sidecars);
      initMax.max(cr);
    }
  }
  reqs.max(initMax);
  const podLevel = spec.resources?.requests;
  if (podLevel) {
    for (const name of ['cpu', 'memory']) {
      const v = podLevel[name];
      if (v !== undefined) reqs.set(name, quantityValue(name, v));
    }
  }
  if (spec.overhead) reqs.addList(spec.overhead);
  return reqs;
}
