/**
 * The atomic writer of API data volumes (pkg/volume/util/atomic_writer.go): a payload is written
 * into a fresh `..<timestamp>` directory, the `..data` symlink is swapped to it with one rename,
 * and each top-level entry of the payload is a symlink through `..data`, so a reader sees either
 * the whole old payload or the whole new one, never a mix.
 *
 *   writePayloadAtomically(dir: string, payload: Payload, now?: Date): Promise<boolean>  // changed?
 */
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rename, rm, stat, symlink, writeFile, chmod } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { Payload } from './interface.js';

export const DATA_DIR_NAME = '..data';
const DATA_DIR_TMP_NAME = '..data_tmp';

/** atomic_writer.go validatePath: relative, no `..` element, not starting with `..`. */
export function validatePayloadPath(path: string): void {
  if (path === '') throw new Error('invalid path: must not be empty');
  if (isAbsolute(path)) throw new Error(`invalid path: must be relative path: ${path}`);
  if (path.split('/').includes('..')) throw new Error(`invalid path: must not contain '..': ${path}`);
  if (path.startsWith('..')) throw new Error(`invalid path: must not start with '..': ${path}`);
}

/** `..2006_01_02_15_04_05.` — the prefix of a payload directory, as upstream names them. */
function timestampPrefix(now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `..${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}.`;
}

/** The regular files below `dir`, relative. */
async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1));
}

/** A file's mode matches the payload's; group bits may be more (SetVolumeOwnership adds group read for an fsGroup). */
function sameMode(actual: number, want: number): boolean {
  return (actual & ~0o070) === (want & ~0o070) && (actual & want & 0o070) === (want & 0o070);
}

/** Whether the payload directory `tsDir` holds exactly `payload` (data and modes) and every top-level link exists. */
async function holdsPayload(dir: string, tsDir: string, payload: Payload): Promise<boolean> {
  try {
    const files = await filesBelow(tsDir);
    if (files.length !== payload.size) return false;
    for (const [path, file] of payload) {
      const st = await stat(join(tsDir, path));
      if (!sameMode(st.mode & 0o7777, file.mode)) return false;
      if (!Buffer.from(file.data).equals(await readFile(join(tsDir, path)))) return false;
    }
    for (const top of topLevel(payload)) await lstat(join(dir, top));
    return true;
  } catch {
    return false;
  }
}

function topLevel(payload: Payload): Set<string> {
  return new Set([...payload.keys()].map((p) => p.split('/')[0] as string));
}

export async function writePayloadAtomically(dir: string, payload: Payload, now: Date = new Date()): Promise<boolean> {
  for (const path of payload.keys()) validatePayloadPath(path);
  await mkdir(dir, { recursive: true });
  const oldTs = await readlink(join(dir, DATA_DIR_NAME)).catch(() => undefined);
  if (oldTs !== undefined && (await holdsPayload(dir, join(dir, oldTs), payload))) return false;

  // 1. the new payload in its own directory
  const tsDir = await mkdtemp(join(dir, timestampPrefix(now)));
  await chmod(tsDir, 0o755);
  for (const [path, file] of payload) {
    const full = join(tsDir, path);
    await mkdir(dirname(full), { recursive: true, mode: 0o755 });
    await writeFile(full, file.data, { mode: file.mode });
    await chmod(full, file.mode);
  }
  // 2. the user-visible links (new top-level entries) through ..data
  const tops = topLevel(payload);
  for (const top of tops) {
    const exists = await lstat(join(dir, top)).then(
      () => true,
      () => false,
    );
    if (!exists) await symlink(join(DATA_DIR_NAME, top), join(dir, top));
  }
  // 3. the swap: ..data_tmp → new directory, renamed over ..data
  const tmpLink = join(dir, DATA_DIR_TMP_NAME);
  await rm(tmpLink, { force: true });
  await symlink(tsDir.slice(dir.length + 1), tmpLink);
  await rename(tmpLink, join(dir, DATA_DIR_NAME));
  // 4. links of entries no longer in the payload, and the old payload directory
  if (oldTs !== undefined) {
    for (const entry of await readdir(dir)) {
      if (entry.startsWith('..') || tops.has(entry)) continue;
      const target = await readlink(join(dir, entry)).catch(() => undefined);
      if (target?.startsWith(`${DATA_DIR_NAME}/`)) await rm(join(dir, entry), { force: true });
    }
    await rm(join(dir, oldTs), { recursive: true, force: true });
  }
  return true;
}
