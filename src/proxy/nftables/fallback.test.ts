import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCommand } from '../../kubelet/command.js';
import { nftablesUnavailable } from './fallback.js';

// the real nft in its --check mode: the kernel checks the transaction, nothing is committed
describe('nftablesUnavailable', () => {
  it('nft runs as root: usable', async () => {
    assert.equal(await nftablesUnavailable(), undefined);
  });

  it('the same program run by an unprivileged user: it cannot program the node', async () => {
    const asNobody = (file: string, args: string[], options: { input: string }) =>
      runCommand('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', file, ...args], options);
    assert.match((await nftablesUnavailable(asNobody)) ?? '', /^nft cannot program this node: .*Operation not permitted/);
  });

  it('no such program: not installed', async () => {
    const missing = (_file: string, args: string[], options: { input: string }) => runCommand('k8ts-no-such-nft', args, options);
    assert.equal(await nftablesUnavailable(missing), 'nft is not installed (apt-get install nftables)');
  });
});
