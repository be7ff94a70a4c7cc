/**
 * OCI image layouts in a tar (oci-layout, index.json, blobs/sha256/…), the form `ctr images
 * import` reads, so the node has images without a registry. One uncompressed layer; fixed
 * timestamps, so the same files always give the same digests (importing again changes nothing).
 *
 *   writeOciArchive(file: string, image: OciImageSpec): Promise<OciImage>
 *   ociArchive(image: OciImageSpec): Promise<{ archive: Buffer; image: OciImage }>
 */
import { hostPlatform } from '../../machinery/platform.js';
import { createHash } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { imageTag, normalizeImage } from '../images.js';
import { type TarEntry, writeTar } from './tar.js';

/** A file, symlink or directory of the image's root filesystem; paths are absolute in the image. */
export type ImageEntry =
  | { type: 'file'; path: string; content: Uint8Array | string; mode?: number }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'directory'; path: string; mode?: number };

/** The runtime part of an OCI image config, spelled as the image spec spells it. */
export interface ImageConfig {
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  User?: string;
  WorkingDir?: string;
  Labels?: Record<string, string>;
}

export interface OciImageSpec {
  /** The reference the image is stored under, e.g. docker.io/library/busybox:k8ts. */
  name: string;
  entries: ImageEntry[];
  config?: ImageConfig;
}

export interface OciImage {
  /** The fully qualified reference. */
  name: string;
  /** The image ID as CRI reports it: the config's digest. */
  id: string;
  /** The manifest's digest (the repo digest). */
  digest: string;
}

export const OCI_MEDIA_TYPES = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
} as const;

const EPOCH = new Date(0);
interface Blob {
  mediaType: string;
  digest: string;
  size: number;
  data: Buffer;
}

function blob(mediaType: string, data: Buffer): Blob {
  return { mediaType, digest: `sha256:${createHash('sha256').update(data).digest('hex')}`, size: data.length, data };
}

function json(mediaType: string, value: unknown): Blob {
  return blob(mediaType, Buffer.from(JSON.stringify(value)));
}

/** The layer's tar entries: paths relative to /, parents before children (missing ones made 0755). */
function layerEntries(entries: ImageEntry[]): TarEntry[] {
  const out: TarEntry[] = [];
  const seen = new Set<string>();
  const base = { uid: 0, gid: 0, mtime: EPOCH };
  const parents = (path: string) => {
    const dir = posix.dirname(path);
    if (dir === '/' || seen.has(dir)) return;
    parents(dir);
    seen.add(dir);
    out.push({ header: { ...base, name: `${dir.slice(1)}/`, type: 'directory', mode: 0o755 } });
  };
  for (const entry of entries) {
    const path = posix.normalize(posix.join('/', entry.path)).replace(/(.)\/$/, '$1');
    if (path === '/' || seen.has(path)) throw new Error(`image entry ${entry.path}: duplicate or root path`);
    parents(path);
    seen.add(path);
    const name = path.slice(1);
    if (entry.type === 'directory') {
      out.push({ header: { ...base, name: `${name}/`, type: 'directory', mode: entry.mode ?? 0o755 } });
    } else if (entry.type === 'symlink') {
      out.push({ header: { ...base, name, type: 'symlink', linkname: entry.target, mode: 0o777 } });
    } else {
      const content = Buffer.from(entry.content);
      out.push({ header: { ...base, name, type: 'file', mode: entry.mode ?? 0o644, size: content.length }, content });
    }
  }
  return out;
}

/** Builds the archive in memory (images here are a few MB). */
export async function ociArchive(spec: OciImageSpec): Promise<{ archive: Buffer; image: OciImage }> {
  const name = normalizeImage(spec.name);
  const platform = hostPlatform();
  const layer = blob(OCI_MEDIA_TYPES.layer, await writeTar(layerEntries(spec.entries)));
  const config = json(OCI_MEDIA_TYPES.config, {
    created: EPOCH.toISOString(),
    ...platform,
    config: spec.config ?? {},
    rootfs: { type: 'layers', diff_ids: [layer.digest] },
    history: [{ created: EPOCH.toISOString(), created_by: 'k8ts' }],
  });
  const descriptor = (b: Blob) => ({ mediaType: b.mediaType, digest: b.digest, size: b.size });
  const manifest = json(OCI_MEDIA_TYPES.manifest, {
    schemaVersion: 2,
    mediaType: OCI_MEDIA_TYPES.manifest,
    config: descriptor(config),
    layers: [descriptor(layer)],
  });
  const index = {
    schemaVersion: 2,
    mediaType: OCI_MEDIA_TYPES.index,
    manifests: [
      {
        ...descriptor(manifest),
        platform,
        annotations: { 'io.containerd.image.name': name, 'org.opencontainers.image.ref.name': imageTag(name) },
      },
    ],
  };
  const file = (path: string, content: Buffer) => ({ header: { name: path, mode: 0o644, mtime: EPOCH, size: content.length }, content });
  const dir = (path: string) => ({ header: { name: path, type: 'directory' as const, mode: 0o755, mtime: EPOCH } });
  const archive = await writeTar([
    file('oci-layout', Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' }))),
    file('index.json', Buffer.from(JSON.stringify(index))),
    dir('blobs/'),
    dir('blobs/sha256/'),
    ...[manifest, config, layer].map((b) => file(`blobs/sha256/${b.digest.slice('sha256:'.length)}`, b.data)),
  ]);
  return { archive, image: { name, id: config.digest, digest: manifest.digest } };
}

/** Writes the archive to `file` (through a temporary file and a rename, so no half archive is ever read). */
export async function writeOciArchive(file: string, spec: OciImageSpec): Promise<OciImage> {
  const { archive, image } = await ociArchive(spec);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, archive);
  await rename(tmp, file);
  return image;
}
