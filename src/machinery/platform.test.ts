import assert from 'node:assert/strict';
import { test } from 'node:test';
import { componentUserAgent, hostPlatform } from './platform.js';

test('the platform and user agent name the machine in Go’s words', () => {
  const { os, architecture } = hostPlatform();
  assert.equal(os, 'linux');
  assert.notEqual(architecture, 'x64');
  assert.match(componentUserAgent('kubelet'), new RegExp(`^kubelet/v1\\.33\\.0-k8ts \\(linux/${architecture}\\) kubernetes/k8ts$`));
});
