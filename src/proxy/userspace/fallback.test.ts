import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCommand } from '../../kubelet/command.js';
import { iptablesUnavailable } from './fallback.js';

// the real iptables-restore in its --test mode: it parses and checks, and commits nothing
describe('iptablesUnavailable', () => {
  it('iptables-restore runs as root: usable', async () => {
    assert.equal(await iptablesUnavailable(), undefined);
  });

  it('the same program run by an unprivileged user: not permitted', async () => {
    const asNobody = (file: string, args: string[], options: { input: string }) =>
      runCommand('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', file, ...args], options);
    assert.match((await iptablesUnavailable(asNobody)) ?? '', /^iptables-restore is not permitted here: .*Permission denied/);
  });

  it('no such program: not installed', async () => {
    const missing = (_file: string, args: string[], options: { input: string }) =>
      runCommand('k8ts-no-such-iptables-restore', args, options);
    assert.equal(await iptablesUnavailable(missing), 'iptables-restore is not installed');
  });
});
