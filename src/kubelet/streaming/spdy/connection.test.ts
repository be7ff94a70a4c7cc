import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { SpdyStream } from './connection.js';
import { acceptSpdy, dialSpdy } from './upgrade.js';

/** All of a stream's data (events, not async iteration: that destroys a Duplex at the end of reading). */
function text(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString()));
    stream.on('error', reject);
  });
}

/** A server whose streams echo what they read, upper-cased, then half-close. */
const server = createServer((_req, res) => res.writeHead(404).end());
server.on('upgrade', (req, socket, head) => {
  acceptSpdy(req, socket, head, ['v2.test', 'v1.test'], (stream: SpdyStream) => {
    if (stream.headers['streamtype'] === 'refuse') return false;
    void text(stream).then((s) => stream.end(s.toUpperCase()));
    return undefined;
  });
});
let url = '';

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('SPDY/3.1 connection', () => {
  it('negotiates the client’s first shared protocol and round-trips streams larger than the window, half-closed', async () => {
    const { connection, protocol } = await dialSpdy(url, ['v3.test', 'v1.test', 'v2.test']);
    assert.equal(protocol, 'v1.test');
    const big = 'x'.repeat(300_000);
    const streams = await Promise.all([connection.openStream({ streamType: 'a' }), connection.openStream({ streamType: 'b' })]);
    assert.deepEqual(
      streams.map((s) => s.id),
      [1, 3],
    );
    const [a, b] = streams as [SpdyStream, SpdyStream];
    a.end(big);
    b.end('hello');
    assert.equal(await text(b), 'HELLO');
    assert.equal((await text(a)).length, big.length);
    await connection.close();
    await connection.closed;
  });

  it('rejects a refused stream and says 403 with the accepted protocols when none is shared', async () => {
    const { connection } = await dialSpdy(url, ['v1.test']);
    await assert.rejects(connection.openStream({ streamType: 'refuse' }), /refused/);
    connection.destroy();
    await assert.rejects(dialSpdy(url, ['v9.test']), /403: unable to upgrade: unable to negotiate protocol/);
  });
});
