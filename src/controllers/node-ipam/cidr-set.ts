/**
 * A set of node subnets carved out of one cluster CIDR (upstream pkg/controller/nodeipam/ipam/cidrset):
 * allocation goes round from the last allocated subnet, occupy marks subnets already in use,
 * release frees them. IPv4 and IPv6.
 */

export class CidrSetError extends Error {
  readonly code: 'CIDRFull' | 'InvalidCIDR' | 'OutOfRange';
  constructor(code: CidrSetError['code'], message: string) {
    super(message);
    this.name = 'CidrSetError';
    this.code = code;
  }
}

export interface ParsedCIDR {
  family: 4 | 6;
  base: bigint;
  prefix: number;
}

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseIPv6(s: string): bigint | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): string[] => (h ? h.split(':') : []);
  const head = groups(halves[0] ?? '');
  const tail = groups(halves[1] ?? '');
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(Math.max(0, missing)).fill('0'), ...tail];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

export function parseCIDR(cidr: string): ParsedCIDR {
  const [ip = '', bits = ''] = cidr.trim().split('/');
  const family: 4 | 6 = ip.includes(':') ? 6 : 4;
  const addr = family === 4 ? parseIPv4(ip) : parseIPv6(ip);
  const width = family === 4 ? 32 : 128;
  const prefix = Number(bits);
  if (addr === undefined || !/^\d+$/.test(bits) || prefix > width) throw new CidrSetError('InvalidCIDR', `invalid CIDR address: ${cidr}`);
  const hostBits = BigInt(width - prefix);
  return { family, base: (addr >> hostBits) << hostBits, prefix };
}

export function formatIP(family: 4 | 6, addr: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((addr >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((addr >> BigInt((7 - i) * 16)) & 0xffffn));
  // compress the longest run of two or more zero groups
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export class CidrSet {
  readonly family: 4 | 6;
  readonly clusterCIDR: string;
  readonly nodeMaskSize: number;
  readonly maxCIDRs: number;
  readonly #base: bigint;
  readonly #step: bigint;
  readonly #used = new Set<number>();
  #next = 0;

  constructor(clusterCIDR: string, nodeMaskSize?: number) {
    const parsed = parseCIDR(clusterCIDR);
    this.family = parsed.family;
    this.clusterCIDR = clusterCIDR;
    this.nodeMaskSize = nodeMaskSize ?? (parsed.family === 4 ? 24 : 64);
    const width = parsed.family === 4 ? 32 : 128;
    if (this.nodeMaskSize < parsed.prefix || this.nodeMaskSize > width) {
      throw new CidrSetError('InvalidCIDR', `invalid node CIDR mask size ${this.nodeMaskSize} for cluster CIDR ${clusterCIDR}`);
    }
    const bits = this.nodeMaskSize - parsed.prefix;
    // upstream refuses more than 16 bits of subnets; that is 65,536 nodes
    if (bits > 16) throw new CidrSetError('InvalidCIDR', 'CIDRSet mask size is larger than the maximum supported (16 bits)');
    this.maxCIDRs = 2 ** bits;
    this.#base = parsed.base;
    this.#step = 1n << BigInt(width - this.nodeMaskSize);
  }

  get used(): number {
    return this.#used.size;
  }

  #cidr(index: number): string {
    return `${formatIP(this.family, this.#base + BigInt(index) * this.#step)}/${this.nodeMaskSize}`;
  }

  #index(cidr: string): number {
    const p = parseCIDR(cidr);
    if (p.family !== this.family || p.prefix !== this.nodeMaskSize) {
      throw new CidrSetError('OutOfRange', `CIDR ${cidr} is not a /${this.nodeMaskSize} of ${this.clusterCIDR}`);
    }
    const offset = p.base - this.#base;
    if (offset < 0n || offset / this.#step >= BigInt(this.maxCIDRs)) {
      throw new CidrSetError('OutOfRange', `CIDR ${cidr} is out of the range of cluster CIDR ${this.clusterCIDR}`);
    }
    return Number(offset / this.#step);
  }

  /** The next free subnet, going round from the last one handed out. */
  allocateNext(): string {
    for (let i = 0; i < this.maxCIDRs; i++) {
      const candidate = (this.#next + i) % this.maxCIDRs;
      if (this.#used.has(candidate)) continue;
      this.#used.add(candidate);
      this.#next = (candidate + 1) % this.maxCIDRs;
      return this.#cidr(candidate);
    }
    throw new CidrSetError('CIDRFull', 'CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range');
  }

  /** Marks a subnet in use (e.g. assigned before a restart). */
  occupy(cidr: string): void {
    this.#used.add(this.#index(cidr));
  }

  release(cidr: string): void {
    this.#used.delete(this.#index(cidr));
  }

  contains(cidr: string): boolean {
    try {
      return this.#used.has(this.#index(cidr));
    } catch {
      return false;
    }
  }
}
