/** File helpers for key material: private directories, atomic writes with explicit modes. */
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';

/** Mode of private keys and kubeconfigs. */
export const privateFileMode = 0o600;
/** Mode of certificates and public keys (kubeadm writes them world-readable). */
export const publicFileMode = 0o644;
/** Mode of directories holding keys. */
export const privateDirectoryMode = 0o700;

/** Creates `path` (and parents) if missing and makes `path` itself 0700. */
export async function ensurePrivateDirectory(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: privateDirectoryMode });
  await chmod(path, privateDirectoryMode);
}

/** Writes via a temporary file and rename, so readers never see half a key. */
export async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(tmp, data, { mode, flush: true });
    await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** The file's text, or undefined when it does not exist. */
export async function readFileIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
