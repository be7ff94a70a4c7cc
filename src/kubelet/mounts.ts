/**
 * Mount points under a directory, read from /proc/self/mountinfo, and their removal deepest
 * first (`umount`, then `umount -l` for the busy ones), so the directory can be deleted.
 *
 *   mountPointsUnder(dir: string): Promise<string[]>        // deepest (and latest) first
 *   unmountUnder(dir: string, options?: { signal?: AbortSignal; report?: (line: string) => void }): Promise<void>
 */
import { readFile, realpath } from 'node:fs/promises';
import { runCommand } from './command.js';

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/** The mount points in mountinfo text that are `dir` or below it, deepest first, later mounts before the ones they cover. */
export function mountPointsIn(mountinfo: string, dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const points = mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined)
    .map(unescapeOctal)
    .filter((p) => p === dir || p.startsWith(prefix));
  const order = points.map((p, i) => ({ p, i, depth: p.split('/').length }));
  order.sort((a, b) => b.depth - a.depth || b.i - a.i);
  return order.map((o) => o.p);
}

export async function mountPointsUnder(dir: string): Promise<string[]> {
  const real = await realpath(dir).catch(() => dir);
  return mountPointsIn(await readFile('/proc/self/mountinfo', 'utf8'), real);
}

/** `report` is told each mount point unmounted (`unmounted <point>`). */
export async function unmountUnder(dir: string, options: { signal?: AbortSignal; report?: (line: string) => void } = {}): Promise<void> {
  const points = await mountPointsUnder(dir);
  if (points.length === 0) return;
  const { signal } = options;
  // One umount for all of them; what stays mounted (busy) is detached lazily.
  await runCommand('umount', points, { signal }).catch(() => undefined);
  for (const point of await mountPointsUnder(dir)) await runCommand('umount', ['-l', point], { signal }).catch(() => undefined);
  const left = await mountPointsUnder(dir);
  if (options.report) for (const point of points) if (!left.includes(point)) options.report(`unmounted ${point}`);
  if (left.length > 0) throw new Error(`still mounted under ${dir}: ${left.join(', ')}`);
}
