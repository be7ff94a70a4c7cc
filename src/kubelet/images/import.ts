/**
 * Puts image archives (OCI layouts or docker save tars) into a containerd without a registry,
 * through `ctr images import`, in the namespace CRI reads, unpacked for its snapshotter.
 *
 *   importImages(files: string[], options: CtrOptions): Promise<void>
 *   listImages(options: CtrOptions): Promise<string[]>
 */
import { CommandError } from '../command.js';
import { type CtrOptions, ctr } from '../containerd/ctr.js';

export class ImageImportError extends Error {
  readonly code = 'ImageImportFailed';
  readonly file: string;
  constructor(file: string, cause: unknown) {
    const said = cause instanceof CommandError ? cause.stderr.trim().split('\n').at(-1) : String(cause);
    super(`importing ${file}: ${said}`, { cause });
    this.name = 'ImageImportError';
    this.file = file;
  }
}

/** Imports each archive in turn; the first that fails stops the rest with an ImageImportError. */
export async function importImages(files: string[], options: CtrOptions): Promise<void> {
  for (const file of files) {
    try {
      await ctr(['images', 'import', file], options);
    } catch (err) {
      if (options.signal?.aborted) throw err;
      throw new ImageImportError(file, err);
    }
  }
}

/** The names of every image in the namespace (CRI's own `sha256:` ID references left out). */
export async function listImages(options: CtrOptions): Promise<string[]> {
  return (await ctr(['images', 'ls', '-q'], options)).split('\n').filter((ref) => ref && !ref.startsWith('sha256:'));
}
