import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent } from './interface.js';
import { backupName, LogBackend } from './log-backend.js';

function event(i: number, pad = 0): AuditEvent {
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `id-${i}`,
    stage: 'ResponseComplete',
    requestURI: `/x${'y'.repeat(pad)}`,
    verb: 'get',
    user: { username: 'u' },
    requestReceivedTimestamp: '2026-01-01T00:00:00.000000Z',
    stageTimestamp: '2026-01-01T00:00:00.000000Z',
  };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-audit-log-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('audit log backend', () => {
  it('writes one JSON line per event, in order, without blocking the caller', () =>
    withDir(async (dir) => {
      const path = join(dir, 'audit.log');
      const backend = new LogBackend({ path });
      for (let i = 0; i < 500; i++) backend.processEvent(event(i));
      await backend.close();
      const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
      assert.equal(lines.length, 500);
      assert.deepEqual(
        lines.map((l) => (JSON.parse(l) as AuditEvent).auditID),
        Array.from({ length: 500 }, (_, i) => `id-${i}`),
      );
    }));

  it('drops events when the buffer is full and says how many', () =>
    withDir(async (dir) => {
      const logs: string[] = [];
      const backend = new LogBackend({ path: join(dir, 'audit.log'), bufferBytes: 2000, log: (m) => logs.push(m) });
      for (let i = 0; i < 100; i++) backend.processEvent(event(i));
      await backend.close();
      const written = (await readFile(join(dir, 'audit.log'), 'utf8')).trimEnd().split('\n').length;
      assert.ok(written < 100 && written > 0);
      assert.deepEqual(logs, [`audit: buffer full, ${100 - written} audit events dropped`]);
    }));

  it('rotates past maxsize and keeps maxbackup old files', () =>
    withDir(async (dir) => {
      const path = join(dir, 'audit.log');
      const backend = new LogBackend({ path, maxSizeMB: 1, maxBackups: 2 });
      for (let round = 0; round < 4; round++) {
        for (let i = 0; i < 6; i++) backend.processEvent(event(i, 100_000));
        await backend.flush();
        // backups are named by the millisecond
        await new Promise((r) => setTimeout(r, 5));
      }
      await backend.close();
      const names = (await readdir(dir)).sort();
      assert.equal(names.length, 3, names.join(' '));
      assert.ok(names.includes('audit.log'));
      for (const n of names.filter((x) => x !== 'audit.log')) assert.match(n, /^audit-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}\.log$/);
    }));

  it('names backups as lumberjack does', () => {
    assert.equal(backupName('/var/log/audit.log', new Date('2026-12-06T20:01:02.345Z')), '/var/log/audit-2026-12-06T20-01-02.345.log');
  });
});
