import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Container, type ContainerStatus, RuntimeError } from '../runtime/interface.js';
import { rotateContainerLogs, rotationSuffix } from './container-log-manager.js';

describe('container log rotation', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-rotate-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  function runtime(logPath: string, reopen: () => Promise<void>) {
    return {
      listContainers: async () => [{ id: 'c1' } as Container],
      containerStatus: async () => ({ id: 'c1', logPath }) as ContainerStatus,
      reopenContainerLog: reopen,
    };
  }

  it('names rotated files by UTC time', () => {
    assert.equal(rotationSuffix(Date.parse('2026-12-06T13:04:05.678Z')), '20261206-130405');
  });

  it('renames a log past the size, asks the runtime to reopen, keeps maxFiles', async () => {
    const log = join(dir, '0.log');
    for (const t of ['20261206-100000', '20261206-110000', '20261206-120000']) await writeFile(`${log}.${t}`, 'old');
    await writeFile(log, 'x'.repeat(100));
    const reopened: string[] = [];
    await rotateContainerLogs({
      runtime: runtime(log, async () => {
        reopened.push('c1');
        await writeFile(log, '');
      }),
      maxSize: 50,
      maxFiles: 3,
      now: () => Date.parse('2026-12-06T13:00:00Z'),
    });
    assert.deepEqual(reopened, ['c1']);
    assert.deepEqual((await readdir(dir)).sort(), ['0.log', '0.log.20261206-120000', '0.log.20261206-130000']);
    assert.equal(await readFile(`${log}.20261206-130000`, 'utf8'), 'x'.repeat(100));
  });

  it('leaves a small log alone and undoes the rename when the runtime cannot reopen', async () => {
    const log = join(dir, '1.log');
    await writeFile(log, 'small');
    const errors: string[] = [];
    const failing = runtime(log, async () => {
      throw new RuntimeError('FailedPrecondition', 'not running');
    });
    await rotateContainerLogs({ runtime: failing, maxSize: 50, onError: (m) => errors.push(m) });
    assert.equal(await readFile(log, 'utf8'), 'small');
    await writeFile(log, 'y'.repeat(60));
    await rotateContainerLogs({ runtime: failing, maxSize: 50, onError: (m) => errors.push(m) });
    assert.equal(await readFile(log, 'utf8'), 'y'.repeat(60));
    assert.equal(errors.length, 1);
    assert.match(errors[0] as string, /not running/);
  });
});
