import assert from 'node:assert/strict';
import { lstat, mkdtemp, readFile, readdir, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DATA_DIR_NAME, validatePayloadPath, writePayloadAtomically } from './atomic-writer.js';
import type { Payload } from './interface.js';

const file = (text: string, mode = 0o644) => ({ data: Buffer.from(text), mode });

describe('writePayloadAtomically', () => {
  let root = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'atomic-writer-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('writes a ..<timestamp> directory, the ..data link to it and a link per top-level entry', async () => {
    const dir = join(root, 'first');
    const payload: Payload = new Map([
      ['a', file('A', 0o400)],
      ['nested/b', file('B')],
    ]);
    assert.equal(await writePayloadAtomically(dir, payload, new Date(Date.UTC(2026, 0, 2, 3, 4, 5))), true);
    const ts = await readlink(join(dir, DATA_DIR_NAME));
    assert.match(ts, /^\.\.2026_01_02_03_04_05\.\w+$/);
    assert.equal(await readlink(join(dir, 'a')), '..data/a');
    assert.equal(await readlink(join(dir, 'nested')), '..data/nested');
    assert.equal(await readFile(join(dir, 'a'), 'utf8'), 'A');
    assert.equal(await readFile(join(dir, 'nested', 'b'), 'utf8'), 'B');
    assert.equal((await stat(join(dir, ts, 'a'))).mode & 0o777, 0o400);
    assert.equal((await stat(join(dir, ts, 'nested', 'b'))).mode & 0o777, 0o644);
    assert.deepEqual((await readdir(dir)).sort(), ['..data', ts, 'a', 'nested'].sort());
  });

  it('changes nothing for the same payload, and swaps to a new directory when it changes', async () => {
    const dir = join(root, 'swap');
    await writePayloadAtomically(
      dir,
      new Map([
        ['keep', file('1')],
        ['gone', file('x')],
      ]),
    );
    const first = await readlink(join(dir, DATA_DIR_NAME));
    assert.equal(
      await writePayloadAtomically(
        dir,
        new Map([
          ['keep', file('1')],
          ['gone', file('x')],
        ]),
      ),
      false,
    );
    assert.equal(await readlink(join(dir, DATA_DIR_NAME)), first);
    // a mode change alone is a change
    assert.equal(
      await writePayloadAtomically(
        dir,
        new Map([
          ['keep', file('1', 0o600)],
          ['gone', file('x')],
        ]),
      ),
      true,
    );
    assert.equal(
      await writePayloadAtomically(
        dir,
        new Map([
          ['keep', file('2')],
          ['new', file('n')],
        ]),
      ),
      true,
    );
    const second = await readlink(join(dir, DATA_DIR_NAME));
    assert.notEqual(second, first);
    assert.equal(await readFile(join(dir, 'keep'), 'utf8'), '2');
    assert.equal(await readFile(join(dir, 'new'), 'utf8'), 'n');
    await assert.rejects(lstat(join(dir, 'gone')), { code: 'ENOENT' });
    assert.deepEqual((await readdir(dir)).sort(), ['..data', second, 'keep', 'new'].sort());
  });

  it('rejects absolute paths and paths with ..', () => {
    for (const bad of ['/etc/passwd', '../x', 'a/../../x', '..hidden', ''])
      assert.throws(() => validatePayloadPath(bad), /invalid path/, bad);
    validatePayloadPath('a/b.c');
  });
});
