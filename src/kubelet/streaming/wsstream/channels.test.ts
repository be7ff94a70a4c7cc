import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { CLOSE_CHANNEL, WebSocketChannels } from './channels.js';

/** A server-side WebSocketChannels and the client WebSocket talking to it, on loopback. */
async function pair(closeSignal: boolean): Promise<{ channels: WebSocketChannels; client: WebSocket; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  const accepted = once(wss, 'connection') as Promise<[WebSocket]>;
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  await once(client, 'open');
  const [server] = await accepted;
  return {
    channels: new WebSocketChannels(server, closeSignal),
    client,
    close: async () => {
      client.close();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

describe('WebSocketChannels', () => {
  it('keeps what a client sends on a channel before its reader is asked for', { timeout: 5_000 }, async () => {
    const p = await pair(true);
    p.client.send(Buffer.from([0, ...Buffer.from('early ')]));
    p.client.send(Buffer.from([2, ...Buffer.from('other')]));
    p.client.send(Buffer.from([0, ...Buffer.from('data')]));
    p.client.send(Buffer.from([CLOSE_CHANNEL, 0]));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await readAll(p.channels.reader(0)), 'early data');
    await p.close();
  });

  it('prefixes what it writes with the channel byte', async () => {
    const p = await pair(false);
    const got = once(p.client, 'message') as Promise<[Buffer]>;
    await p.channels.write(1, 'out');
    const [message] = await got;
    assert.deepEqual([...message], [1, ...Buffer.from('out')]);
    await p.close();
  });
});
