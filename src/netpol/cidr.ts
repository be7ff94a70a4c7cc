/**
 * IPv4 blocks for ipBlock peers: `cidr` minus its `except` list as the smallest set of CIDRs
 * that covers exactly the addresses left, so one iptables match per block (kube-router puts
 * them in an ipset with `nomatch` entries; plain iptables rules need them split). IPv6 blocks are
 * not programmed: the pod network is IPv4.
 *
 *   subtractCIDRs(cidr: string, except: readonly string[]): string[] | undefined
 */

import { type Cidr, intToIp, ipToInt, parseCidr } from '../apiserver/allocators/cidr.js';

type Block = Pick<Cidr, 'base' | 'prefix'>;

/** A CIDR (or a bare address, as a /32) with its host bits cleared; undefined when not IPv4. */
function parseBlock(cidr: string): Block | undefined {
  try {
    return parseCidr(cidr.includes('/') ? cidr : `${cidr}/32`);
  } catch {
    return undefined;
  }
}

const size = (b: Block): number => 2 ** (32 - b.prefix);
const contains = (outer: Block, inner: Block): boolean =>
  outer.prefix <= inner.prefix && inner.base >= outer.base && inner.base < outer.base + size(outer);
const overlaps = (a: Block, b: Block): boolean => contains(a, b) || contains(b, a);

const format = (b: Block): string => `${intToIp(b.base)}/${b.prefix}`;

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
  try {
    ipToInt(ip);
    return true;
  } catch {
    return false;
  }
}

/** The CIDRs that cover `cidr` without the `except` blocks; undefined when `cidr` is not IPv4. */
export function subtractCIDRs(cidr: string, except: readonly string[]): string[] | undefined {
  const block = parseBlock(cidr);
  if (!block) return undefined;
  const holes = except.map(parseBlock).filter((b): b is Block => b !== undefined);
  return subtract(block, holes).map(format);
}
