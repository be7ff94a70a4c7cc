import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PersistentVolumeClaim, StorageClass } from '../../api/storage/volume-helpers.js';
import { DiskVolumeFilesystem } from '../volumes/disk-filesystem.js';
import { LocalPathProvisioner, volumeNode } from './local-path-provisioner.js';

const claim: PersistentVolumeClaim = { metadata: { name: 'data', namespace: 'web', uid: 'u1' } };
const storageClass: StorageClass = { metadata: { name: 'local-path' }, provisioner: 'k8ts.io/local-path' };

test('a directory per claim on the selected node, a hostPath PV pinned to it, removed on delete', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-local-path-'));
  try {
    const p = new LocalPathProvisioner({ nodes: new Map([['n1', { storageDir: dir, fs: new DiskVolumeFilesystem() }]]) });
    assert.equal(p.servesNode('n1'), true);
    assert.equal(p.servesNode('n2'), false);
    await assert.rejects(p.provision({ volumeName: 'pvc-u1', claim, storageClass }), /configuration error, no node was specified/);
    const source = await p.provision({ volumeName: 'pvc-u1', claim, storageClass, selectedNode: 'n1' });
    const path = join(dir, 'pvc-u1_web_data');
    assert.deepEqual(source.hostPath, { path, type: 'DirectoryOrCreate' });
    assert.equal((await stat(path)).mode & 0o777, 0o777);
    const volume = { metadata: { name: 'pvc-u1' }, spec: source };
    assert.equal(volumeNode(volume), 'n1');
    assert.equal(p.servesVolume(volume), true);
    await writeFile(join(path, 'f'), 'x');
    await p.delete(volume);
    await assert.rejects(stat(path));
    await assert.rejects(p.delete({ ...volume, spec: { ...source, hostPath: { path: '/etc' } } }), /is not under/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
