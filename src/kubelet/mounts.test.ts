import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mountPointsIn } from './mounts.js';

const MOUNTINFO = [
  '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
  '30 22 0:40 / /data/ctd/state/io.containerd.grpc.v1.cri/netns/cni-1 rw shared:2 - nsfs nsfs rw',
  '31 22 0:41 / /data/ctd/state/io.containerd.runtime.v2.task/k8s.io/abc/rootfs rw - overlay overlay rw',
  '32 22 0:42 / /data/ctd/state/sandboxes/abc/shm rw - tmpfs shm rw',
  '33 32 0:43 / /data/ctd/state/sandboxes/abc/shm rw - tmpfs shm rw',
  '34 22 0:44 / /data/ctd-other/x rw - tmpfs tmpfs rw',
  '35 22 0:45 / /data/ctd/with\\040space rw - tmpfs tmpfs rw',
  '',
].join('\n');

describe('mountPointsIn', () => {
  it('lists mounts under the dir, deepest first and later mounts before those they cover', () => {
    assert.deepEqual(mountPointsIn(MOUNTINFO, '/data/ctd'), [
      '/data/ctd/state/io.containerd.runtime.v2.task/k8s.io/abc/rootfs',
      '/data/ctd/state/sandboxes/abc/shm',
      '/data/ctd/state/sandboxes/abc/shm',
      '/data/ctd/state/io.containerd.grpc.v1.cri/netns/cni-1',
      '/data/ctd/with space',
    ]);
  });

  it('matches whole path components only', () => {
    assert.deepEqual(mountPointsIn(MOUNTINFO, '/data/ctd-other'), ['/data/ctd-other/x']);
    assert.deepEqual(mountPointsIn(MOUNTINFO, '/data/ct'), []);
  });
});
