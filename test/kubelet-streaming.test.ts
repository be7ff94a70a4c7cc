/**
 * exec, attach, cp and port-forward end to end on a real node (k8ts server --runtime containerd):
 * every kubectl 1.27–1.33 — SPDY for exec up to 1.29, WebSocket v5 from 1.30; port-forward over
 * SPDY up to 1.30, SPDY tunnelled in WebSocket from 1.31 — through the apiserver's upgrade proxy to the kubelet, which bridges them to
 * containerd's streaming server; output, stdin, exit codes, a tty, attach, cp both ways,
 * port-forward to a busybox httpd, and one exec and one port-forward (v4 channels) from @kubernetes/client-node;
 * `attach -i` feeding a container's stdin, and a terminal resize (channel 4 of WebSocket v5) that
 * the container's `stty size` sees.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Exec, KubeConfig, PortForward } from '@kubernetes/client-node';
import { WebSocket } from 'ws';
import { BUSYBOX_IMAGE } from '../src/kubelet/images/busybox-image.js';
import type { KubeObject } from '../src/machinery/object.js';
import { readKubeconfig } from './support/http.js';
import { type Kubectl, kubectl, kubectlBinary, ok } from './support/kubectl.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';
import { eventually } from './support/wait.js';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const NODE = 'k8ts-stream-node';
const VERSIONS = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'] as const;

const skip = await realNodeUnavailableForTests();
let node: RealNodeServer | undefined;
let dir = '';
let kubectls: Kubectl[] = [];

function pod(name: string, container: Obj): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'c', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', ...container }],
    },
  };
}

async function running(name: string): Promise<boolean> {
  const p = await (node as RealNodeServer).client.resource(PODS).get('default', name);
  return ((p['status'] ?? {}) as Obj)['phase'] === 'Running';
}

before(async () => {
  if (skip) return;
  node = await startRealNodeServer({ nodeName: NODE, clusterCIDR: '10.252.0.0/16' });
  dir = await mkdtemp(join(tmpdir(), 'k8ts-stream-'));
  kubectls = VERSIONS.map((v) => kubectl(v, node?.server.kubeconfig ?? '', join(dir, `cache-${v}`)));
  const pods = node.client.resource(PODS);
  await pods.create('default', pod('shell', { command: ['sleep', '3600'] }));
  await pods.create('default', pod('ticker', { command: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.3; done'] }));
  const web = 'mkdir -p /www && echo hello through the tunnel > /www/index.html && exec httpd -f -p 8080 -h /www';
  await pods.create('default', pod('web', { command: ['sh', '-c', web], ports: [{ containerPort: 8080 }] }));
  await pods.create('default', pod('echoer', { stdin: true, command: ['sh', '-c', 'while read line; do echo got $line; done'] }));
  for (const name of ['shell', 'ticker', 'web', 'echoer']) await eventually(`pod ${name} running`, () => running(name), 90_000);
});

after(async () => {
  if (!node) return;
  if (dir) await rm(dir, { recursive: true, force: true });
  assert.deepEqual(await node.stop(), [], 'the test left these behind');
});

/** Runs `kubectl port-forward`, fetches through the local port it prints, and stops it. */
async function fetchThroughPortForward(version: (typeof VERSIONS)[number]): Promise<string> {
  const child = spawn(kubectlBinary(version), [
    '--kubeconfig',
    (node as RealNodeServer).server.kubeconfig,
    '--cache-dir',
    join(dir, `cache-${version}`),
    'port-forward',
    'pod/web',
    ':8080',
  ]);
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    out += c.toString();
  });
  try {
    let port = '';
    await eventually(
      `kubectl ${version} port-forward listening`,
      () => {
        port = /Forwarding from 127\.0\.0\.1:(\d+) -> 8080/.exec(out)?.[1] ?? '';
        return port !== '';
      },
      20_000,
    );
    const bodies: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(10_000) });
      bodies.push(await res.text());
    }
    assert.equal(bodies[0], bodies[1], 'two connections through one forward');
    return bodies[0] as string;
  } finally {
    child.kill();
    await new Promise((resolve) => child.once('close', resolve));
  }
}

describe('exec, attach, cp and port-forward through the kubelet', { skip, timeout: 240_000 }, () => {
  for (const [i, version] of VERSIONS.entries()) {
    it(`kubectl ${version} exec: output, stderr, stdin and the exit code`, async () => {
      const k = kubectls[i] as Kubectl;
      assert.equal(ok(await k(['exec', 'shell', '--', 'echo', 'hello', 'exec']), 'exec echo'), 'hello exec\n');
      const both = await k(['exec', 'shell', '--', 'sh', '-c', 'echo out; echo err >&2']);
      assert.equal(both.code, 0, both.stderr);
      assert.equal(both.stdout, 'out\n');
      assert.match(both.stderr, /^err$/m);
      const piped = await k(['exec', '-i', 'shell', '--', 'sh', '-c', 'cat; echo done'], { input: 'line one\nline two\n' });
      assert.equal(ok(piped, 'exec -i cat'), 'line one\nline two\ndone\n');
      const exit = await k(['exec', 'shell', '--', 'sh', '-c', 'exit 3']);
      assert.equal(exit.code, 3, `${exit.stdout}${exit.stderr}`);
      assert.match(exit.stderr, /command terminated with exit code 3/);
      const missing = await k(['exec', 'shell', '-c', 'nope', '--', 'true']);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /container nope is not valid for pod shell|container not found/);
    });

    it(`kubectl ${version} port-forward reaches the pod's port`, async () => {
      assert.equal(await fetchThroughPortForward(version), 'hello through the tunnel\n');
    });
  }

  it('kubectl exec -it gets a terminal (under script(1)) and kubectl attach streams the container’s output', async () => {
    const k = kubectls[VERSIONS.indexOf('1.33')] as Kubectl;
    const kubeconfig = (node as RealNodeServer).server.kubeconfig;
    const cmd = `${kubectlBinary('1.33')} --kubeconfig ${kubeconfig} exec -it shell -- tty`;
    const tty = await new Promise<string>((resolve) => {
      const child = spawn('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, COLUMNS: '91', LINES: '37' } });
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
      });
      child.once('close', () => resolve(out));
      child.stdin.end();
    });
    assert.match(tty, /\/dev\/pts\/\d+/);

    const attached = await k(['attach', 'ticker'], { timeoutMs: 3_000 });
    assert.match(attached.stdout, /^tick \d+$/m, attached.stderr);
  });

  it('kubectl attach -i feeds the container’s stdin', async () => {
    // stdin stays open: containerd ends an attach whose stdin closes (stdinOnce false), maybe before the answer
    for (const version of ['1.27', '1.33'] as const) {
      const child = spawn(kubectlBinary(version), ['--kubeconfig', (node as RealNodeServer).server.kubeconfig, 'attach', '-i', 'echoer']);
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
      });
      child.stderr.on('data', (c: Buffer) => {
        out += c.toString();
      });
      try {
        await eventually(
          `kubectl ${version} attach -i: the container answers`,
          () => {
            child.stdin.write(`hello ${version}\n`);
            return out.includes(`got hello ${version}\n`);
          },
          15_000,
          500,
        );
      } finally {
        child.kill();
        await new Promise((resolve) => child.once('close', resolve));
      }
    }
  });

  it('kubectl exec -it sends its terminal’s size: 1.27 on the SPDY resize stream, 1.33 on channel 4', async () => {
    const kubeconfig = (node as RealNodeServer).server.kubeconfig;
    for (const version of ['1.27', '1.33'] as const) {
      // script(1)'s terminal gets a size, which kubectl sends as its first resize. containerd applies
      // resizes only once the process started (as upstream's CRI plugin does), so the command waits
      // until its terminal has a size; script's stdin stays open (a tty whose stdin closes hangs up)
      // (busybox stty prints nothing and exits 0 on a terminal without a size)
      const wait = 'until s=$(stty size 2>/dev/null) && [ -n "$s" ]; do sleep 0.1; done; echo "$s"';
      const cmd = `stty rows 37 cols 91; ${kubectlBinary(version)} --kubeconfig ${kubeconfig} exec -it shell -- sh -c '${wait}'`;
      const child = spawn('script', ['-qec', cmd, '/dev/null']);
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
      });
      const closed = new Promise((resolve) => child.once('close', resolve));
      await eventually(`kubectl ${version}: stty size`, () => /\b37 91\r?$/m.test(out) || child.exitCode !== null, 15_000).finally(() => {
        child.stdin.end();
      });
      await closed;
      assert.match(out, /\b37 91\r?$/m, `kubectl ${version}: ${JSON.stringify(out)}`);
    }
  });

  it('a resize on channel 4 (exec -it over WebSocket v5) reaches the container’s terminal', async () => {
    const tls = readKubeconfig((node as RealNodeServer).server.kubeconfig);
    const query = new URLSearchParams({ container: 'c', stdin: 'true', stdout: 'true', tty: 'true' });
    for (const arg of ['sh', '-c', 'while read line; do stty size; done']) query.append('command', arg);
    const url = `${tls.server.replace(/^https/, 'wss')}/api/v1/namespaces/default/pods/shell/exec?${query}`;
    const ws = new WebSocket(url, ['v5.channel.k8s.io'], { ca: tls.ca, cert: tls.cert, key: tls.key });
    let output = '';
    ws.on('message', (data: Buffer) => {
      if (data[0] === 1) output += data.subarray(1).toString();
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    assert.equal(ws.protocol, 'v5.channel.k8s.io');
    const send = (channel: number, text: string) => ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(text)]));
    try {
      for (const [width, height] of [
        [91, 37],
        [132, 50],
      ] as const) {
        send(4, JSON.stringify({ Width: width, Height: height }));
        await eventually(
          `stty size says ${height} ${width}`,
          () => {
            send(0, '\r');
            return output.includes(`${height} ${width}`);
          },
          10_000,
          300,
        );
      }
    } finally {
      ws.close();
    }
  });

  it('kubectl cp copies into and out of a container', async () => {
    const k = kubectls[0] as Kubectl;
    const local = join(dir, 'upload.txt');
    const content = `${'payload line\n'.repeat(5000)}end\n`;
    await writeFile(local, content);
    ok(await k(['cp', local, 'default/shell:/tmp/upload.txt']), 'cp into the pod');
    assert.equal(
      ok(await k(['exec', 'shell', '--', 'wc', '-c', '/tmp/upload.txt']), 'wc')
        .trim()
        .split(/\s+/)[0],
      String(content.length),
    );
    for (const [i, version] of VERSIONS.entries()) {
      const back = join(dir, `download-${version}.txt`);
      ok(await (kubectls[i] as Kubectl)(['cp', 'default/shell:/tmp/upload.txt', back]), `kubectl ${version} cp out of the pod`);
      assert.equal(await readFile(back, 'utf8'), content);
    }
  });

  it('@kubernetes/client-node Exec runs a command over WebSocket', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile((node as RealNodeServer).server.kubeconfig);
    let stdout = '';
    const sink = new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        stdout += chunk.toString();
        cb();
      },
    });
    const status = await new Promise<Obj>((resolve, reject) => {
      new Exec(kc)
        .exec('default', 'shell', 'c', ['sh', '-c', 'echo from client-node; exit 0'], sink, null, null, false, (s) => resolve(s as Obj))
        .catch(reject);
    });
    assert.equal(status['status'], 'Success');
    await eventually('the output', () => stdout === 'from client-node\n', 5_000);
  });

  it('@kubernetes/client-node PortForward reaches the pod’s port over v4 channels', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile((node as RealNodeServer).server.kubeconfig);
    let response = '';
    const output = new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        response += chunk.toString();
        cb();
      },
    });
    const input = new PassThrough();
    const ws = await new PortForward(kc).portForward('default', 'web', [8080], output, null, input);
    input.write('GET / HTTP/1.0\r\n\r\n');
    try {
      await eventually('the HTTP response', () => response.includes('hello through the tunnel'), 10_000);
    } finally {
      (ws as { close(): void }).close();
    }
    assert.match(response, /^HTTP\/1\.[01] 200 OK/);
  });
});
