/**
 * The client end of port-forward over SPDY (client-go tools/portforward): what the kubelet does
 * with the URL of CRI's PortForward for one forwarded connection — an error stream and a data
 * stream for the port, the data copied both ways, and the runtime's error text (if any) as the
 * rejection.
 */
import type { Duplex } from 'node:stream';
import { dialSpdy } from '../spdy/upgrade.js';
import { PORT_FORWARD_PROTOCOL_V1, PortForwardStreamType } from './protocol.js';

export async function forwardPortOverSpdy(url: string, port: number, stream: Duplex): Promise<void> {
  const { connection } = await dialSpdy(url, [PORT_FORWARD_PROTOCOL_V1]);
  try {
    const headers = (streamType: string) => ({ streamType, port: String(port), requestID: '0' });
    const error = await connection.openStream(headers(PortForwardStreamType.error));
    error.end();
    const errorText = new Promise<string>((resolve) => {
      let text = '';
      error.on('data', (c: Buffer) => {
        text += c.toString();
      });
      error.once('end', () => resolve(text));
      error.once('close', () => resolve(text));
    });
    const data = await connection.openStream(headers(PortForwardStreamType.data));
    stream.pipe(data);
    data.pipe(stream);
    const closed = new Promise<void>((resolve) => {
      data.once('end', resolve);
      data.once('close', resolve);
      stream.once('close', resolve);
    });
    const first = await Promise.race([errorText.then((t) => ({ t })), closed.then(() => undefined)]);
    if (first && first.t.trim() !== '') throw new Error(first.t.trim());
    await closed;
  } finally {
    stream.unpipe();
    connection.destroy();
  }
}
