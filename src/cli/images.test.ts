import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseImagesFlags } from './images.js';
import { defaultDataDir } from './server-flags.js';

describe('k8ts images flags', () => {
  it('imports files into the containerd under the data dir', () => {
    assert.deepEqual(parseImagesFlags(['import', 'a.tar', 'b.tar', '--data-dir', '/d']), {
      command: 'import',
      files: ['a.tar', 'b.tar'],
      socket: '/d/agent/containerd/containerd.sock',
    });
  });

  it('lists through the default data dir, as the server’s', () => {
    assert.deepEqual(parseImagesFlags(['list']), {
      command: 'list',
      files: [],
      socket: `${defaultDataDir()}/agent/containerd/containerd.sock`,
    });
  });

  it('takes another socket from --container-runtime-endpoint', () => {
    assert.equal(
      parseImagesFlags(['list', '--container-runtime-endpoint', 'unix:///run/containerd/containerd.sock']).socket,
      '/run/containerd/containerd.sock',
    );
  });

  const bad: [string[], RegExp][] = [
    [[], /want "import FILE…" or "list", got ""/],
    [['pull', 'x'], /want "import FILE…" or "list", got "pull"/],
    [['import'], /images import: no FILE given/],
    [['list', 'extra'], /images list: unexpected argument "extra"/],
    [['list', '--container-runtime-endpoint', 'tcp://1.2.3.4:1'], /--container-runtime-endpoint: want unix:\/\/\/path/],
    [['list', '--container-runtime-endpoint', 'unix://relative.sock'], /--container-runtime-endpoint: want unix:\/\/\/path/],
    [['list', '--data-dir', '/d', '--container-runtime-endpoint', 'unix:///s'], /not both/],
    [['list', '--data-dir', `/${'x'.repeat(120)}`], /longer than/],
    [['list', '--bogus'], /Unknown option '--bogus'/],
  ];
  for (const [argv, want] of bad) {
    it(`rejects ${argv.join(' ') || '(nothing)'}`, () => assert.throws(() => parseImagesFlags(argv), want));
  }
});
