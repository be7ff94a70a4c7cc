/**
 * Tar archives in memory, through tar-stream: what OCI layouts and their layers are made of.
 *
 *   writeTar(entries: TarEntry[]): Promise<Buffer>
 *   readTar(archive: Buffer): Promise<Map<string, TarFile>>   // by path as stored
 */
import { Readable } from 'node:stream';
import { extract, type Header, pack } from 'tar-stream';

export interface TarEntry {
  header: Partial<Header> & Pick<Header, 'name'>;
  content?: Buffer;
}

export interface TarFile {
  header: Header;
  content: Buffer;
}

export async function writeTar(entries: TarEntry[]): Promise<Buffer> {
  const out = pack();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
  const drained = new Promise<void>((resolve, reject) => out.once('end', resolve).once('error', reject));
  for (const { header, content } of entries) {
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error | null) => (err ? reject(err) : resolve());
      if (content) out.entry(header, content, done);
      else out.entry(header, done);
    });
  }
  out.finalize();
  await drained;
  return Buffer.concat(chunks);
}

export async function readTar(archive: Buffer): Promise<Map<string, TarFile>> {
  const files = new Map<string, TarFile>();
  const entries = extract();
  Readable.from([archive]).pipe(entries);
  for await (const entry of entries) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    files.set(entry.header.name, { header: entry.header, content: Buffer.concat(chunks) });
  }
  return files;
}
