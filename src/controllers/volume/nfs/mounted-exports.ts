/**
 * NfsExports on this machine: the export is mounted (`mount -t nfs server:path`) on a fresh
 * directory under the OS temp dir for the duration of one operation, then unmounted.
 */
import { chmod, mkdir, mkdtemp, rename, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../../kubelet/command.js';
import type { NfsExports } from './nfs-provisioner.js';

export class MountedNfsExports implements NfsExports {
  async withExport<T>(server: string, path: string, fn: (root: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-nfs-'));
    try {
      await runCommand('mount', ['-t', 'nfs', `${server}:${path}`, dir]);
      try {
        return await fn(dir);
      } finally {
        await runCommand('umount', [dir]);
      }
    } finally {
      await rmdir(dir).catch(() => undefined);
    }
  }

  async makeDir(path: string): Promise<void> {
    await mkdir(path, { recursive: true });
    await chmod(path, 0o777);
  }

  async rename(from: string, to: string): Promise<void> {
    await rename(from, to);
  }

  async removeAll(path: string): Promise<void> {
    await rm(path, { recursive: true, force: true });
  }
}
