/** IPv4 CIDR arithmetic for the service and cluster ranges. */

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
  /** Number of addresses in the range. */
  size: number;
  text: string;
}

export function ipToInt(ip: string): number {
  const text = ip.split('.');
  if (text.length !== 4 || text.some((p) => !/^\d{1,3}$/.test(p))) throw new Error(`invalid IPv4 address: ${ip}`);
  const parts = text.map(Number);
  if (parts.some((p) => p > 255)) throw new Error(`invalid IPv4 address: ${ip}`);
  return (((parts[0] as number) << 24) | ((parts[1] as number) << 16) | ((parts[2] as number) << 8) | (parts[3] as number)) >>> 0;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(text: string): Cidr {
  const [ip, bits] = text.split('/');
  const prefix = Number(bits);
  if (!ip || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`invalid CIDR: ${text}`);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const base = (ipToInt(ip) & mask) >>> 0;
  return { base, prefix, size: 2 ** (32 - prefix), text: `${intToIp(base)}/${prefix}` };
}

export function cidrContains(c: Cidr, ip: string): boolean {
  let n: number;
  try {
    n = ipToInt(ip);
  } catch {
    return false;
  }
  return n >= c.base && n < c.base + c.size;
}

/** The n-th address of the range (0 is the network address). */
export function nthAddress(c: Cidr, n: number): string {
  return intToIp((c.base + n) >>> 0);
}
