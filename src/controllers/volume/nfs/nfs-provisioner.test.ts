import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PersistentVolumeClaim, StorageClass } from '../../../api/storage/volume-helpers.js';
import { MountedNfsExports } from './mounted-exports.js';
import { NfsProvisioner } from './nfs-provisioner.js';

/** The exports as directories of this machine (BASE/<server>/<path>): this kernel has no NFS client. */
class LocalExports extends MountedNfsExports {
  constructor(readonly base: string) {
    super();
  }
  override async withExport<T>(server: string, path: string, fn: (root: string) => Promise<T>): Promise<T> {
    const root = join(this.base, server, path);
    await stat(root);
    return fn(root);
  }
}

const claim: PersistentVolumeClaim = { metadata: { name: 'data', namespace: 'web', uid: 'u1' } };
const nfsClass = (parameters: Record<string, string>): StorageClass => ({
  metadata: { name: 'nfs' },
  provisioner: 'k8ts.io/nfs',
  parameters,
});

test('a sub-directory per claim on the export, an nfs PV there, archived (or removed) on delete', async () => {
  const base = await mkdtemp(join(tmpdir(), 'k8ts-nfs-test-'));
  try {
    await mkdir(join(base, '10.0.0.5', 'exports', 'k8s'), { recursive: true });
    const p = new NfsProvisioner({ exports: new LocalExports(base) });
    const sc = nfsClass({ server: '10.0.0.5', path: '/exports/k8s' });
    await assert.rejects(
      p.provision({ volumeName: 'pvc-u1', claim, storageClass: nfsClass({}) }),
      /parameters "server" and an absolute "path" are required/,
    );
    const source = await p.provision({ volumeName: 'pvc-u1', claim, storageClass: sc });
    assert.deepEqual(source, { nfs: { server: '10.0.0.5', path: '/exports/k8s/web-data-pvc-u1' } });
    const exported = join(base, '10.0.0.5', 'exports', 'k8s');
    assert.equal((await stat(join(exported, 'web-data-pvc-u1'))).mode & 0o777, 0o777);
    await p.delete({ metadata: { name: 'pvc-u1' }, spec: source }, sc);
    assert.deepEqual(await readdir(exported), ['archived-web-data-pvc-u1']);
    const second = await p.provision({ volumeName: 'pvc-u2', claim, storageClass: sc });
    await p.delete(
      { metadata: { name: 'pvc-u2' }, spec: second },
      nfsClass({ server: '10.0.0.5', path: '/exports/k8s', archiveOnDelete: 'false' }),
    );
    assert.deepEqual(await readdir(exported), ['archived-web-data-pvc-u1']);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
});
