import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCommand } from '../command.js';
import { canLowerOOMScoreAdj, containerdConfig, containerdLayout, writeContainerdConfig } from './config.js';

const layout = containerdLayout('/data/agent/containerd');

describe('containerdLayout', () => {
  it('keeps everything under the dir', () => {
    assert.deepEqual(layout, {
      dir: '/data/agent/containerd',
      config: '/data/agent/containerd/config.toml',
      root: '/data/agent/containerd/root',
      state: '/data/agent/containerd/state',
      socket: '/data/agent/containerd/containerd.sock',
      log: '/data/agent/containerd/containerd.log',
      pidFile: '/data/agent/containerd/containerd.pid',
      cniConfDir: '/data/agent/containerd/cni/net.d',
      cniDataDir: '/data/agent/containerd/cni/ipam',
    });
  });

  it('refuses a dir whose socket path is too long for a unix socket', () => {
    assert.throws(() => containerdLayout(`/${'d'.repeat(90)}`), /longer than 101 bytes/);
  });
});

describe('containerdConfig', () => {
  const toml = containerdConfig(layout, { sandboxImage: 'registry.k8s.io/pause:3.9-k8ts', restrictOOMScoreAdj: true });
  const CRI = '[plugins."io.containerd.grpc.v1.cri"';

  for (const [what, line] of [
    ['version 2', 'version = 2'],
    ['the root', 'root = "/data/agent/containerd/root"'],
    ['the state', 'state = "/data/agent/containerd/state"'],
    ['the CRI plugin required', 'required_plugins = ["io.containerd.grpc.v1.cri"]'],
    ['the socket', 'address = "/data/agent/containerd/containerd.sock"'],
    ['the sandbox image', 'sandbox_image = "registry.k8s.io/pause:3.9-k8ts"'],
    ['network namespaces under the state dir', 'netns_mounts_under_state_dir = true'],
    ['oom_score_adj clamped when asked', 'restrict_oom_score_adj = true'],
    ['overlayfs', 'snapshotter = "overlayfs"'],
    ['runc as the runtime', `${CRI}.containerd.runtimes.runc]`],
    ['runc v2 shims', 'runtime_type = "io.containerd.runc.v2"'],
    ["runc's state under the state dir", 'Root = "/data/agent/containerd/state/runc"'],
    ["Debian's CNI plugins", 'bin_dir = "/usr/lib/cni"'],
    ['our CNI conf dir', 'conf_dir = "/data/agent/containerd/cni/net.d"'],
  ]) {
    it(`has ${what}`, () =>
      assert.ok(
        toml.split('\n').some((l) => l.trim() === line),
        `no line ${line} in\n${toml}`,
      ));
  }

  it('disables the opt plugin, which would write /opt/containerd', () => {
    assert.match(toml, /^disabled_plugins = \[.*"io\.containerd\.internal\.v1\.opt".*\]$/m);
  });

  it('quotes paths as TOML strings', () => {
    const odd = containerdConfig(containerdLayout('/data/a "b"\\c'), { sandboxImage: 'p' });
    assert.ok(odd.includes('root = "/data/a \\"b\\"\\\\c/root"'));
  });
});

describe('writeContainerdConfig', () => {
  it('makes the dirs and writes a config containerd itself accepts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-ctdcfg-'));
    try {
      const l = containerdLayout(dir);
      await writeContainerdConfig(l, { sandboxImage: 'registry.k8s.io/pause:3.9-k8ts' });
      for (const d of [l.root, l.state, l.cniConfDir, l.cniDataDir]) assert.ok((await stat(d)).isDirectory(), d);
      const toml = await readFile(l.config, 'utf8');
      assert.ok(toml.includes(`restrict_oom_score_adj = ${!(await canLowerOOMScoreAdj())}`));
      if (existsSync('/usr/bin/containerd')) {
        // containerd merges our file over its defaults; what it prints is what it would run with.
        const { stdout } = await runCommand('containerd', ['--config', l.config, 'config', 'dump']);
        assert.match(stdout, new RegExp(`conf_dir = "${l.cniConfDir}"`));
        assert.match(stdout, /netns_mounts_under_state_dir = true/);
        assert.match(stdout, new RegExp(`Root = "${l.state}/runc"`));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
