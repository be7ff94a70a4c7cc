/**
 * The volume filesystem of a real node: directories, tmpfs mounts, the atomic writer, hostPath
 * type checks (host_path.go checkType) and safe subPaths (subpath_linux.go: a subPath is resolved
 * through its symlinks and must stay inside its volume). Needs root for the mounts.
 */
import { chmod, lchown, lstat, mkdir, open, readdir, realpath, rm, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { runCommand } from '../command.js';
import { mountPointsUnder, unmountUnder } from '../mounts.js';
import { writePayloadAtomically } from './atomic-writer.js';
import type { HostPathType, Payload, VolumeFilesystem } from './interface.js';

/** Whether `path` is `base` or below it (mount.PathWithinBase). */
export function pathWithinBase(path: string, base: string): boolean {
  const rel = relative(base, path);
  return rel === '' || (rel !== '..' && !rel.startsWith('../') && !rel.startsWith('/'));
}

const TYPE_CHECKS: Record<
  Exclude<HostPathType, '' | 'DirectoryOrCreate' | 'FileOrCreate'>,
  [(m: import('node:fs').Stats) => boolean, string]
> = {
  Directory: [(s) => s.isDirectory(), 'is not a directory'],
  File: [(s) => s.isFile(), 'is not a file'],
  Socket: [(s) => s.isSocket(), 'is not a socket file'],
  CharDevice: [(s) => s.isCharacterDevice(), 'is not a character device'],
  BlockDevice: [(s) => s.isBlockDevice(), 'is not a block device'],
};

export class DiskVolumeFilesystem implements VolumeFilesystem {
  /** tmpfs mount points known to be mounted, so a resync does not read mountinfo again. */
  readonly #tmpfs = new Set<string>();

  async makeDir(path: string, mode: number): Promise<boolean> {
    const created = (await mkdir(path, { recursive: true })) !== undefined;
    await chmod(path, mode);
    return created;
  }

  async mountTmpfs(path: string, sizeBytes?: number): Promise<boolean> {
    if (this.#tmpfs.has(path)) return false;
    await mkdir(path, { recursive: true });
    const real = await realpath(path);
    const mounted = !(await mountPointsUnder(real)).includes(real);
    if (mounted) {
      const options = sizeBytes !== undefined ? ['-o', `size=${sizeBytes}`] : [];
      await runCommand('mount', ['-t', 'tmpfs', ...options, 'tmpfs', real]);
    }
    this.#tmpfs.add(path);
    return mounted;
  }

  async mountNfs(path: string, source: { server: string; path: string; readOnly: boolean; options?: readonly string[] }): Promise<void> {
    await mkdir(path, { recursive: true });
    const real = await realpath(path);
    if ((await mountPointsUnder(real)).includes(real)) return;
    const options = [...(source.readOnly ? ['ro'] : []), ...(source.options ?? [])];
    await runCommand('mount', [
      '-t',
      'nfs',
      ...(options.length > 0 ? ['-o', options.join(',')] : []),
      `${source.server}:${source.path}`,
      real,
    ]);
  }

  async setOwnership(dir: string, fsGroup: number, readOnly: boolean): Promise<void> {
    const paths = [dir, ...(await readdir(dir, { recursive: true })).map((p) => join(dir, p))];
    for (const path of paths) {
      const st = await lstat(path);
      await lchown(path, -1, fsGroup);
      // a symlink's mode means nothing, and chmod would follow it to the file it points at
      if (st.isSymbolicLink()) continue;
      const mask = (readOnly ? 0o440 : 0o660) | (st.isDirectory() ? 0o2110 : 0);
      await chmod(path, (st.mode & 0o7777) | mask);
    }
  }

  writePayload(dir: string, payload: Payload): Promise<boolean> {
    return writePayloadAtomically(dir, payload);
  }

  async checkHostPath(path: string, type: HostPathType): Promise<void> {
    if (type === '') return;
    const st = await stat(path).catch(() => undefined);
    if (type === 'DirectoryOrCreate') {
      if (!st) return void (await mkdir(path, { recursive: true, mode: 0o755 }));
      if (!st.isDirectory()) throw new Error(`hostPath type check failed: ${path} is not a directory`);
      return;
    }
    if (type === 'FileOrCreate') {
      if (!st) return void (await (await open(path, 'a', 0o644)).close());
      if (!st.isFile()) throw new Error(`hostPath type check failed: ${path} is not a file`);
      return;
    }
    const check = TYPE_CHECKS[type];
    if (!check) throw new Error(`${type} is an invalid volume type`);
    if (!st || !check[0](st)) throw new Error(`hostPath type check failed: ${path} ${check[1]}`);
  }

  async resolveSubPath(volumePath: string, subPath: string): Promise<string> {
    const base = await realpath(volumePath);
    const full = join(base, subPath);
    if (!pathWithinBase(full, base)) throw new Error(`subpath "${full}" not within volume path "${base}"`);
    // the deepest existing ancestor must resolve inside the volume before anything is created below it
    let existing = full;
    while (
      !(await lstat(existing).then(
        () => true,
        () => false,
      ))
    )
      existing = dirname(existing);
    const resolvedAncestor = await realpath(existing);
    if (!pathWithinBase(resolvedAncestor, base)) throw new Error(`subpath "${resolvedAncestor}" not within volume path "${base}"`);
    if (existing !== full) {
      const mode = (await stat(base)).mode & 0o7777;
      await mkdir(full, { recursive: true, mode });
    }
    const resolved = await realpath(full);
    if (!pathWithinBase(resolved, base)) throw new Error(`subpath "${resolved}" not within volume path "${base}"`);
    return resolved;
  }

  async removeAll(dir: string): Promise<void> {
    for (const path of this.#tmpfs) if (pathWithinBase(path, dir)) this.#tmpfs.delete(path);
    if (
      !(await lstat(dir).then(
        () => true,
        () => false,
      ))
    )
      return;
    await unmountUnder(dir);
    await rm(dir, { recursive: true, force: true });
  }

  list(dir: string): Promise<string[]> {
    return readdir(dir).catch(() => []);
  }
}
