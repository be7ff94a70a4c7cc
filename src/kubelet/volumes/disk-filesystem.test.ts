import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DiskVolumeFilesystem, pathWithinBase } from './disk-filesystem.js';
import type { HostPathType } from './interface.js';

const fs = new DiskVolumeFilesystem();

describe('DiskVolumeFilesystem', () => {
  let root = '';
  before(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), 'volume-fs-')));
    await mkdir(join(root, 'dir'));
    await writeFile(join(root, 'file'), 'x');
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('checks hostPath types with upstream’s messages', async () => {
    const cases: [string, HostPathType, string | undefined][] = [
      [join(root, 'dir'), 'Directory', undefined],
      [join(root, 'file'), 'Directory', `hostPath type check failed: ${root}/file is not a directory`],
      [join(root, 'missing'), 'Directory', `hostPath type check failed: ${root}/missing is not a directory`],
      [join(root, 'file'), 'File', undefined],
      [join(root, 'dir'), 'File', `hostPath type check failed: ${root}/dir is not a file`],
      [join(root, 'file'), 'DirectoryOrCreate', `hostPath type check failed: ${root}/file is not a directory`],
      [join(root, 'dir'), 'FileOrCreate', `hostPath type check failed: ${root}/dir is not a file`],
      [join(root, 'file'), 'Socket', `hostPath type check failed: ${root}/file is not a socket file`],
      ['/dev/null', 'CharDevice', undefined],
      ['/dev/null', 'BlockDevice', 'hostPath type check failed: /dev/null is not a block device'],
      [join(root, 'file'), 'CharDevice', `hostPath type check failed: ${root}/file is not a character device`],
      [join(root, 'anything'), '', undefined],
      [join(root, 'file'), 'Weird' as HostPathType, 'Weird is an invalid volume type'],
    ];
    for (const [path, type, want] of cases) {
      const got = await fs.checkHostPath(path, type).then(
        () => undefined,
        (err: Error) => err.message,
      );
      assert.equal(got, want, `${type} ${path}`);
    }
  });

  it('creates DirectoryOrCreate (with parents) and FileOrCreate paths', async () => {
    await fs.checkHostPath(join(root, 'made', 'deep'), 'DirectoryOrCreate');
    assert.ok((await stat(join(root, 'made', 'deep'))).isDirectory());
    await fs.checkHostPath(join(root, 'made', 'f'), 'FileOrCreate');
    const st = await stat(join(root, 'made', 'f'));
    assert.ok(st.isFile());
    assert.equal(st.size, 0);
  });

  it('resolves subPaths inside the volume, creating them, and refuses ones that escape through symlinks', async () => {
    const vol = join(root, 'vol');
    await fs.makeDir(vol, 0o777);
    assert.equal(await fs.resolveSubPath(vol, 'a/b'), join(vol, 'a', 'b'));
    assert.ok((await stat(join(vol, 'a', 'b'))).isDirectory());
    await symlink('/etc', join(vol, 'escape'));
    await symlink('a', join(vol, 'inside'));
    assert.equal(await fs.resolveSubPath(vol, 'inside/b'), join(vol, 'a', 'b'));
    await assert.rejects(fs.resolveSubPath(vol, 'escape'), /subpath "\/etc" not within volume path/);
    await assert.rejects(fs.resolveSubPath(vol, 'escape/new/dir'), /not within volume path/);
    await assert.rejects(fs.resolveSubPath(vol, '../dir'), /not within volume path/);
    await assert.rejects(stat('/etc/new'), { code: 'ENOENT' });
  });

  it('pathWithinBase', () => {
    assert.equal(pathWithinBase('/a/b', '/a'), true);
    assert.equal(pathWithinBase('/a', '/a'), true);
    assert.equal(pathWithinBase('/ab', '/a'), false);
    assert.equal(pathWithinBase('/a/../b', '/a'), false);
    assert.equal(pathWithinBase('/a/..b', '/a'), true);
  });
});
