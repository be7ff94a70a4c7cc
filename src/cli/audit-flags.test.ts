import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startAuditor } from './audit-flags.js';
import { parseServerFlags } from './server-flags.js';

test('audit flags: off without --audit-log-path, rotation numbers, refusals', () => {
  assert.equal(parseServerFlags([]).audit, undefined);
  assert.equal(parseServerFlags(['--audit-policy-file', '/p.yaml']).audit, undefined);
  assert.deepEqual(
    parseServerFlags([
      '--audit-policy-file=/p.yaml',
      '--audit-log-path=-',
      '--audit-log-maxage=7',
      '--audit-log-maxbackup=3',
      '--audit-log-maxsize=50',
    ]).audit,
    { policyFile: '/p.yaml', logPath: '-', maxAgeDays: 7, maxBackups: 3, maxSizeMB: 50 },
  );
  assert.throws(() => parseServerFlags(['--audit-log-maxsize=-1']), /--audit-log-maxsize: want a whole number of 0 or more, got "-1"/);
  assert.throws(() => parseServerFlags(['--audit-log-maxage=1d']), /--audit-log-maxage/);
});

test('audit flags: a path without a policy records nothing; a bad policy stops the server', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-audit-flags-'));
  try {
    const logs: string[] = [];
    const flags = { policyFile: undefined, logPath: join(dir, 'a.log'), maxAgeDays: 0, maxBackups: 0, maxSizeMB: 0 };
    assert.equal(await startAuditor(flags, (m) => logs.push(m)), undefined);
    assert.deepEqual(logs, ['audit: no --audit-policy-file given, no audit events will be recorded']);
    await writeFile(join(dir, 'p.yaml'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: Everything}]\n');
    await assert.rejects(
      startAuditor({ ...flags, policyFile: join(dir, 'p.yaml') }, () => undefined),
      /--audit-policy-file .*p\.yaml: rules\[0\]\.level/,
    );
    await writeFile(join(dir, 'p.yaml'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: Metadata}]\n');
    const auditor = await startAuditor({ ...flags, policyFile: join(dir, 'p.yaml') }, () => undefined);
    assert.ok(auditor);
    await auditor.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
