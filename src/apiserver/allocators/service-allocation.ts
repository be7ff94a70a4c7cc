/**
 * ClusterIP and NodePort allocation for Services (upstream's service REST storage): explicit
 * values are validated and reserved, missing ones allocated, everything released when a
 * Service is deleted or stops using it. State is rebuilt from the Services the watch cache
 * holds, and kept current from its events.
 */
import type { KubeObject } from '../../machinery/object.js';
import { newInvalid, type FieldError } from '../../machinery/errors.js';
import type { Rollback, StoreHooks } from '../registry/hooks.js';
import type { CacheEvent, WatchCache } from '../watch/cache.js';
import { AllocationError } from './interface.js';
import { RangeAllocator } from './range.js';
import { cidrContains, intToIp, ipToInt, parseCidr, type Cidr } from './cidr.js';

export interface ServiceAllocationOptions {
  serviceCIDR: string;
  /** e.g. "30000-32767" */
  nodePortRange?: string;
}

interface ServicePort {
  name?: string;
  nodePort?: number;
  port?: number;
}

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: ServicePort[];
  healthCheckNodePort?: number;
  externalTrafficPolicy?: string;
}

function specOf(obj: KubeObject): ServiceSpec {
  return (obj['spec'] ?? {}) as ServiceSpec;
}

function needsClusterIP(spec: ServiceSpec): boolean {
  return spec.type !== 'ExternalName' && spec.clusterIP !== 'None';
}

function needsNodePorts(spec: ServiceSpec): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

function nodePortsOf(obj: KubeObject): number[] {
  const spec = specOf(obj);
  const ports = (spec.ports ?? []).map((p) => p.nodePort).filter((n): n is number => typeof n === 'number' && n > 0);
  if (spec.healthCheckNodePort) ports.push(spec.healthCheckNodePort);
  return ports;
}

function ipsOf(obj: KubeObject): string[] {
  const spec = specOf(obj);
  const ips = spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []);
  return ips.filter((ip) => ip && ip !== 'None');
}

export class ServiceAllocation implements StoreHooks {
  readonly #cidr: Cidr;
  readonly #ips: RangeAllocator;
  readonly #ports: RangeAllocator;
  readonly #portRange: string;

  constructor(options: ServiceAllocationOptions) {
    this.#cidr = parseCidr(options.serviceCIDR);
    // the network address and (for IPv4) the broadcast address are never handed out
    this.#ips = new RangeAllocator(this.#cidr.base + 1, Math.max(this.#cidr.size - 2, 1), `IPs is ${this.#cidr.text}`);
    this.#portRange = options.nodePortRange ?? '30000-32767';
    const [lo, hi] = this.#portRange.split('-').map(Number);
    this.#ports = new RangeAllocator(lo ?? 30000, (hi ?? 32767) - (lo ?? 30000) + 1, `ports is ${this.#portRange}`);
  }

  /** The first service IP: the `kubernetes` Service's ClusterIP. */
  get firstIP(): string {
    return intToIp(this.#cidr.base + 1);
  }

  /** Rebuilds state from the cache and follows its events. */
  follow(cache: WatchCache): void {
    for (const svc of cache.list(cache.prefix)) this.#reserveExisting(svc);
    cache.watch(cache.revision, (ev: CacheEvent) => this.#observe(ev));
  }

  #reserveExisting(svc: KubeObject): void {
    for (const ip of ipsOf(svc)) if (cidrContains(this.#cidr, ip) && !this.#ips.has(ipToInt(ip))) this.#tryAllocateIP(ip);
    for (const p of nodePortsOf(svc)) if (!this.#ports.has(p)) this.#tryAllocatePort(p);
  }

  #tryAllocateIP(ip: string): void {
    try {
      this.#ips.allocate(ipToInt(ip));
    } catch {
      // outside the range or already counted: nothing to reserve
    }
  }

  #tryAllocatePort(port: number): void {
    try {
      this.#ports.allocate(port);
    } catch {
      // outside the range or already counted
    }
  }

  #observe(ev: CacheEvent): void {
    if (ev.type === 'DELETED') {
      for (const ip of ipsOf(ev.object)) if (cidrContains(this.#cidr, ip)) this.#ips.release(ipToInt(ip));
      for (const p of nodePortsOf(ev.object)) this.#ports.release(p);
      return;
    }
    if (ev.type === 'MODIFIED' && ev.prevObject) {
      const now = new Set(nodePortsOf(ev.object));
      for (const p of nodePortsOf(ev.prevObject)) if (!now.has(p)) this.#ports.release(p);
      const ips = new Set(ipsOf(ev.object));
      for (const ip of ipsOf(ev.prevObject)) if (!ips.has(ip) && cidrContains(this.#cidr, ip)) this.#ips.release(ipToInt(ip));
    }
    this.#reserveExisting(ev.object);
  }

  beforeCreate(obj: KubeObject, dryRun: boolean): Rollback | undefined {
    return this.#allocate(obj, undefined, dryRun);
  }

  beforeUpdate(obj: KubeObject, old: KubeObject, dryRun: boolean): Rollback | undefined {
    return this.#allocate(obj, old, dryRun);
  }

  #allocate(obj: KubeObject, old: KubeObject | undefined, dryRun: boolean): Rollback | undefined {
    const spec = (obj['spec'] ??= {}) as ServiceSpec;
    const reservedIPs: number[] = [];
    const reservedPorts: number[] = [];
    const errs: FieldError[] = [];
    const rollback = (): void => {
      for (const ip of reservedIPs) this.#ips.release(ip);
      for (const p of reservedPorts) this.#ports.release(p);
    };
    const oldIPs = new Set(old ? ipsOf(old) : []);
    const oldPorts = new Set(old ? nodePortsOf(old) : []);

    if (needsClusterIP(spec)) {
      const requested = spec.clusterIPs?.[0] ?? spec.clusterIP;
      if (requested && !oldIPs.has(requested)) {
        try {
          this.#ips.allocate(ipToInt(requested));
          reservedIPs.push(ipToInt(requested));
        } catch (err) {
          errs.push({
            type: 'FieldValueInvalid',
            field: 'spec.clusterIPs',
            message: `Invalid value: []string{"${requested}"}: failed to allocate IP ${requested}: ${allocationMessage(err, `IP (${requested})`)}`,
          });
        }
      } else if (!requested) {
        try {
          const n = this.#ips.allocateNext();
          reservedIPs.push(n);
          spec.clusterIP = intToIp(n);
        } catch {
          errs.push({
            type: 'InternalError',
            field: 'spec.clusterIPs',
            message: 'Internal error: failed to allocate a serviceIP: range is full',
          });
        }
      }
      if (spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
    }

    if (needsNodePorts(spec)) {
      // explicit ports first, so a port handed out at random never takes one asked for
      const ports = spec.ports ?? [];
      ports.forEach((port, i) => {
        if (!port.nodePort || oldPorts.has(port.nodePort) || reservedPorts.includes(port.nodePort)) return;
        try {
          this.#ports.allocate(port.nodePort);
          reservedPorts.push(port.nodePort);
        } catch (err) {
          errs.push({
            type: 'FieldValueInvalid',
            field: `spec.ports[${i}].nodePort`,
            message: `Invalid value: ${port.nodePort}: ${allocationMessage(err, 'port')}`,
          });
        }
      });
      ports.forEach((port, i) => {
        if (port.nodePort) return;
        try {
          const n = this.#ports.allocateNext();
          reservedPorts.push(n);
          port.nodePort = n;
        } catch {
          errs.push({
            type: 'InternalError',
            field: `spec.ports[${i}].nodePort`,
            message: 'Internal error: failed to allocate a nodePort: range is full',
          });
        }
      });
    } else {
      for (const port of spec.ports ?? []) delete port.nodePort;
    }

    // a LoadBalancer with externalTrafficPolicy Local gets a health check node port (kube-proxy answers there)
    if (spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
      const hc = spec.healthCheckNodePort;
      try {
        if (!hc) {
          const n = this.#ports.allocateNext();
          reservedPorts.push(n);
          spec.healthCheckNodePort = n;
        } else if (!oldPorts.has(hc) && !reservedPorts.includes(hc)) {
          this.#ports.allocate(hc);
          reservedPorts.push(hc);
        }
      } catch (err) {
        errs.push(
          hc
            ? {
                type: 'FieldValueInvalid',
                field: 'spec.healthCheckNodePort',
                message: `Invalid value: ${hc}: ${allocationMessage(err, 'port')}`,
              }
            : {
                type: 'InternalError',
                field: 'spec.healthCheckNodePort',
                message: 'Internal error: failed to allocate a nodePort: range is full',
              },
        );
      }
    }

    if (errs.length > 0) {
      rollback();
      throw newInvalid({ group: '', kind: 'Service' }, obj.metadata.name ?? '', errs);
    }
    if (dryRun) {
      rollback();
      return undefined;
    }
    return rollback;
  }
}

function allocationMessage(err: unknown, what: string): string {
  if (err instanceof AllocationError) {
    if (err.code === 'Allocated') return what.startsWith('IP') ? 'provided IP is already allocated' : 'provided port is already allocated';
    if (err.code === 'NotInRange') return `provided ${what} is not in the valid range. ${err.message.split('. ')[1] ?? ''}`;
  }
  return (err as Error).message;
}
