import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { hostCapacity, hostInfo, hostNodeName, osReleasePrettyName } from './host-node.js';

test('osReleasePrettyName reads PRETTY_NAME, quoted or not', () => {
  const cases: [string, string | undefined][] = [
    ['NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n', 'Debian GNU/Linux 12 (bookworm)'],
    ["PRETTY_NAME='Alpine Linux v3.19'\n", 'Alpine Linux v3.19'],
    ['PRETTY_NAME=Plain\n', 'Plain'],
    ['NAME=nothing\n', undefined],
  ];
  for (const [text, want] of cases) assert.equal(osReleasePrettyName(text), want, text);
});

test('the host as a node: a lowercase name, capacity as quantities, node info', async () => {
  assert.equal(hostNodeName(), hostNodeName().toLowerCase());
  const c = await hostCapacity(tmpdir());
  assert.equal(c.pods, '110');
  for (const q of [c.cpu, c.memory, c.ephemeralStorage]) assert.match(q, /^[1-9]\d*$/);
  const info = await hostInfo();
  assert.ok(info.kernelVersion && info.osImage && info.machineID);
});
