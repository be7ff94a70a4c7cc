/**
 * The masquerade and forward rules on the real iptables of a network namespace of the test's own
 * (skipped without root; removing the namespace removes the rules).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '../command.js';
import type { NetworkCommandRunner } from './interface.js';
import { cleanupMasquerade, masqueradeRules, syncMasquerade } from './masquerade.js';

const skip = process.getuid?.() !== 0 ? 'iptables needs root' : undefined;
const netns = `k8tsm${randomBytes(3).toString('hex')}`;
const run: NetworkCommandRunner = async (file, args) => (await runCommand('ip', ['netns', 'exec', netns, file, ...args])).stdout;

/** The rules of a table that mention K8TS chains, as iptables-save prints them. */
async function k8tsRules(table: string): Promise<string[]> {
  return (await run('iptables-save', ['-t', table])).split('\n').filter((l) => l.includes('K8TS-') && l.startsWith('-A'));
}

describe('masqueradeRules', () => {
  it('masquerades only what leaves the cluster CIDR and accepts forwarding of cluster traffic', () => {
    const [nat, filter] = masqueradeRules('10.244.0.0/16', 'k8ts0');
    const comment = ['-m', 'comment', '--comment', 'k8ts pod network on k8ts0'];
    assert.deepEqual(nat, {
      table: 'nat',
      chain: 'K8TS-POSTRTG',
      from: 'POSTROUTING',
      rules: [['-s', '10.244.0.0/16', '!', '-d', '10.244.0.0/16', ...comment, '-j', 'MASQUERADE', '--random-fully']],
    });
    assert.deepEqual(filter?.rules, [
      ['-s', '10.244.0.0/16', ...comment, '-j', 'ACCEPT'],
      ['-d', '10.244.0.0/16', ...comment, '-j', 'ACCEPT'],
    ]);
  });
});

describe('syncMasquerade and cleanupMasquerade on iptables', { skip, timeout: 30_000 }, () => {
  before(async () => {
    await runCommand('ip', ['netns', 'add', netns]);
  });
  after(async () => {
    await runCommand('ip', ['netns', 'del', netns]).catch(() => undefined);
  });

  it('installs the chains, their jumps and one rule set, idempotently', async () => {
    await syncMasquerade(run, { clusterCIDR: '10.244.0.0/16', bridge: 'k8ts0' });
    await syncMasquerade(run, { clusterCIDR: '10.244.0.0/16', bridge: 'k8ts0' });
    assert.deepEqual(await k8tsRules('nat'), [
      '-A POSTROUTING -m comment --comment "k8ts pod network" -j K8TS-POSTRTG',
      '-A K8TS-POSTRTG -s 10.244.0.0/16 ! -d 10.244.0.0/16 -m comment --comment "k8ts pod network on k8ts0" -j MASQUERADE --random-fully',
    ]);
    assert.deepEqual(await k8tsRules('filter'), [
      '-A FORWARD -m comment --comment "k8ts pod network" -j K8TS-FWD',
      '-A K8TS-FWD -s 10.244.0.0/16 -m comment --comment "k8ts pod network on k8ts0" -j ACCEPT',
      '-A K8TS-FWD -d 10.244.0.0/16 -m comment --comment "k8ts pod network on k8ts0" -j ACCEPT',
    ]);
  });

  it('replaces the rules of a cluster CIDR that changed', async () => {
    await syncMasquerade(run, { clusterCIDR: '10.245.0.0/16', bridge: 'k8ts0' });
    const nat = await k8tsRules('nat');
    assert.equal(nat.filter((l) => l.includes('10.244.')).length, 0, nat.join('\n'));
    assert.equal(nat.filter((l) => l.includes('10.245.0.0/16')).length, 1, nat.join('\n'));
    assert.equal((await k8tsRules('filter')).filter((l) => l.includes('10.244.')).length, 0);
  });

  it('keeps another node’s rules apart, and removes the chains with the last node’s rules', async () => {
    await syncMasquerade(run, { clusterCIDR: '10.246.0.0/16', bridge: 'k8tsother' });
    const reported: string[] = [];
    await cleanupMasquerade(run, 'k8ts0', (line) => reported.push(line));
    assert.equal(reported.length, 3, reported.join('\n'));
    const nat = await k8tsRules('nat');
    assert.equal(nat.length, 2, nat.join('\n'));
    assert.ok(nat[1]?.includes('k8tsother'));
    await cleanupMasquerade(run, 'k8tsother');
    assert.deepEqual(await k8tsRules('nat'), []);
    assert.deepEqual(await k8tsRules('filter'), []);
    assert.ok(!(await run('iptables-save', [])).includes('K8TS-'), 'a K8TS chain is left');
  });
});
