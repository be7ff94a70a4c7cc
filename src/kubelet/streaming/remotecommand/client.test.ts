import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { SpdyStream } from '../spdy/connection.js';
import { acceptSpdy } from '../spdy/upgrade.js';
import { streamRemoteCommand } from './client.js';
import { exitCodeStatus } from './protocol.js';

/** A streaming server like containerd's: stdout in 32 KiB writes, stderr, the status, then RST of every stream and GOAWAY. */
const server = createServer();
server.on('upgrade', (req, socket, head) => {
  const streams = new Map<string, SpdyStream>();
  const session = acceptSpdy(req, socket, head, ['v4.channel.k8s.io'], (s) => {
    streams.set(s.headers['streamtype'] ?? '', s);
    if (streams.size === 3) {
      setImmediate(async () => {
        const out = streams.get('stdout') as SpdyStream;
        const err = streams.get('stderr') as SpdyStream;
        out.write(Buffer.alloc(32768, 'a'));
        out.write(Buffer.alloc(32768, 'b'));
        err.end('warning\n');
        await new Promise<void>((resolve) => out.end(Buffer.alloc(1024, 'c'), () => resolve()));
        const error = streams.get('error') as SpdyStream;
        await new Promise<void>((resolve) => error.write(JSON.stringify(exitCodeStatus(3, ['x'])), () => resolve()));
        for (const st of streams.values()) st.destroy();
        await session?.connection.close();
      });
    }
    return undefined;
  });
});
let url = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function sink(delayMs: number) {
  let text = '';
  const w = new Writable({
    highWaterMark: 1024,
    write: (c: Buffer, _e, cb) => {
      text += c.toString();
      setTimeout(cb, delayMs);
    },
  });
  return { w, text: () => text };
}

describe('streamRemoteCommand', () => {
  for (const delay of [0, 2]) {
    it(`copies every byte of stdout and stderr before returning the status (consumer delay ${delay} ms)`, async () => {
      const out = sink(delay);
      const err = sink(delay);
      const status = await streamRemoteCommand(url, { stdout: out.w, stderr: err.w, tty: false });
      assert.equal(status.reason, 'NonZeroExitCode');
      assert.equal(out.text(), `${'a'.repeat(32768)}${'b'.repeat(32768)}${'c'.repeat(1024)}`);
      assert.equal(err.text(), 'warning\n');
    });
  }
});
