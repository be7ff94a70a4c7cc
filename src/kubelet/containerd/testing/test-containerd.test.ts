import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { containerdUnavailable, startTestContainerd } from './test-containerd.js';

const skip = await containerdUnavailable();

async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('containerdUnavailable', () => {
  it('tells what is missing, and throws instead under CI', async () => {
    const reason = await withEnv({ PATH: '/nonexistent', CI: '' }, containerdUnavailable);
    assert.match(reason ?? '', /root|missing containerd, containerd-shim-runc-v2, runc, ctr/);
    await assert.rejects(withEnv({ PATH: '/nonexistent', CI: 'true' }, containerdUnavailable), /must run under CI/);
  });
});

describe('startTestContainerd', { skip }, () => {
  it('sweeps what a test process that died left behind: containerd, containers, mounts, dir', async () => {
    // A test process that starts a containerd, runs a container, and is killed without stopping anything.
    const script = `
      import { ctr } from ${JSON.stringify(resolve(import.meta.dirname, '../ctr.js'))};
      import { startTestContainerd } from ${JSON.stringify(resolve(import.meta.dirname, 'test-containerd.js'))};
      const c = await startTestContainerd();
      await ctr(['run', '-d', '--net-host', '--runc-root', c.layout.state + '/runc', c.images.busybox.name, 'left', 'sleep', '600'], { address: c.socket });
      console.log(JSON.stringify({ dir: c.dir, pid: c.supervisor.pid }));
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: resolve(import.meta.dirname, '../../../..'),
    });
    const out = await child.then(
      () => assert.fail('the child was to die by SIGKILL'),
      (err: { stdout: string }) => err.stdout,
    );
    const left = JSON.parse(out) as { dir: string; pid: number };
    assert.ok((await readFile(`/proc/${left.pid}/cmdline`, 'utf8')).includes(join(left.dir, 'config.toml')), 'its containerd runs on');

    const ctd = await startTestContainerd();
    await ctd.stop();
    await assert.rejects(stat(left.dir), { code: 'ENOENT' });
    // Gone, or a zombie not yet reaped (its cmdline is empty).
    assert.equal(await readFile(`/proc/${left.pid}/cmdline`, 'utf8').catch(() => ''), '');
  });
});
