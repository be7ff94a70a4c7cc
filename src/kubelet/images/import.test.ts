import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ImageImportError, importImages, listImages } from './import.js';

// A stand-in ctr: records its arguments, fails for archives named bad*, lists two images and an ID.
const FAKE_CTR = `#!/bin/sh
echo "$@" >> "$(dirname "$0")/calls"
case "$*" in
  *"images import"*bad*) echo 'ctr: unrecognized image format' >&2; exit 1 ;;
  *"images ls -q"*) printf 'docker.io/library/busybox:k8ts\\nregistry.k8s.io/pause:3.9-k8ts\\nsha256:0123\\n' ;;
esac
`;

describe('importImages and listImages through ctr', () => {
  let dir: string;
  let options: { address: string; ctr: string };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-ctr-'));
    const ctr = join(dir, 'ctr');
    await writeFile(ctr, FAKE_CTR);
    await chmod(ctr, 0o755);
    options = { address: '/run/test.sock', ctr };
  });
  after(() => rm(dir, { recursive: true, force: true }));
  const calls = async () => (await readFile(join(dir, 'calls'), 'utf8')).trim().split('\n');

  it('imports each archive into the CRI namespace', async () => {
    await importImages(['/a.tar', '/b.tar'], options);
    assert.deepEqual((await calls()).slice(-2), [
      '--address /run/test.sock --namespace k8s.io images import /a.tar',
      '--address /run/test.sock --namespace k8s.io images import /b.tar',
    ]);
  });

  it("stops at the first failure with ctr's own words", async () => {
    const err = await importImages(['/bad.tar', '/c.tar'], options).then(
      () => assert.fail('no error'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ImageImportError);
    assert.equal(err.code, 'ImageImportFailed');
    assert.equal(err.file, '/bad.tar');
    assert.equal(err.message, 'importing /bad.tar: ctr: unrecognized image format');
    assert.ok(!(await calls()).some((c) => c.endsWith('/c.tar')));
  });

  it("lists image names without CRI's sha256 IDs", async () => {
    assert.deepEqual(await listImages(options), ['docker.io/library/busybox:k8ts', 'registry.k8s.io/pause:3.9-k8ts']);
  });
});
