import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseDNSUpstreams, resolvConfUpstreams } from './upstreams.js';

describe('parseDNSUpstreams', () => {
  const cases: [string, string][] = [
    ['10.0.0.1', '10.0.0.1:53'],
    ['10.0.0.1:5353, 10.0.0.2', '10.0.0.1:5353 10.0.0.2:53'],
    ['[::1]:5353,::1', '::1:5353 ::1:53'],
  ];
  for (const [value, want] of cases) {
    it(value, () =>
      assert.equal(
        parseDNSUpstreams(value)
          .map((u) => `${u.host}:${u.port}`)
          .join(' '),
        want,
      ),
    );
  }
  for (const bad of ['', 'dns.example:53', '10.0.0.1:0', '10.0.0.1:x']) {
    it(`rejects "${bad}"`, () => assert.throws(() => parseDNSUpstreams(bad), /--dns-upstream/));
  }
});

describe('resolvConfUpstreams', () => {
  it('takes the nameservers of a resolv.conf', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-dns-'));
    try {
      const file = join(dir, 'resolv.conf');
      await writeFile(file, '# comment\nnameserver 127.0.0.53\nsearch example.com\nnameserver 192.0.2.53\noptions edns0\n');
      assert.deepEqual(await resolvConfUpstreams(file), [
        { host: '127.0.0.53', port: 53 },
        { host: '192.0.2.53', port: 53 },
      ]);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
