import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IptablesPolicyFirewall } from './iptables.js';
import { FORWARD_JUMP } from './restore-input.js';

const SAVED_WITH_CHAINS = [
  '*filter',
  ':FORWARD ACCEPT [0:0]',
  ':KUBE-ROUTER-FORWARD - [0:0]',
  `-A FORWARD ${FORWARD_JUMP}`,
  'COMMIT',
  '',
].join('\n');

function recorder(saved: string) {
  const calls: string[] = [];
  const run = async (file: string, args: string[], input?: string) => {
    calls.push([file, ...args].join(' ') + (input ? `\n${input}` : ''));
    return file === 'iptables-save' ? saved : '';
  };
  return { calls, run };
}

describe('IptablesPolicyFirewall', () => {
  it('without isolated pods: removes what is there, writes nothing new, leaves br_netfilter alone', async () => {
    const { calls, run } = recorder(SAVED_WITH_CHAINS);
    const fw = new IptablesPolicyFirewall({ run, bridgeNetfilter: () => assert.fail('not checked') });
    await fw.apply(new Map([['KUBE-ROUTER-FORWARD', ['-m conntrack --ctstate RELATED,ESTABLISHED -j RETURN']]]));
    assert.equal(calls.length, 2);
    assert.match(
      calls[1] ?? '',
      /^iptables-restore -w 5 --noflush\n\*filter\n:KUBE-ROUTER-FORWARD - \[0:0\]\n-D FORWARD .*\n-X KUBE-ROUTER-FORWARD\nCOMMIT/,
    );

    const bare = recorder('*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n');
    await new IptablesPolicyFirewall({ run: bare.run }).apply(new Map([['KUBE-ROUTER-FORWARD', []]]));
    assert.deepEqual(bare.calls, ['iptables-save -t filter'], 'nothing to remove: no restore');
  });

  it('with an isolated pod: checks br_netfilter once, one restore per sync', async () => {
    const { calls, run } = recorder('*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n');
    const logged: string[] = [];
    let checks = 0;
    const fw = new IptablesPolicyFirewall({ run, bridgeNetfilter: async () => `checked ${++checks}`, log: (m) => logged.push(m) });
    const chains = new Map([
      ['KUBE-ROUTER-FORWARD', ['-d 10.0.0.2 -j KUBE-POD-FW-A']],
      ['KUBE-POD-FW-A', []],
    ]);
    await fw.apply(chains);
    await fw.apply(chains);
    assert.deepEqual(logged, ['checked 1']);
    assert.equal(calls.filter((c) => c.startsWith('iptables-restore')).length, 2);
  });
});
