import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { readContainerLogs, tailOffset } from './read-logs.js';

const LOG = [
  '2026-12-06T13:00:00.100000000Z stdout F one',
  '2026-12-06T13:00:01.000000000Z stderr F two',
  '2026-12-06T13:00:02.000000000Z stdout P thr',
  '2026-12-06T13:00:02.500000000Z stdout F ee',
  '2026-12-06T13:00:03.000000000Z stdout F four',
  '',
].join('\n');

function sink(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  return { out, text: () => text };
}

describe('readContainerLogs', () => {
  let dir: string;
  let path: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-logs-'));
    path = join(dir, '0.log');
    await writeFile(path, LOG);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const cases: [string, Parameters<typeof readContainerLogs>[1], string][] = [
    ['plain, partial lines joined', {}, 'one\ntwo\nthree\nfour\n'],
    ['tail 2', { tailLines: 2 }, 'ee\nfour\n'],
    ['tail 0', { tailLines: 0 }, ''],
    ['tail beyond the file', { tailLines: 50 }, 'one\ntwo\nthree\nfour\n'],
    ['since', { since: Date.parse('2026-12-06T13:00:02.200Z') }, 'ee\nfour\n'],
    ['timestamps', { tailLines: 1, timestamps: true }, '2026-12-06T13:00:03Z four\n'],
    ['timestamps once per joined line', { tailLines: 3, timestamps: true }, '2026-12-06T13:00:02Z three\n2026-12-06T13:00:03Z four\n'],
    ['limit bytes', { limitBytes: 6 }, 'one\ntw'],
  ];
  for (const [name, opts, want] of cases) {
    it(name, async () => {
      const s = sink();
      await readContainerLogs(path, opts, s.out);
      assert.equal(s.text(), want);
    });
  }

  it('a missing file is an empty log', async () => {
    const s = sink();
    await readContainerLogs(join(dir, 'none.log'), {}, s.out);
    assert.equal(s.text(), '');
  });

  it('follows appends and a rotation until the container stops', async () => {
    const p = join(dir, 'follow.log');
    await writeFile(p, '2026-12-06T13:00:00Z stdout F a\n');
    let running = true;
    const s = sink();
    const done = readContainerLogs(p, { follow: true }, s.out, {
      isRunning: async () => running,
      signal: new AbortController().signal,
      pollMs: 20,
    });
    await new Promise((r) => setTimeout(r, 60));
    await appendFile(p, '2026-12-06T13:00:01Z stdout F b\n');
    await new Promise((r) => setTimeout(r, 60));
    await rename(p, `${p}.20261206-130002`);
    await writeFile(p, '2026-12-06T13:00:02Z stdout F c\n');
    await new Promise((r) => setTimeout(r, 60));
    running = false;
    await done;
    assert.equal(s.text(), 'a\nb\nc\n');
  });

  it('tailOffset counts lines from the end', () => {
    const buf = Buffer.from('x\ny\nz\n');
    assert.equal(tailOffset(buf, 1), 4);
    assert.equal(tailOffset(buf, 3), 0);
    assert.equal(tailOffset(buf, 0), 6);
  });
});
