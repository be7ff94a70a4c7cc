/**
 * Pod IPs from a node's pod CIDR, as the host-local IPAM plugin hands them out: the network
 * address and the gateway (.1) are skipped, addresses are handed out round-robin after the last
 * one given, and released addresses are reused once the range wraps. IPv4 only.
 */
import { RuntimeError } from '../interface.js';

export function parseIPv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The first address and size of an IPv4 CIDR such as "10.244.3.0/24"; throws InvalidArgument otherwise. */
export function parseIPv4CIDR(cidr: string): { base: number; size: number; prefix: number } {
  const [addr = '', bits = ''] = cidr.split('/');
  const ip = parseIPv4(addr);
  const prefix = Number(bits);
  if (ip === undefined || !/^\d+$/.test(bits) || prefix > 32) {
    throw new RuntimeError('InvalidArgument', `invalid IPv4 CIDR address: ${cidr}`);
  }
  const size = 2 ** (32 - prefix);
  return { base: ip - (ip % size), size, prefix };
}

export class IPPool {
  readonly cidr: string;
  readonly #base: number;
  readonly #size: number;
  readonly #used = new Set<number>();
  #next: number;

  constructor(cidr: string) {
    const { base, size } = parseIPv4CIDR(cidr);
    if (size < 4) throw new RuntimeError('InvalidArgument', `pod CIDR ${cidr} is too small`);
    this.cidr = cidr;
    this.#base = base;
    this.#size = size;
    this.#next = 2;
  }

  /** Addresses handed out and not released. */
  get allocated(): number {
    return this.#used.size;
  }

  /** The next free address; throws Unavailable when the range is exhausted. */
  allocate(): string {
    const usable = this.#size - 3; // network, gateway, broadcast
    if (this.#used.size >= usable) {
      throw new RuntimeError('Unavailable', `no IP addresses available in range set: ${this.cidr}`);
    }
    for (;;) {
      const offset = this.#next;
      this.#next = offset + 1 >= this.#size - 1 ? 2 : offset + 1;
      if (!this.#used.has(offset)) {
        this.#used.add(offset);
        return formatIPv4(this.#base + offset);
      }
    }
  }

  /** Returns an address to the pool; addresses outside it are ignored. */
  release(ip: string): void {
    const n = parseIPv4(ip);
    if (n !== undefined) this.#used.delete(n - this.#base);
  }

  contains(ip: string): boolean {
    const n = parseIPv4(ip);
    return n !== undefined && n >= this.#base && n < this.#base + this.#size;
  }
}
