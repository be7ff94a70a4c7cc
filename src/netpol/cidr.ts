/**
 * IPv4 blocks for ipBlock peers: `cidr` minus its `except` list as the smallest set of CIDRs
 * that covers exactly the addresses left, so one iptables match per block (kube-router puts
 * them in an ipset with `nomatch` entries; plain iptables rules need them split). IPv6 blocks are
 * not programmed: the pod network is IPv4.
 *
 *   subtractCIDRs(cidr: string, except: readonly string[]): string[] | undefined
 */

interface Block {
  /** The network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

function parseIPv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

/** A CIDR (or a bare address, as a /32) with its host bits cleared; undefined when not IPv4. */
function parseBlock(cidr: string): Block | undefined {
  const [ip = '', bits = '32'] = cidr.split('/');
  const addr = parseIPv4(ip);
  const prefix = Number(bits);
  if (addr === undefined || !/^\d{1,2}$/.test(bits) || prefix > 32) return undefined;
  return { base: addr - (addr % 2 ** (32 - prefix)), prefix };
}

const size = (b: Block): number => 2 ** (32 - b.prefix);
const contains = (outer: Block, inner: Block): boolean =>
  outer.prefix <= inner.prefix && inner.base >= outer.base && inner.base < outer.base + size(outer);
const overlaps = (a: Block, b: Block): boolean => contains(a, b) || contains(b, a);

function format(b: Block): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(b.base / 2 ** shift) % 256);
  return `${octets.join('.')}/${b.prefix}`;
}

function subtract(block: Block, except: readonly Block[]): Block[] {
  const touching = except.filter((e) => overlaps(block, e));
  if (touching.length === 0) return [block];
  if (touching.some((e) => contains(e, block))) return [];
  const half = size(block) / 2;
  const prefix = block.prefix + 1;
  return [...subtract({ base: block.base, prefix }, touching), ...subtract({ base: block.base + half, prefix }, touching)];
}

/** Whether `ip` is an IPv4 address. */
export function isIPv4(ip: string): boolean {
  return parseIPv4(ip) !== undefined;
}

/** The CIDRs that cover `cidr` without the `except` blocks; undefined when `cidr` is not IPv4. */
export function subtractCIDRs(cidr: string, except: readonly string[]): string[] | undefined {
  const block = parseBlock(cidr);
  if (!block) return undefined;
  const holes = except.map(parseBlock).filter((b): b is Block => b !== undefined);
  return subtract(block, holes).map(format);
}
