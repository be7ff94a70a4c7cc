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

    await fw.apply(new Map([['KUBE-ROUTER-FORWARD', []]]));
    assert.equal(calls.length, 2, 'clean: the table is not read again');
    await fw.apply(new Map([['KUBE-ROUTER-FORWARD', []]]), { full: true });
    assert.equal(calls[2], 'iptables-save -t filter', 'but on a full sync it is');

    const bare = recorder('*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n');
    await new IptablesPolicyFirewall({ run: bare.run }).apply(new Map([['KUBE-ROUTER-FORWARD', []]]));
    assert.deepEqual(bare.calls, ['iptables-save -t filter'], 'nothing to remove: no restore');
  });

  it('with isolated pods: checks br_netfilter once; a full write, then only what changed', async () => {
    const calls: string[] = [];
    const run = async (file: string, args: string[], input?: string) => {
      calls.push([file, ...args].join(' ') + (input ? `\n${input}` : ''));
      if (file === 'iptables-save') return '*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n';
      return file === 'iptables' ? `-P FORWARD ACCEPT\n-A FORWARD ${FORWARD_JUMP}\n` : '';
    };
    const logged: string[] = [];
    let checks = 0;
    const fw = new IptablesPolicyFirewall({ run, bridgeNetfilter: async () => `checked ${++checks}`, log: (m) => logged.push(m) });
    const chains = new Map([
      ['KUBE-ROUTER-FORWARD', ['-d 10.0.0.2 -j KUBE-POD-FW-A']],
      ['KUBE-POD-FW-A', ['-d 10.0.0.2 -j KUBE-NWPLCY-X']],
      ['KUBE-NWPLCY-X', []],
    ]);
    assert.deepEqual(await fw.apply(chains), { kind: 'full', written: 3, removed: 0 });
    assert.deepEqual(
      calls.splice(0).map((c) => c.split('\n')[0]),
      ['iptables-save -t filter', 'iptables-restore -w 5 --noflush'],
    );

    assert.deepEqual(await fw.apply(chains), { kind: 'partial', written: 0, removed: 0 });
    assert.deepEqual(calls.splice(0), ['iptables -w 5 -t filter -S FORWARD'], 'nothing changed: no restore');

    const changed = new Map([...chains, ['KUBE-NWPLCY-X', ['-s 10.0.0.3 -j MARK --set-xmark 0x10000/0x10000']]]);
    assert.deepEqual(await fw.apply(changed), { kind: 'partial', written: 1, removed: 0 });
    assert.equal(
      calls.splice(0)[1],
      'iptables-restore -w 5 --noflush\n*filter\n:KUBE-NWPLCY-X - [0:0]\n-A KUBE-NWPLCY-X -s 10.0.0.3 -j MARK --set-xmark 0x10000/0x10000\nCOMMIT\n',
    );

    assert.deepEqual(await fw.apply(changed, { full: true }), { kind: 'full', written: 3, removed: 0 });
    assert.equal(calls[0], 'iptables-save -t filter');
    assert.deepEqual(logged, ['checked 1']);
  });
});
