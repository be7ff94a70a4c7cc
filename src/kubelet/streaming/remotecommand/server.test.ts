import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { simulateExec } from '../../runtime/fake/fake-exec.js';
import { streamRemoteCommand } from './client.js';
import { remoteCommandOptions } from './options.js';
import { exitCodeStatus, type RemoteCommandStatus, successStatus } from './protocol.js';
import { acceptRemoteCommand } from './server.js';

/** A remotecommand server running simulated commands (the fake runtime's). */
const server = createServer((_req, res) => res.writeHead(404).end());
server.on('upgrade', async (req, socket, head) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const options = remoteCommandOptions(url.searchParams);
  const session = await acceptRemoteCommand({ req, socket, head }, options);
  if (!session) return;
  const code = await simulateExec(options.command, session.io, 'host');
  await session.finish(code === 0 ? successStatus() : exitCodeStatus(code, options.command));
});
let base = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const query = (cmd: string[], streams: string) =>
  `/exec?${[...cmd.map((c) => `command=${encodeURIComponent(c)}`), ...streams.split(',').map((s) => `${s}=true`)].join('&')}`;

function collector() {
  let text = '';
  const stream = new Writable({
    write: (c: Buffer, _e, cb) => {
      text += c.toString();
      cb();
    },
  });
  return { stream, text: () => text };
}

/** Runs a command over WebSocket channels; returns what came on each channel and whether the server closed with 1000. */
function wsExec(protocol: string, path: string, stdin?: string) {
  return new Promise<{ channels: Record<number, string>; code: number }>((resolve, reject) => {
    const ws = new WebSocket(`ws://${base}${path}`, [protocol]);
    const channels: Record<number, string> = {};
    ws.on('open', () => {
      if (stdin !== undefined) {
        ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(stdin)]));
        ws.send(Buffer.from([255, 0]));
      }
    });
    ws.on('message', (data: Buffer) => {
      const ch = data[0] as number;
      channels[ch] = (channels[ch] ?? '') + data.subarray(1).toString();
    });
    ws.on('close', (code) => resolve({ channels, code }));
    ws.on('error', reject);
  });
}

describe('remotecommand server', () => {
  it('SPDY v4: stdout, stdin half-closed by the client, and the NonZeroExitCode status', async () => {
    const out = collector();
    const ok = await streamRemoteCommand(`http://${base}${query(['cat'], 'stdin,stdout,stderr')}`, {
      stdin: Readable.from([Buffer.from('piped\n')]),
      stdout: out.stream,
      stderr: collector().stream,
      tty: false,
    });
    assert.deepEqual(ok, successStatus());
    assert.equal(out.text(), 'piped\n');
    const failed: RemoteCommandStatus = await streamRemoteCommand(`http://${base}${query(['sh', '-c', 'exit 3'], 'stdout')}`, {
      stdout: collector().stream,
      tty: false,
    });
    assert.equal(failed.reason, 'NonZeroExitCode');
    assert.deepEqual(failed.details?.causes, [{ reason: 'ExitCode', message: '3' }]);
  });

  it('WebSocket v5: the close signal ends stdin, the status comes on channel 3, then close 1000', async () => {
    const got = await wsExec('v5.channel.k8s.io', query(['cat'], 'stdin,stdout'), 'over ws\n');
    assert.equal(got.channels[1], 'over ws\n');
    assert.deepEqual(JSON.parse(got.channels[3] ?? ''), successStatus());
    assert.equal(got.code, 1000);
  });

  it('WebSocket v4: stderr on channel 2 and the exit code status', async () => {
    const got = await wsExec('v4.channel.k8s.io', query(['nope'], 'stdout,stderr'));
    assert.equal(got.channels[2], 'sh: nope: not found\n');
    assert.equal(JSON.parse(got.channels[3] ?? '').details.causes[0].message, '127');
  });

  it('answers 400 when no stream is asked for', () => {
    assert.throws(() => remoteCommandOptions(new URLSearchParams('command=true')), /at least 1 of stdin, stdout, stderr/);
  });
});
