/**
 * A read-only registry (the OCI distribution API's pull half) on 127.0.0.1, serving OCI archives
 * as src/kubelet/images/oci-archive.ts writes them, so tests pull through CRI without the
 * internet. containerd speaks plain HTTP to a loopback registry without any configuration.
 *
 *   const registry = await startOciRegistry();
 *   const ref = await registry.add('conformance/busybox:1', archive);  // "127.0.0.1:PORT/conformance/busybox:1"
 *   registry.requests                                                   // "GET /v2/…" lines, for assertions
 *   await registry.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readTar } from '../../src/kubelet/images/tar.js';

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export interface OciRegistry {
  /** "127.0.0.1:PORT". */
  readonly host: string;
  /** Every request line served, in order. */
  readonly requests: string[];
  /** Serves the archive's (first) image as `repository:tag`; returns the full reference. */
  add(repositoryAndTag: string, archive: Buffer): Promise<string>;
  close(): Promise<void>;
}

export async function startOciRegistry(): Promise<OciRegistry> {
  /** By "sha256:…": the blob and, for manifests, its media type. */
  const blobs = new Map<string, { data: Buffer; mediaType: string }>();
  /** By "repository:tag": the manifest's digest. */
  const tags = new Map<string, string>();
  const requests: string[] = [];

  const serve = (req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(req.url ?? '');
    if (req.url === '/v2/' || req.url === '/v2') {
      res.writeHead(200, { 'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0' });
      res.end('{}');
      return;
    }
    const ref = m?.[3] ?? '';
    const digest = m?.[2] === 'manifests' && !ref.startsWith('sha256:') ? tags.get(`${m[1]}:${ref}`) : ref;
    const found = digest ? blobs.get(digest) : undefined;
    if (!m || !digest || !found || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: m?.[2] === 'blobs' ? 'BLOB_UNKNOWN' : 'MANIFEST_UNKNOWN', message: 'unknown' }] }));
      return;
    }
    res.writeHead(200, {
      'content-type': found.mediaType,
      'content-length': found.data.length,
      'docker-content-digest': digest,
    });
    res.end(req.method === 'HEAD' ? undefined : found.data);
  };

  const server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    host,
    requests,
    async add(repositoryAndTag, archive) {
      const files = await readTar(archive);
      const index = JSON.parse(files.get('index.json')?.content.toString() ?? '{}') as { manifests?: Descriptor[] };
      const manifest = index.manifests?.[0];
      if (!manifest) throw new Error('the archive has no image in index.json');
      for (const [path, file] of files) {
        const hex = /^(?:\.\/)?blobs\/sha256\/([0-9a-f]{64})$/.exec(path)?.[1];
        if (hex && file.header.type === 'file') blobs.set(`sha256:${hex}`, { data: file.content, mediaType: 'application/octet-stream' });
      }
      const stored = blobs.get(manifest.digest);
      if (!stored) throw new Error(`the archive lacks its manifest ${manifest.digest}`);
      stored.mediaType = manifest.mediaType;
      tags.set(repositoryAndTag, manifest.digest);
      return `${host}/${repositoryAndTag}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
