import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { BUSYBOX_BINARY, BUSYBOX_IMAGE, busyboxImageSpec } from './busybox-image.js';

const skip = existsSync(BUSYBOX_BINARY) ? undefined : `${BUSYBOX_BINARY} is missing (apt-get install busybox-static)`;

describe('busyboxImageSpec', { skip }, () => {
  it('has /bin/busybox, a symlink per applet, root and nobody, and /tmp', async () => {
    const spec = await busyboxImageSpec();
    assert.equal(spec.name, BUSYBOX_IMAGE);
    assert.deepEqual(spec.config, { Cmd: ['sh'], Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] });
    const byPath = new Map(spec.entries.map((e) => [e.path, e]));
    const binary = byPath.get('/bin/busybox');
    assert.ok(binary?.type === 'file' && binary.mode === 0o755 && binary.content.length > 100_000);
    for (const applet of ['sh', 'httpd', 'nc', 'wget', 'nslookup', 'sleep', 'id']) {
      assert.deepEqual(byPath.get(`/bin/${applet}`), { type: 'symlink', path: `/bin/${applet}`, target: 'busybox' });
    }
    const text = (path: string) => {
      const e = byPath.get(path);
      assert.ok(e?.type === 'file', path);
      return String(e.content);
    };
    assert.match(text('/etc/passwd'), /^root:x:0:0:/m);
    assert.match(text('/etc/passwd'), /^nobody:x:65534:65534:/m);
    assert.match(text('/etc/group'), /^nobody:x:65534:$/m);
    assert.deepEqual(byPath.get('/tmp'), { type: 'directory', path: '/tmp', mode: 0o1777 });
  });

  it('takes a name and a config', async () => {
    const spec = await busyboxImageSpec({ name: 'example.test/box:1', config: { Cmd: ['httpd', '-f'] } });
    assert.equal(spec.name, 'example.test/box:1');
    assert.deepEqual(spec.config, { Cmd: ['httpd', '-f'] });
  });
});
