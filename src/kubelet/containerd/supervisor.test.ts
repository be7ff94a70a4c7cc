// Real processes: a private containerd under the supervisor, the images built here, a container
// on the conflist's network, containerd killed and restarted, and nothing left after stop.
// Needs root and Debian's containerd, runc, containernetworking-plugins, iptables, busybox-static.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { get } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { bridgeConflist } from '../cni/conflist.js';
import { runCommand } from '../command.js';
import { listImages } from '../images/import.js';
import { mountPointsUnder } from '../mounts.js';
import { ctr } from './ctr.js';
import { containerdLayout } from './config.js';
import { type ContainerdError, ContainerdSupervisor } from './supervisor.js';
import { containerdUnavailable, startTestContainerd, type TestContainerd } from './testing/test-containerd.js';

// A stand-in containerd (a Node script) for the supervisor's own logic, anywhere: it listens on
// the socket named in the config, or first exits (mode "fail") or ignores SIGTERM ("stubborn").
const FAKE = `
import { createServer } from 'node:net';
import { readFileSync, rmSync } from 'node:fs';
const config = readFileSync(process.argv[process.argv.indexOf('--config') + 1], 'utf8');
const socket = /address = "(.*)"/.exec(config)[1];
const mode = /# mode = (\\w+)/.exec(config)?.[1];
if (mode === 'fail') { console.error('level=fatal msg="boom"'); process.exit(3); }
if (mode === 'stubborn') process.on('SIGTERM', () => {});
rmSync(socket, { force: true });
createServer().listen(socket);
`;

describe('ContainerdSupervisor with a stand-in containerd', () => {
  let dir: string;
  let binary: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-sup-'));
    await writeFile(join(dir, 'fake.mjs'), FAKE);
    binary = join(dir, 'containerd');
    await writeFile(binary, `#!/bin/sh\nexec "${process.execPath}" "${join(dir, 'fake.mjs')}" "$@"\n`);
    await chmod(binary, 0o755);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function setup(name: string, mode = 'serve') {
    const layout = containerdLayout(join(dir, name));
    await mkdir(layout.dir);
    await writeFile(layout.config, `# mode = ${mode}\n[grpc]\n  address = "${layout.socket}"\n`);
    const logs: string[] = [];
    const options = { layout, binary, log: (m: string) => logs.push(m), backoff: { initialMs: 20, maxMs: 40 }, stopTimeoutMs: 300 };
    return { layout, logs, options };
  }

  it('restarts a containerd that dies, with a doubling delay up to the maximum', async () => {
    const { logs, options } = await setup('restart');
    const supervisor = new ContainerdSupervisor(options);
    await supervisor.start();
    try {
      for (const delay of [20, 40, 40]) {
        const pid = supervisor.pid;
        assert.ok(pid);
        process.kill(pid, 'SIGKILL');
        await until('a restart', async () => supervisor.pid !== undefined && supervisor.pid !== pid);
        await supervisor.ready();
        assert.ok(logs.includes(`containerd (pid ${pid}) exited (SIGKILL); restarting in ${delay} ms`), logs.join('\n'));
      }
    } finally {
      await supervisor.stop();
    }
    assert.equal(supervisor.pid, undefined);
    await assert.rejects(supervisor.ready(), { code: 'ContainerdStopped' });
  });

  it('fails to start with the end of the log when containerd exits before it answers', async () => {
    const { options, layout } = await setup('fail', 'fail');
    await assert.rejects(new ContainerdSupervisor(options).start(), (err: ContainerdError) => {
      assert.equal(err.code, 'ContainerdNotReady');
      assert.match(err.message, /exited before it answered.*\n.*msg="boom"/s);
      return true;
    });
    await assert.rejects(stat(layout.pidFile), { code: 'ENOENT' });
  });

  it('kills a containerd that ignores SIGTERM once the grace period is over', async () => {
    const { options, logs } = await setup('stubborn', 'stubborn');
    const supervisor = new ContainerdSupervisor(options);
    await supervisor.start();
    const pid = supervisor.pid;
    await supervisor.stop();
    assert.ok(logs.includes(`containerd (pid ${pid}) did not stop within its grace period; killing it`), logs.join('\n'));
    assert.equal(supervisor.pid, undefined);
  });

  it('stops when its signal is aborted', async () => {
    const { options } = await setup('abort');
    const controller = new AbortController();
    const supervisor = new ContainerdSupervisor({ ...options, signal: controller.signal });
    await supervisor.start();
    const pid = supervisor.pid;
    controller.abort();
    await supervisor.stop();
    // Gone, or a zombie not yet reaped (its cmdline is empty).
    assert.equal(await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''), '');
  });

  it('kills the containerd an earlier agent left running with the same config, and starts its own', async () => {
    const { options, logs, layout } = await setup('stray');
    const stray = spawn(binary, ['--config', layout.config], { detached: true, stdio: 'ignore' });
    await until('the stray to answer', async () => (await stat(layout.socket).catch(() => undefined)) !== undefined);
    await writeFile(layout.pidFile, `${stray.pid}\n`);
    const exited = once(stray, 'exit');
    const supervisor = new ContainerdSupervisor(options);
    await supervisor.start();
    try {
      assert.deepEqual(await exited, [null, 'SIGKILL']);
      assert.ok(logs.includes(`killed containerd (pid ${stray.pid}) left running by an earlier agent`), logs.join('\n'));
      assert.notEqual(supervisor.pid, stray.pid);
      assert.equal((await readFile(layout.pidFile, 'utf8')).trim(), String(supervisor.pid));
    } finally {
      await supervisor.stop();
    }
  });
});

const skip = await containerdUnavailable();

/** Runs a conflist's plugins in order for ADD, as containerd's CRI plugin does, and returns the last result. */
async function cniAdd(conflist: ReturnType<typeof bridgeConflist>, id: string, netns: string, portMappings: unknown[]) {
  let prevResult: unknown;
  for (const plugin of conflist.plugins) {
    const config = { cniVersion: conflist.cniVersion, name: conflist.name, ...plugin, prevResult, runtimeConfig: { portMappings } };
    const child = spawn(join('/usr/lib/cni', String(plugin.type)), {
      env: { ...process.env, CNI_COMMAND: 'ADD', CNI_CONTAINERID: id, CNI_NETNS: netns, CNI_IFNAME: 'eth0', CNI_PATH: '/usr/lib/cni' },
    });
    child.stdin.end(JSON.stringify(config));
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const [code] = await once(child, 'close');
    assert.equal(code, 0, `${plugin.type} ADD: ${out}`);
    prevResult = JSON.parse(out);
  }
  return prevResult as { ips: { address: string }[] };
}

function fetchText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** PIDs whose command line mentions `text`. */
async function processesMentioning(text: string): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(text)) out.push(Number(entry));
  }
  return out;
}

describe('ContainerdSupervisor with a real containerd', { skip }, () => {
  let ctd: TestContainerd;
  const opts = () => ({ address: ctd.socket });
  const runcRoot = () => ['--runc-root', join(ctd.layout.state, 'runc')];
  const taskStatus = async (id: string) =>
    (await ctr(['tasks', 'ls'], opts()))
      .split('\n')
      .find((l) => l.startsWith(`${id} `))
      ?.trim()
      .split(/\s+/)[2];

  before(async () => {
    ctd = await startTestContainerd();
  });
  after(() => ctd?.stop());

  it('answers ctr and holds the images built here', async () => {
    assert.match(await ctr(['version'], opts()), /Server:\s+Version:\s+1\./);
    const images = await listImages(opts());
    for (const image of [ctd.images.pause, ctd.images.busybox]) assert.ok(images.includes(image.name), `${image.name} in ${images}`);
  });

  it('runs a container from the busybox image', async () => {
    const script = 'echo hello from busybox; id -u; grep -c :65534: /etc/passwd; test -d /tmp && echo tmp';
    const out = await ctr(['run', '--rm', '--net-host', ...runcRoot(), ctd.images.busybox.name, 'hello', 'sh', '-c', script], opts());
    assert.deepEqual(out.trim().split('\n'), ['hello from busybox', '0', '1', 'tmp']);
  });

  it('the pause image sleeps until SIGTERM, then exits 0', async () => {
    await ctr(['run', '-d', '--net-host', ...runcRoot(), ctd.images.pause.name, 'pause'], opts());
    await sleep(300);
    assert.equal(await taskStatus('pause'), 'RUNNING');
    await ctr(['tasks', 'kill', '--signal', 'SIGTERM', 'pause'], opts());
    await until('pause to stop', async () => (await taskStatus('pause')) === 'STOPPED', 5_000);
    const { stdout, stderr } = await runCommand('ctr', ['--address', ctd.socket, '-n', 'k8s.io', 'tasks', 'rm', 'pause']);
    assert.doesNotMatch(stdout + stderr, /exit status [1-9]/);
    await ctr(['containers', 'rm', 'pause'], opts());
  });

  it('puts a container on the conflist network: bridge, an address in the subnet reachable from the host, a hostPort DNAT rule', async () => {
    const pidFile = join(ctd.dir, 'web.pid');
    await ctr(
      ['run', '-d', ...runcRoot(), '--pid-file', pidFile, ctd.images.busybox.name, 'web', 'httpd', '-f', '-p', '8080', '-h', '/etc'],
      opts(),
    );
    const pid = Number(await readFile(pidFile, 'utf8'));
    const conflist = JSON.parse(await readFile(join(ctd.layout.cniConfDir, '10-k8ts.conflist'), 'utf8'));
    const hostPort = 40_000 + Math.floor(Math.random() * 10_000);
    const result = await cniAdd(conflist, 'web', `/proc/${pid}/ns/net`, [{ hostPort, containerPort: 8080, protocol: 'tcp' }]);
    const ip = result.ips[0]?.address.split('/')[0] ?? '';
    assert.ok(ip.startsWith(ctd.subnet.replace(/0\/24$/, '')), `${ip} in ${ctd.subnet}`);
    assert.match((await runCommand('ip', ['-o', 'link', 'show', ctd.bridge])).stdout, /UP/);
    assert.match(await fetchText(`http://${ip}:8080/passwd`), /^root:x:0:0/);
    assert.match(
      (await runCommand('iptables-save', ['-t', 'nat'])).stdout,
      new RegExp(`dport ${hostPort} -j DNAT --to-destination ${ip}:8080`),
    );
    // No CNI DEL: stop() must remove what the plugins made.
  });

  it('restarts containerd killed with SIGKILL; containers run on', async () => {
    const first = ctd.supervisor.pid;
    assert.ok(first);
    process.kill(first, 'SIGKILL');
    await until('a new containerd', async () => ctd.supervisor.pid !== undefined && ctd.supervisor.pid !== first);
    await ctd.supervisor.ready();
    assert.equal(await taskStatus('web'), 'RUNNING');
  });

  it('stop({ keepContainers: true }) leaves containers for the next supervisor to adopt', async () => {
    await ctd.supervisor.stop({ keepContainers: true });
    const next = new ContainerdSupervisor({ layout: ctd.layout });
    await next.start();
    try {
      assert.equal(await taskStatus('web'), 'RUNNING');
    } finally {
      await next.stop();
    }
    assert.deepEqual(await processesMentioning('httpd'), []);
  });

  it('stop() leaves no process, mount, bridge, iptables rule or directory', async () => {
    const { dir, bridge, subnet } = ctd;
    await ctd.stop();
    assert.deepEqual(await processesMentioning(dir), [], 'processes of this containerd');
    assert.deepEqual(await mountPointsUnder(dir), []);
    await assert.rejects(stat(dir), { code: 'ENOENT' });
    assert.doesNotMatch((await runCommand('ip', ['-o', 'link'])).stdout, new RegExp(`${bridge}\\b`));
    const rules = (await runCommand('iptables-save', [])).stdout;
    assert.ok(!rules.includes(bridge) && !rules.includes(subnet.replace(/0\/24$/, '')), `iptables still mentions ${bridge} or ${subnet}`);
  });
});
