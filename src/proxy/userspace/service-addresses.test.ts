import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '../../kubelet/command.js';
import { removeServiceDevice, ServiceDevice } from './service-addresses.js';

// a bare network namespace of the test's: the device and routes never touch the machine's
describe('ServiceDevice (in a network namespace)', () => {
  const netns = `k8tsu${randomBytes(3).toString('hex')}`;
  const run = (file: string, args: string[], options?: { input?: string }) =>
    runCommand('ip', ['netns', 'exec', netns, file, ...args], options);
  const ip = async (...args: string[]) => (await run('ip', args)).stdout;
  const routeTo = (addr: string) =>
    ip('route', 'get', addr).then(
      (out) => out.split(' ')[0] ?? '',
      (err: Error) => err.message,
    );
  const device = (serviceCIDRs = ['10.96.0.0/12']) => new ServiceDevice({ serviceCIDRs, run });
  before(async () => {
    await runCommand('ip', ['netns', 'add', netns]);
    await ip('link', 'set', 'lo', 'up');
  });
  after(() => runCommand('ip', ['netns', 'del', netns]));

  it('holds exactly the service addresses; the rest of the service CIDR is local too (refused, never routed away)', async () => {
    const d = device();
    await d.ensure(new Set(['10.96.0.5', '10.96.0.6']));
    assert.match(await ip('-o', 'addr', 'show', 'dev', 'k8ts-svc0'), /10\.96\.0\.5\/32[\s\S]*10\.96\.0\.6\/32/);
    assert.equal(await routeTo('10.96.0.5'), 'local');
    assert.equal(await routeTo('10.96.0.9'), 'local');
    assert.match(await routeTo('10.112.0.1'), /unreachable|Network is unreachable/);
    await d.ensure(new Set(['10.96.0.6']));
    assert.doesNotMatch(await ip('-o', 'addr', 'show', 'dev', 'k8ts-svc0'), /10\.96\.0\.5\//);
  });

  it('a restarted proxier takes the device over and drops what it no longer wants; cleanup removes device and routes', async () => {
    const d = device();
    await d.ensure(new Set(['10.96.0.7']));
    assert.doesNotMatch(await ip('-o', 'addr', 'show', 'dev', 'k8ts-svc0'), /10\.96\.0\.6\//);
    await d.cleanup();
    assert.doesNotMatch(await ip('-o', 'link', 'show'), /k8ts-svc0/);
    assert.doesNotMatch(await ip('route', 'show', 'table', 'local'), /10\.96\.0\.0\/12/);
  });

  it('k8ts killall removes a device a proxier left, with its routes, in one line; then finds nothing', async () => {
    await device().ensure(new Set(['10.96.0.8']));
    const lines: string[] = [];
    await removeServiceDevice({ run, report: (line) => lines.push(line) });
    await removeServiceDevice({ run, report: (line) => lines.push(line) });
    assert.deepEqual(lines, ["removed the service proxy's device k8ts-svc0"]);
    assert.doesNotMatch(await ip('route', 'show', 'table', 'local'), /10\.96\.0\.0\/12/);
  });
});
