import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAgentFlags } from './agent-flags.js';
import { parseHealthzBindAddress } from './proxy-flags.js';
import { parseServerFlags } from './server-flags.js';

test('--healthz-bind-address: 0.0.0.0:10256 by default, port 0 picks one, empty disables', () => {
  assert.deepEqual(parseHealthzBindAddress(undefined), { host: '0.0.0.0', port: 10256 });
  assert.deepEqual(parseHealthzBindAddress('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
  assert.equal(parseHealthzBindAddress(''), undefined);
  assert.throws(() => parseHealthzBindAddress('10256'), /--healthz-bind-address: want IPv4:PORT/);
  assert.throws(() => parseHealthzBindAddress('1.2.3:80'), /--healthz-bind-address/);
  assert.deepEqual(parseServerFlags(['--healthz-bind-address', '127.0.0.1:10266']).healthzBindAddress, { host: '127.0.0.1', port: 10266 });
  const agent = parseAgentFlags(['--runtime', 'containerd', '--kubeconfig', 'k', '--healthz-bind-address', '']);
  assert.equal(agent.runtime === 'containerd' && agent.healthzBindAddress, undefined);
  assert.throws(() => parseAgentFlags(['--kubeconfig', 'k', '--healthz-bind-address', '']), /does not apply to --runtime fake/);
});
