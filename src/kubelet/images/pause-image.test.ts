import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { BUSYBOX_BINARY } from './busybox-image.js';
import { PAUSE_IMAGE, pauseImageSpec } from './pause-image.js';

// The image's entrypoint names /bin/busybox; Debian's /bin is /usr/bin.
const skip = existsSync('/bin/busybox') ? undefined : `/bin/busybox is missing (apt-get install busybox-static)`;

describe('pauseImageSpec', { skip }, () => {
  it('is busybox alone, running as nobody', async () => {
    const spec = await pauseImageSpec();
    assert.equal(spec.name, PAUSE_IMAGE);
    assert.deepEqual(
      spec.entries.map((e) => [e.type, e.path]),
      [['file', '/bin/busybox']],
    );
    assert.equal(spec.config?.User, '65534:65534');
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`its entrypoint sleeps until ${signal}, then exits 0`, async () => {
      const entrypoint = (await pauseImageSpec({ binary: BUSYBOX_BINARY })).config?.Entrypoint ?? [];
      const [file, ...args] = entrypoint;
      assert.ok(file);
      // Its own process group, so the background sleep goes too (in a container, PID 1's exit ends it).
      const child = spawn(file, args, { detached: true, stdio: 'ignore' });
      try {
        await sleep(200);
        assert.equal(child.exitCode, null, 'still running');
        const exited = once(child, 'exit');
        child.kill(signal);
        const [code] = await exited;
        assert.equal(code, 0);
      } finally {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone
        }
      }
    });
  }
});
