import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCommand } from '../command.js';
import { readTar } from './tar.js';
import { hostPlatform } from '../../machinery/platform.js';
import { OCI_MEDIA_TYPES, type OciImageSpec, ociArchive, writeOciArchive } from './oci-archive.js';

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

const SPEC: OciImageSpec = {
  name: 'busybox:test',
  entries: [
    { type: 'file', path: '/bin/tool', content: '#!/bin/sh\necho hi\n', mode: 0o755 },
    { type: 'symlink', path: '/bin/alias', target: 'tool' },
    { type: 'directory', path: '/tmp', mode: 0o1777 },
    { type: 'file', path: 'etc/deep/conf', content: 'x=1\n' },
  ],
  config: { Entrypoint: ['/bin/tool'], Cmd: ['a'], Env: ['A=1'], User: '65534:65534', WorkingDir: '/tmp' },
};

describe('ociArchive', () => {
  it('writes an OCI layout whose index, manifest, config and layer agree by digest', async () => {
    const { archive, image } = await ociArchive(SPEC);
    const files = await readTar(archive);
    const blob = (digest: string) => {
      const f = files.get(`blobs/sha256/${digest.slice('sha256:'.length)}`);
      assert.ok(f, `blob ${digest}`);
      assert.equal(sha256(f.content), digest, 'a blob is named by its digest');
      return f.content;
    };
    assert.deepEqual(JSON.parse(files.get('oci-layout')!.content.toString()), { imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(files.get('index.json')!.content.toString());
    assert.equal(index.mediaType, OCI_MEDIA_TYPES.index);
    assert.equal(index.manifests.length, 1);
    const [entry] = index.manifests;
    assert.deepEqual(entry.annotations, {
      'io.containerd.image.name': 'docker.io/library/busybox:test',
      'org.opencontainers.image.ref.name': 'test',
    });
    assert.deepEqual(entry.platform, hostPlatform());
    assert.equal(entry.digest, image.digest);
    const manifestBytes = blob(entry.digest);
    assert.equal(entry.size, manifestBytes.length);
    const manifest = JSON.parse(manifestBytes.toString());
    assert.equal(manifest.config.digest, image.id);
    assert.equal(manifest.layers.length, 1);
    assert.equal(manifest.layers[0].mediaType, OCI_MEDIA_TYPES.layer);
    const config = JSON.parse(blob(manifest.config.digest).toString());
    assert.deepEqual(config.config, SPEC.config);
    assert.deepEqual(config.rootfs, { type: 'layers', diff_ids: [manifest.layers[0].digest] });
    assert.equal(config.os, 'linux');
    const layer = await readTar(blob(manifest.layers[0].digest));
    const got = [...layer].map(([name, f]) => [
      name,
      f.header.type,
      f.header.mode.toString(8),
      f.header.linkname ?? '',
      f.content.toString(),
    ]);
    assert.deepEqual(got, [
      ['bin/', 'directory', '755', '', ''],
      ['bin/tool', 'file', '755', '', '#!/bin/sh\necho hi\n'],
      ['bin/alias', 'symlink', '777', 'tool', ''],
      ['tmp/', 'directory', '1777', '', ''],
      ['etc/', 'directory', '755', '', ''],
      ['etc/deep/', 'directory', '755', '', ''],
      ['etc/deep/conf', 'file', '644', '', 'x=1\n'],
    ]);
  });

  it('gives the same digests for the same files', async () => {
    const a = await ociArchive(SPEC);
    const b = await ociArchive(SPEC);
    assert.deepEqual(a.image, b.image);
    assert.ok(a.archive.equals(b.archive));
  });

  it('refuses a path twice', async () => {
    const entries = [...SPEC.entries, { type: 'directory' as const, path: '/tmp/' }];
    await assert.rejects(ociArchive({ ...SPEC, entries }), /duplicate/);
  });
});

describe('writeOciArchive', () => {
  it('writes a tar that tar(1) lists, and no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-oci-'));
    try {
      const file = join(dir, 'image.tar');
      const image = await writeOciArchive(file, SPEC);
      const { stdout } = await runCommand('tar', ['-tf', file]);
      const hex = (d: string) => d.slice('sha256:'.length);
      const names = stdout.trim().split('\n');
      assert.deepEqual(names.slice(0, 4), ['oci-layout', 'index.json', 'blobs/', 'blobs/sha256/']);
      assert.equal(names.length, 7);
      assert.ok(names.includes(`blobs/sha256/${hex(image.digest)}`) && names.includes(`blobs/sha256/${hex(image.id)}`));
      assert.deepEqual(await readdir(dir), ['image.tar']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
